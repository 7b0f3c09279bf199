import { MedusaError } from "@medusajs/framework/utils"
import { PriorityQueue, type CallPriority } from "./fifo"

/**
 * Client-side rate limiter for WoowUp calls: a sliding window over `limit` slots, in one process.
 *
 * Guarantee: no window of `windowMs` (half-open, [s, s + windowMs)) ever holds more than `limit` acquisitions
 * made through one limiter. Each of the `limit` slots remembers the time it counts from; a grant takes any slot
 * that has been free for a whole window. Waiters are served first come, first served, by one timer set for the
 * moment the next grant is allowed (no polling).
 *
 * Priorities: waiters are served most urgent first (`orders`, then `customers`, then `storefront`), first come,
 * first served within a priority. A purchase that arrives behind a backlog of storefront reads is next in line, so
 * it waits at most for the grant under way (one pace) and never for the reads queued before it.
 *
 * Pacing: two grants are at least about `paceMs` apart (default `windowMs / limit`), so a backlog goes out evenly
 * over the window instead of in one burst followed by a long idle stretch. That loses no throughput (`limit`
 * grants still fit in every window) and is kinder to a limit the server may count in smaller parts (WoowUp may
 * count its minute as two 30-second halves). A call that finds the limiter idle goes at once.
 *
 * With `untilComplete: true` a slot stays taken until `slot.complete()` and its time becomes the completion
 * time. The client uses it so that the guarantee holds where WoowUp counts, at the server: a request reaches
 * WoowUp somewhere between its grant and its answer, and a slot is reused only `windowMs` after the answer of
 * the request it was granted to, so no network latency can squeeze more than `limit` arrivals into one of
 * WoowUp's windows. A slow request holds only its own slot: any other slot free for a window is reused.
 *
 * `pause(ms)` holds every waiter back (WoowUp answered 429 with `Retry-After`).
 */

/** `setTimeout` fires at once for longer delays (2^31 - 1 ms, about 24.8 days): every timer is bounded by it. */
export const MAX_TIMER_MS = 2_147_483_647

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
  /**
   * Longest time the request may run (a shared limiter counts a slot whose process died as taken for this long).
   * Ignored in memory.
   */
  holdMs?: number
  /** Default `orders`: served before every waiter of a less urgent priority (see `fifo.ts`). */
  priority?: CallPriority
}

/** What a limiter has counted, for a status page. */
export type RateLimitUsage = {
  /** Grants counted in the current window, slots in use included. */
  used: number
  limit: number
  windowMs: number
  /** End of a pause, epoch ms; null when not paused. */
  pausedUntil: number | null
  source: "memory" | "redis" | "memory-fallback"
}

/** What the client needs of a rate limiter: this one, or the Redis-backed `SharedRateLimiter`. */
export interface WoowupRateLimiter {
  acquire(options?: AcquireOptions): Promise<RateLimitSlot>
  /** Grants nothing for `ms`. Never shortens a pause. */
  pause(ms: number): void
  usage(): RateLimitUsage
  /** Rejects every waiter and every later `acquire()`; releases what the limiter holds (timers, connections). */
  close(error?: Error): void | Promise<void>
}

export type SlidingWindowRateLimiterOptions = {
  /** Acquisitions allowed in any window. */
  limit: number
  /** Window length; default 60 000 ms. */
  windowMs?: number
  /** Least time between two grants under a backlog; default `windowMs / limit`; 0: no pacing (bursts allowed). */
  paceMs?: number
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

export const systemClock: LimiterClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, Math.min(Math.max(0, ms), MAX_TIMER_MS)),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
}

export class RateLimiterClosedError extends Error {
  override readonly name = "RateLimiterClosedError"
  constructor(message = "rate limiter closed") {
    super(message)
  }
}

