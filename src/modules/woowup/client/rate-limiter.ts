import { MedusaError } from "@medusajs/framework/utils"

/**
 * Client-side rate limiter for WoowUp calls: a sliding window log.
 *
 * Guarantee: no window of `windowMs` (half-open, [s, s + windowMs)) ever holds more than `limit` acquisitions
 * made through one limiter. It keeps the times of the last `limit` grants; a new grant at `t` needs the oldest
 * of them to be at least `windowMs` old. Waiters are served first come, first served, by one timer set for the
 * moment the next slot frees up (no polling).
 *
 * With `untilComplete: true` a slot stays taken until `slot.complete()` and its time becomes the completion
 * time. The client uses it so that the guarantee holds where WoowUp counts, at the server: a request reaches
 * WoowUp somewhere between its grant and its answer, and a slot is reused only `windowMs` after the answer of
 * the request it was granted to, so no network latency (a cold TLS connection, a slow first byte) can squeeze
 * more than `limit` arrivals into one of WoowUp's windows.
 *
 * WoowUp counts per account (140/min, all processes together): a 429 still happens when several processes
 * share a key. `pause(ms)` lets the client hold every waiter back for a `Retry-After`.
 */

export type LimiterClock = {
  /** Milliseconds, monotonic. */
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/** One granted slot. */
export type RateLimitSlot = {
  /** `clock.now()` at the grant. */
  readonly grantedAt: number
  /** For an `untilComplete` slot: the request is over; its window starts now. Idempotent; a no-op otherwise. */
  complete(): void
}

export type AcquireOptions = {
  /** Gives up waiting (the promise rejects with the signal's reason). */
  signal?: AbortSignal
  /** Keep the slot taken until `complete()`, and count it from then. */
  untilComplete?: boolean
}

export type SlidingWindowRateLimiterOptions = {
  /** Acquisitions allowed in any window. */
  limit: number
  /** Window length; default 60 000 ms. */
  windowMs?: number
  clock?: LimiterClock
}

type Waiter = {
  resolve: (slot: RateLimitSlot) => void
  untilComplete: boolean
  reject: (error: unknown) => void
  cancelled: boolean
  onAbort?: () => void
  signal?: AbortSignal
}

const systemClock: LimiterClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
}

export class RateLimiterClosedError extends Error {
  override readonly name = "RateLimiterClosedError"
  constructor(message = "rate limiter closed") {
    super(message)
  }
}

export class SlidingWindowRateLimiter {
  readonly limit: number
  readonly windowMs: number
  private readonly clock: LimiterClock
  /**
   * Ring buffer over the last `limit` slots, in grant order, oldest at `next` once full: the time each slot
   * counts from (Infinity while an `untilComplete` slot is in use), and a sequence number to match a slot.
   */
  private readonly stamps: number[]
  private readonly seqs: number[]
  private seq = 0
  private next = 0
  private count = 0
  private readonly queue: Waiter[] = []
  private head = 0
  private timer: unknown = undefined
  private timerAt = Infinity
  private pausedUntil = -Infinity
  private closedWith: Error | undefined

  constructor(options: SlidingWindowRateLimiterOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "SlidingWindowRateLimiter: limit must be a positive integer")
    }
    const windowMs = options.windowMs ?? 60_000
    if (!Number.isFinite(windowMs) || windowMs <= 0) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "SlidingWindowRateLimiter: windowMs must be a positive number")
    }
    this.limit = options.limit
    this.windowMs = windowMs
    this.clock = options.clock ?? systemClock
    this.stamps = new Array<number>(this.limit)
    this.seqs = new Array<number>(this.limit)
  }

  /** Waiters not yet served. */
  get pending(): number {
    let n = 0
    for (let i = this.head; i < this.queue.length; i++) if (!this.queue[i].cancelled) n++
    return n
  }

  /**
   * Resolves when this caller may send one request (the grant is counted from that moment, or from
   * `slot.complete()` with `untilComplete`). Rejects with the signal's reason if `signal` aborts first, or with
   * `RateLimiterClosedError` (or the error given to `close()`) after `close()`.
   */
  acquire(options: AcquireOptions = {}): Promise<RateLimitSlot> {
    const { signal, untilComplete = false } = options
    if (this.closedWith) return Promise.reject(this.closedWith)
    if (signal?.aborted) return Promise.reject(signal.reason)
    const now = this.clock.now()
    if (this.liveHead() === undefined && this.freeAt(now) <= now) {
      return Promise.resolve(this.grant(now, untilComplete))
    }
    return new Promise<RateLimitSlot>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, cancelled: false, untilComplete }
      if (signal) {
        waiter.signal = signal
        waiter.onAbort = () => {
          if (waiter.cancelled) return
          waiter.cancelled = true
          reject(signal.reason)
          this.compact()
        }
        signal.addEventListener("abort", waiter.onAbort, { once: true })
      }
      this.queue.push(waiter)
      this.schedule(now)
    })
  }

  /** Grants counted in the current window (slots in use included), and the end of a pause as epoch ms. */
  usage(): { used: number; limit: number; windowMs: number; pausedUntil: number | null } {
    const now = this.clock.now()
    let used = 0
    for (let i = 0; i < this.count; i++) if (this.stamps[i] + this.windowMs > now) used++
    const pausedUntil = this.pausedUntil > now ? Date.now() + (this.pausedUntil - now) : null
    return { used, limit: this.limit, windowMs: this.windowMs, pausedUntil }
  }

  /** Grants nothing before `now + ms` (e.g. WoowUp answered 429 with `Retry-After`). Never shortens a pause. */
  pause(ms: number): void {
    if (!(ms > 0) || this.closedWith) return
    const until = this.clock.now() + ms
    if (until <= this.pausedUntil) return
    this.pausedUntil = until
    this.schedule(this.clock.now())
  }

  /** Rejects every waiter and every later `acquire()`. */
  close(error: Error = new RateLimiterClosedError()): void {
    if (this.closedWith) return
    this.closedWith = error
    this.clearTimer()
    for (let i = this.head; i < this.queue.length; i++) {
      const waiter = this.queue[i]
      if (waiter.cancelled) continue
      waiter.cancelled = true
      this.detach(waiter)
      waiter.reject(error)
    }
    this.queue.length = 0
    this.head = 0
  }

  /** Earliest time a grant is allowed (Infinity while the oldest slot is still in use). */
  private freeAt(now: number): number {
    const windowFree = this.count < this.limit ? now : this.stamps[this.next] + this.windowMs
    return Math.max(windowFree, this.pausedUntil, now)
  }

  private grant(at: number, untilComplete: boolean): RateLimitSlot {
    const index = this.next
    const seq = ++this.seq
    this.stamps[index] = untilComplete ? Infinity : at
    this.seqs[index] = seq
    this.next = (index + 1) % this.limit
    if (this.count < this.limit) this.count++
    let done = !untilComplete
    return {
      grantedAt: at,
      complete: () => {
        if (done) return
        done = true
        // The slot cannot have been reused: a grant needs the oldest slot complete. The check is a safety net.
        if (this.seqs[index] !== seq) return
        const now = this.clock.now()
        this.stamps[index] = Math.max(at, now)
        if (!this.closedWith) this.schedule(now)
      },
    }
  }

  private liveHead(): Waiter | undefined {
    while (this.head < this.queue.length && this.queue[this.head].cancelled) this.head++
    if (this.head >= this.queue.length) {
      this.queue.length = 0
      this.head = 0
      return undefined
    }
    return this.queue[this.head]
  }

  private drain = (): void => {
    this.timer = undefined
    this.timerAt = Infinity
    if (this.closedWith) return
    const now = this.clock.now()
    let waiter = this.liveHead()
    while (waiter && this.freeAt(now) <= now) {
      this.head++
      waiter.cancelled = true
      this.detach(waiter)
      waiter.resolve(this.grant(now, waiter.untilComplete))
      waiter = this.liveHead()
    }
    if (waiter) this.schedule(now)
  }

  /** Keeps exactly one timer, set for the moment the head waiter can be served. */
  private schedule(now: number): void {
    if (this.liveHead() === undefined) {
      this.clearTimer()
      return
    }
    const at = this.freeAt(now)
    if (this.timer !== undefined && this.timerAt === at) return
    this.clearTimer()
    // The oldest slot is in use: its complete() re-schedules.
    if (at === Infinity) return
    this.timerAt = at
    // Timers may fire a little early against `now()`: drain() re-checks and re-arms.
    this.timer = this.clock.setTimeout(this.drain, Math.max(0, Math.ceil(at - now)))
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer)
    this.timer = undefined
    this.timerAt = Infinity
  }

  private detach(waiter: Waiter): void {
    if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener("abort", waiter.onAbort)
  }

  private compact(): void {
    if (this.liveHead() === undefined) this.clearTimer()
  }
}
