import { MedusaError } from "@medusajs/framework/utils"
import {
  MAX_TIMER_MS,
  RateLimiterClosedError,
  SlidingWindowRateLimiter,
  systemClock,
  type AcquireOptions,
  type LimiterClock,
  type RateLimitSlot,
  type RateLimitUsage,
  type WoowupRateLimiter,
} from "./rate-limiter"
import type { RateLimitStore, StoreReply } from "./shared-limiter-store"
import { SlotWaiters, type SlotWaiter } from "./shared-limiter-waiters"

/**
 * One rate limit for every process of a WoowUp account.
 *
 * WoowUp counts 140 requests a minute per account. A Medusa server and its workers each have their own client:
 * with in-memory limiters each believes it owns the whole limit, and together they get 429s. This limiter keeps
 * the sliding window in a store every process sees (Redis: `redis-store.ts`), decided by one atomic script per
 * grant, so N processes together stay under the limit, and none leaves a share idle while another has a backlog.
 *
 * Same rules as the in-memory limiter: a slot counts from the end of its request (`untilComplete`), grants are
 * paced `windowMs / limit` apart, a 429 pauses everybody (the pause lives in the store too), and this process's
 * waiters are served most urgent first: a more urgent waiter wakes the pump, which asks the store for it next.
 *
 * If the store goes away, rewards must not stop: this process falls back to an in-memory limiter with its share,
 * `floor(limit / processes)`, logs that once at `warn`, probes the store, and goes back to it (logging once at
 * `info`) when it answers again. Both ways, the grants of the last window are handed over, so the switch does not
 * grant again what the window already holds.
 */

export type SharedRateLimiterLogger = {
  info(message: string): void
  warn(message: string): void
}

export type SharedRateLimiterOptions = {
  store: RateLimitStore
  /** Requests allowed in any window, for the whole account. */
  limit: number
  /** Default 60 000. */
  windowMs?: number
  /** Default `windowMs / limit`. */
  paceMs?: number
  /** Processes sharing the account: the share used while the store is away is `floor(limit / processes)`, at least 1. */
  processes?: number
  logger?: SharedRateLimiterLogger
  clock?: LimiterClock
  /** Hold of a slot whose acquire() gave none. Default 65 000 (a 60 s request and a margin). */
  defaultHoldMs?: number
  /** While the store is away, how often it is tried again. Default 2 000. */
  probeMs?: number
  /** Longest wait before asking the store again (others' requests may end, a pause may be lifted). Default 1 000. */
  maxPollMs?: number
  /** Wait before asking again when the window is full of requests in flight. Default 50. */
  inFlightPollMs?: number
}

type Mode = "redis" | "memory-fallback"

let memberSeq = 0
const processTag = `${process.pid.toString(36)}-${Math.random().toString(36).slice(2, 8)}`

export class SharedRateLimiter implements WoowupRateLimiter {
  readonly limit: number
  readonly windowMs: number
  readonly paceMs: number
  /** This process's share while the store is away. */
  readonly share: number
  private readonly store: RateLimitStore
  private readonly fallback: SlidingWindowRateLimiter
  private readonly clock: LimiterClock
  private readonly logger?: SharedRateLimiterLogger
  private readonly defaultHoldMs: number
  private readonly probeMs: number
  private readonly maxPollMs: number
  private readonly inFlightPollMs: number
  private mode: Mode = "redis"
  private readonly waiters = new SlotWaiters()
  private pumping = false
  private wake: (() => void) | undefined
  private probeTimer: unknown = undefined
  private closedWith: Error | undefined
  /** Local end of a pause (clock time): applies whatever the store says. */
  private pausedUntil = -Infinity
  /** The last figures the store gave, for `usage()` (a synchronous read). */
  private lastSeen: { used: number; pausedUntil: number | null; at: number } = { used: 0, pausedUntil: null, at: -Infinity }
  private refreshing = false
  /**
   * This process's grants through the store, newest last, at most `limit`: [granted at, counts from]
   * (Infinity while in flight). Handed to the in-memory limiter when the store goes away.
   */
  private readonly own: Array<[number, number]> = []
  /** Grants through the store before this time were already handed to the in-memory limiter. */
  private handedOverUpTo = -Infinity