export class SlidingWindowRateLimiter implements WoowupRateLimiter {
  readonly limit: number
  readonly windowMs: number
  readonly paceMs: number
  private readonly clock: LimiterClock
  /**
   * Per slot: the time it counts from (-Infinity before its first use, Infinity while an `untilComplete` request
   * holds it), and a sequence number so a late `complete()` cannot touch a slot granted again since.
   */
  private readonly stamps: number[]
  private readonly seqs: number[]
  private seq = 0
  /**
   * Theoretical time of the next grant under pacing: each grant moves it one `paceMs` past the later of itself
   * and the grant time. A grant is allowed from half a pace before it, so a timer that fires late is caught up
   * on the next grant instead of being lost throughput.
   */
  private paceNext = -Infinity
  private readonly queue = new PriorityQueue<Waiter>()
  private live = 0
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
    const paceMs = options.paceMs ?? windowMs / options.limit
    if (!Number.isFinite(paceMs) || paceMs < 0) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "SlidingWindowRateLimiter: paceMs must be a number >= 0")
    }
    this.limit = options.limit
    this.windowMs = windowMs
    // More than a window per grant would go below the limit for nothing.
    this.paceMs = Math.min(paceMs, windowMs / options.limit)
    this.clock = options.clock ?? systemClock
    this.stamps = new Array<number>(this.limit).fill(-Infinity)
    this.seqs = new Array<number>(this.limit).fill(0)
  }

  /** Waiters not yet served. */
  get pending(): number {
    return this.live
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
    if (this.live === 0) {
      const slot = this.tryGrant(now, untilComplete)
      if (slot) return Promise.resolve(slot)
    }
    return new Promise<RateLimitSlot>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, cancelled: false, untilComplete }
      if (signal) {
        waiter.signal = signal
        waiter.onAbort = () => {
          if (waiter.cancelled) return
          waiter.cancelled = true
          this.live--
          reject(signal.reason)
          if (this.live === 0) this.clearTimer()
        }
        signal.addEventListener("abort", waiter.onAbort, { once: true })
      }
      this.queue.push(waiter, options.priority)
      this.live++
      this.schedule(now)
    })
  }

  /**
   * A grant now if one is allowed and nobody is waiting; otherwise null. For a caller that keeps its own queue
   * (the shared limiter while Redis is away); `nextGrantIn()` says when to ask again.
   */
  tryAcquire(options: { untilComplete?: boolean } = {}): RateLimitSlot | null {
    if (this.closedWith || this.live > 0) return null
    return this.tryGrant(this.clock.now(), options.untilComplete ?? false)
  }

  /** Milliseconds until a grant may be allowed (Infinity while every slot is held by a request in flight). */
  nextGrantIn(): number {
    const now = this.clock.now()
    return this.freeAt(now).at - now
  }

  /** Grants nothing before `now + ms` (e.g. WoowUp answered 429 with `Retry-After`). Never shortens a pause. */
  pause(ms: number): void {
    if (!(ms > 0) || this.closedWith) return
    const now = this.clock.now()
    const until = now + ms
    if (until <= this.pausedUntil) return
    this.pausedUntil = until
    this.schedule(now)
  }

  /** Grants counted in the current window (slots in use included), and the end of a pause as epoch ms. */
  usage(): RateLimitUsage {
    const now = this.clock.now()
    let used = 0
    for (const stamp of this.stamps) if (stamp + this.windowMs > now) used++
    const pausedUntil = this.pausedUntil > now ? Date.now() + (this.pausedUntil - now) : null
    return { used, limit: this.limit, windowMs: this.windowMs, pausedUntil, source: "memory" }
  }

  /** Times (on this limiter's clock) of the grants still in the window; a slot in use counts as now. */
  recent(): number[] {
    const now = this.clock.now()
    return this.stamps
      .filter((stamp) => stamp + this.windowMs > now)
      .map((stamp) => Math.min(stamp, now))
      .sort((a, b) => a - b)
  }

  /**
   * Counts grants made elsewhere (e.g. through the shared limiter before Redis went away) at these times, so this
   * limiter does not hand out again what the window already holds. Keeps the latest `limit` of them.
   */
  seed(times: readonly number[]): void {
    for (const time of [...times].sort((a, b) => a - b)) {
      const i = this.oldestSlot()
      if (time > this.stamps[i]) {
        this.stamps[i] = time
        this.seqs[i] = ++this.seq
      }
    }
  }

  /** Rejects every waiter and every later `acquire()`. */
  close(error: Error = new RateLimiterClosedError()): void {
    if (this.closedWith) return
    this.closedWith = error
    this.clearTimer()
    for (const waiter of this.queue.drain()) {
      if (waiter.cancelled) continue
      waiter.cancelled = true
      this.detach(waiter)
      waiter.reject(error)
    }
    this.live = 0
  }

  /** Earliest time a grant is allowed, and the slot it would take (Infinity while every slot is in use). */
  private freeAt(now: number): { at: number; slot: number } {
    const slot = this.oldestSlot()
    const windowFree = this.stamps[slot] + this.windowMs
    const paceFree = this.paceNext - this.paceMs / 2
    return { at: Math.max(windowFree, paceFree, this.pausedUntil, now), slot }
  }

  /** The slot free the longest (the one with the earliest stamp). O(limit): the limit is small (140). */
  private oldestSlot(): number {
    let best = 0
    for (let i = 1; i < this.stamps.length; i++) if (this.stamps[i] < this.stamps[best]) best = i
    return best
  }

  private tryGrant(now: number, untilComplete: boolean): RateLimitSlot | null {
    const { at, slot } = this.freeAt(now)
    return at <= now ? this.grant(now, slot, untilComplete) : null
  }

  private grant(at: number, index: number, untilComplete: boolean): RateLimitSlot {
    const seq = ++this.seq
    this.stamps[index] = untilComplete ? Infinity : at
    this.seqs[index] = seq
    if (this.paceMs > 0) this.paceNext = Math.max(this.paceNext, at) + this.paceMs
    let done = !untilComplete
    return {
      grantedAt: at,
      complete: () => {
        if (done) return
        done = true
        // A slot in use is never granted again before complete(); the check is a safety net.
        if (this.seqs[index] !== seq) return
        const now = this.clock.now()
        this.stamps[index] = Math.max(at, now)
        if (!this.closedWith) this.schedule(now)
      },
    }
  }

  private liveHead(): Waiter | undefined {
    let waiter = this.queue.peek()
    while (waiter?.cancelled) {
      this.queue.shift()
      waiter = this.queue.peek()
    }
    return waiter
  }

  private drain = (): void => {
    this.timer = undefined
    this.timerAt = Infinity
    if (this.closedWith) return
    const now = this.clock.now()
    for (let waiter = this.liveHead(); waiter; waiter = this.liveHead()) {
      const slot = this.tryGrant(now, waiter.untilComplete)
      if (!slot) break
      this.queue.shift()
      waiter.cancelled = true
      this.live--
      this.detach(waiter)
      waiter.resolve(slot)
    }
    this.schedule(now)
  }

  /** Keeps exactly one timer, set for the moment the head waiter can be served. */
  private schedule(now: number): void {
    if (this.liveHead() === undefined) {
      this.clearTimer()
      return
    }
    const { at } = this.freeAt(now)
    if (this.timer !== undefined && this.timerAt === at) return
    this.clearTimer()
    // Every slot is in use: a complete() re-schedules.
    if (at === Infinity) return
    this.timerAt = at
    // Timers may fire a little early against `now()`, and a long wait is cut to what setTimeout can do:
    // drain() re-checks and re-arms.
    this.timer = this.clock.setTimeout(this.drain, Math.min(MAX_TIMER_MS, Math.max(0, Math.ceil(at - now))))
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer)
    this.timer = undefined
    this.timerAt = Infinity
  }

  private detach(waiter: Waiter): void {
    if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener("abort", waiter.onAbort)
  }
}