  constructor(options: SharedRateLimiterOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "SharedRateLimiter: limit must be a positive integer")
    }
    const processes = options.processes ?? 1
    if (!Number.isInteger(processes) || processes < 1) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "SharedRateLimiter: processes must be a positive integer")
    }
    this.store = options.store
    this.limit = options.limit
    this.windowMs = options.windowMs ?? 60_000
    this.paceMs = Math.min(options.paceMs ?? this.windowMs / this.limit, this.windowMs / this.limit)
    this.share = processShare(this.limit, processes)
    this.clock = options.clock ?? systemClock
    this.logger = options.logger
    this.defaultHoldMs = options.defaultHoldMs ?? 65_000
    this.probeMs = options.probeMs ?? 2_000
    this.maxPollMs = options.maxPollMs ?? 1_000
    this.inFlightPollMs = options.inFlightPollMs ?? 50
    this.fallback = new SlidingWindowRateLimiter({
      limit: this.share,
      windowMs: this.windowMs,
      // The share paced the same way: a backlog spread over the window.
      paceMs: options.paceMs === 0 ? 0 : this.windowMs / this.share,
      clock: this.clock,
    })
  }

  /** Where grants come from now. */
  get source(): "redis" | "memory-fallback" {
    return this.mode
  }

  acquire(options: AcquireOptions = {}): Promise<RateLimitSlot> {
    const { signal } = options
    if (this.closedWith) return Promise.reject(this.closedWith)
    if (signal?.aborted) return Promise.reject(signal.reason)
    const { slot, moreUrgent } = this.waiters.add(options, this.defaultHoldMs)
    // The pump may be sleeping on a less urgent head's wait: it looks again, for this one.
    if (moreUrgent) this.wake?.()
    void this.pump()
    return slot
  }

  pause(ms: number): void {
    if (!(ms > 0) || this.closedWith) return
    const until = this.clock.now() + ms
    if (until > this.pausedUntil) this.pausedUntil = until
    this.fallback.pause(ms)
    if (this.mode === "redis") {
      this.store.pause(ms).then(
        (pausedUntil) => {
          this.lastSeen = { ...this.lastSeen, pausedUntil }
        },
        () => this.storeFailed()
      )
    }
  }

  /**
   * What the window holds. With the store, the figures of the last exchange with it (refreshed in the background
   * when they are more than a second old; `refreshUsage()` waits for fresh ones).
   */
  usage(): RateLimitUsage {
    if (this.mode === "memory-fallback") return { ...this.fallback.usage(), source: "memory-fallback" }
    const now = this.clock.now()
    if (now - this.lastSeen.at > 1_000) void this.refresh()
    return {
      used: this.lastSeen.used,
      limit: this.limit,
      windowMs: this.windowMs,
      pausedUntil: this.pauseEnd(this.lastSeen.pausedUntil),
      source: "redis",
    }
  }

  /** `usage()` with figures read from the store now. */
  async refreshUsage(): Promise<RateLimitUsage> {
    await this.refresh()
    return this.usage()
  }

  async close(error: Error = new RateLimiterClosedError()): Promise<void> {
    if (this.closedWith) return
    this.closedWith = error
    this.stopProbe()
    this.waiters.rejectAll(error)
    this.fallback.close(error)
    this.wake?.()
    await this.store.close().catch(() => undefined)
  }

  // -------------------------------------------------------------------------------------------------------------

  /** Serves the queue, head first, one decision at a time. */
  private async pump(): Promise<void> {
    if (this.pumping) return
    this.pumping = true
    try {
      for (let waiter = this.waiters.head(); waiter && !this.closedWith; waiter = this.waiters.head()) {
        const now = this.clock.now()
        if (this.pausedUntil > now) {
          await this.sleep(this.pausedUntil - now)
        } else if (this.mode === "memory-fallback") {
          const slot = this.fallback.tryAcquire({ untilComplete: waiter.untilComplete })
          if (slot) {
            if (!this.waiters.serve(this.wakingOnComplete(slot))) slot.complete()
          } else await this.sleep(Math.min(this.fallback.nextGrantIn(), this.maxPollMs))
        } else {
          await this.askStore(waiter)
        }
      }
    } finally {
      this.pumping = false
    }
  }

  private async askStore(waiter: SlotWaiter): Promise<void> {
    const member = `${processTag}:${++memberSeq}`
    const holdMs = waiter.holdMs
    let reply: StoreReply
    try {
      reply = await this.store.acquire({ member, limit: this.limit, windowMs: this.windowMs, paceMs: this.paceMs, holdMs })
    } catch {
      this.storeFailed()
      return
    }
    this.lastSeen = { used: reply.used, pausedUntil: reply.pausedUntil, at: this.clock.now() }
    if (!reply.granted) {
      await this.sleep(reply.inFlight ? Math.min(reply.waitMs, this.inFlightPollMs) : Math.min(reply.waitMs, this.maxPollMs))
      return
    }
    const grantedAt = this.clock.now()
    const entry: [number, number] = [grantedAt, holdMs > 0 ? Infinity : grantedAt]
    this.own.push(entry)
    if (this.own.length > this.limit) this.own.shift()
    let done = holdMs === 0
    const slot: RateLimitSlot = {
      grantedAt,
      complete: () => {
        if (done) return
        done = true
        entry[1] = this.clock.now()
        if (this.closedWith) return
        // If the store is away, the slot stays held for `holdMs` there: that only errs on the safe side.
        this.store.complete(member, this.windowMs).catch(() => undefined)
        this.wake?.()
      },
    }
    // The head may have given up while the store answered: the grant goes to the next in line.
    if (!this.waiters.serve(slot)) slot.complete()
  }

  /** The end of a request may free a slot: the pump looks again at once. */
  private wakingOnComplete(slot: RateLimitSlot): RateLimitSlot {
    return {
      grantedAt: slot.grantedAt,
      complete: () => {
        slot.complete()
        this.wake?.()
      },
    }
  }

  /** Waits `ms` (bounded), or until something may have changed: a slot completed, the store came back, close(). */
  private sleep(ms: number): Promise<void> {
    if (this.closedWith) return Promise.resolve()
    const delay = Math.min(Math.max(1, Math.ceil(Number.isFinite(ms) ? ms : this.maxPollMs)), MAX_TIMER_MS)
    return new Promise((resolve) => {
      const done = () => {
        this.clock.clearTimeout(timer)
        if (this.wake === done) this.wake = undefined
        resolve()
      }
      const timer = this.clock.setTimeout(done, delay)
      this.wake = done
    })
  }

  private storeFailed(): void {
    if (this.mode !== "redis" || this.closedWith) return
    this.mode = "memory-fallback"
    const now = this.clock.now()
    // What this process was granted through the store in the window still counts against its share.
    this.fallback.seed(
      this.own
        .filter(([grantedAt, from]) => grantedAt > this.handedOverUpTo && Math.min(from, now) + this.windowMs > now)
        .map(([, from]) => Math.min(from, now))
    )
    this.handedOverUpTo = now
    this.logger?.warn(
      `woowup: Redis unavailable for the shared rate limit, using this process's share of ${this.share}/${windowName(this.windowMs)}`
    )
    this.startProbe()
    this.wake?.()
  }

  private startProbe(): void {
    if (this.probeTimer !== undefined || this.closedWith) return
    this.probeTimer = this.clock.setTimeout(() => {
      this.probeTimer = undefined
      void this.probe()
    }, this.probeMs)
    // Probing alone must not keep an idle process (a script, a worker shutting down) alive.
    ;(this.probeTimer as { unref?: () => void } | undefined)?.unref?.()
  }

  private stopProbe(): void {
    if (this.probeTimer !== undefined) this.clock.clearTimeout(this.probeTimer)
    this.probeTimer = undefined
  }

  /** Tries the store; when it answers, hands it what this process granted meanwhile and goes back to it. */
  private async probe(): Promise<void> {
    if (this.closedWith || this.mode === "redis") return
    try {
      const seen = await this.store.usage(this.windowMs)
      const now = this.clock.now()
      await this.store.seed(
        this.fallback.recent().map((t) => Math.max(0, now - t)),
        this.windowMs
      )
      if (this.closedWith) return
      this.lastSeen = { ...seen, at: this.clock.now() }
      this.mode = "redis"
      this.logger?.info("woowup: Redis is back for the shared rate limit")
      this.wake?.()
      void this.pump()
    } catch {
      this.startProbe()
    }
  }

  private async refresh(): Promise<void> {
    if (this.refreshing || this.mode !== "redis" || this.closedWith) return
    this.refreshing = true
    try {
      const seen = await this.store.usage(this.windowMs)
      this.lastSeen = { ...seen, at: this.clock.now() }
    } catch {
      this.storeFailed()
    } finally {
      this.refreshing = false
    }
  }

  /** The later of the store's pause and this process's own, as epoch ms; null when neither is running. */
  private pauseEnd(storePausedUntil: number | null): number | null {
    const now = this.clock.now()
    const local = this.pausedUntil > now ? Date.now() + (this.pausedUntil - now) : null
    const shared = storePausedUntil !== null && storePausedUntil > Date.now() ? storePausedUntil : null
    if (local === null) return shared
    return shared === null ? local : Math.max(local, shared)
  }
}

/** This process's share of the account's limit: `floor(limit / processes)`, at least 1. */
export function processShare(limit: number, processes: number): number {
  return Math.max(1, Math.floor(limit / Math.max(1, processes)))
}

function windowName(windowMs: number): string {
  return windowMs === 60_000 ? "min" : `${windowMs}ms`
}
