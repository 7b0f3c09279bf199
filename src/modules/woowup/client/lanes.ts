import type { ConnectionGate } from "./connection-gate"
import type { CallPriority } from "./fifo"
import {
  SlidingWindowRateLimiter,
  type LimiterClock,
  type RateLimitSlot,
  type WoowupRateLimiter,
} from "./rate-limiter"

/**
 * What an attempt waits for before it leaves, by priority (`fifo.ts`).
 *
 * Queue order alone does not keep a purchase from waiting: a backfill of 10,000 variants fills the whole sliding
 * window, and a purchase arriving then is first in line but waits for the window to slide. So the calls that are
 * not live work get a bounded share of the window and of the connections:
 * - `storefront` reads: `storefrontLimit()` (a quarter) of each window, half the connections;
 * - the background feeds, `products` and `carts` together: `backgroundLimit()` (half) of each window, half the
 *   connections (the connection gate also keeps a connection or more for live work, see `connection-gate.ts`).
 * `orders` and `customers` have no share of their own: they take what they need, first.
 *
 * The shares are counted in this process, also when the window itself is shared through Redis
 * (`shared-rate-limiter.ts`): `createWoowupClient` gives each process its part, `floor(limit / processes)`, so
 * the processes together stay within the share of the account. Counting them in Redis too would cost a round trip
 * per call for a bound that only needs to hold roughly; the account's limit itself is still exact.
 */

/** The share of `requestsPerMinute` storefront reads may take at most (the rest is kept for live work). */
export const STOREFRONT_SHARE = 0.25

/** Storefront reads allowed per window out of `limit`: `floor(limit * STOREFRONT_SHARE)`, at least 1. */
export function storefrontLimit(limit: number): number {
  return Math.max(1, Math.floor(limit * STOREFRONT_SHARE))
}

/**
 * The calls that run in the background: a backlog of theirs is normal, and must never hold up live work. They get
 * at most half the connections. `products` and `carts` also share `backgroundLimit()` of each window; `history` (an
 * import) has no share of the window: it comes last in every queue, so it takes only what all the others leave, and
 * can use the whole limit when the store is quiet.
 */
export const BACKGROUND_PRIORITIES = ["products", "carts", "history"] as const satisfies readonly CallPriority[]

/** The background feeds that share `backgroundLimit()` of each window. */
const SHARED_BACKGROUND: readonly CallPriority[] = ["products", "carts"]

/** The share of `requestsPerMinute` the background feeds together may take at most. */
export const BACKGROUND_SHARE = 0.5

/** Background calls (`products`, `carts`) allowed per window out of `limit`: `floor(limit * BACKGROUND_SHARE)`, at least 1. */
export function backgroundLimit(limit: number): number {
  return Math.max(1, Math.floor(limit * BACKGROUND_SHARE))
}

export function isBackground(priority: CallPriority): boolean {
  return (BACKGROUND_PRIORITIES as readonly CallPriority[]).includes(priority)
}

export type CallLanesOptions = {
  /** The account's window (in memory or shared). */
  limiter: WoowupRateLimiter
  gate: ConnectionGate
  /** Storefront reads per window. */
  storefrontLimit: number
  /** Background calls per window. */
  backgroundLimit: number
  windowMs: number
  clock?: LimiterClock
}

/** Everything an attempt holds while it runs; `done()` hands it all back (the window counts from then). */
export type AttemptPermit = { done(): void }

/** The shares and the order in which an attempt takes what it needs: its share, a connection, a slot of the window. */
export class CallLanes {
  readonly storefront: SlidingWindowRateLimiter
  readonly background: SlidingWindowRateLimiter
  private readonly limiter: WoowupRateLimiter
  private readonly gate: ConnectionGate

  constructor(options: CallLanesOptions) {
    this.limiter = options.limiter
    this.gate = options.gate
    // Not paced: the account's limiter paces every call already.
    const share = (limit: number) =>
      new SlidingWindowRateLimiter({ limit, windowMs: options.windowMs, paceMs: 0, clock: options.clock })
    this.storefront = share(options.storefrontLimit)
    this.background = share(options.backgroundLimit)
  }

  /**
   * Waits for the attempt's share (storefront and background calls), then a connection, then a slot of the
   * account's window. A call past its share waits without holding a connection. Rejects on the signal or on
   * `close()`, having handed back whatever it took.
   */
  async acquire(priority: CallPriority, options: { signal?: AbortSignal; holdMs: number }): Promise<AttemptPermit> {
    const { signal, holdMs } = options
    const share =
      priority === "storefront" ? this.storefront : SHARED_BACKGROUND.includes(priority) ? this.background : undefined
    let shareSlot: RateLimitSlot | undefined
    let release: (() => void) | undefined
    try {
      if (share) shareSlot = await share.acquire({ untilComplete: true, signal, priority })
      const connection = await this.gate.acquire(signal, priority)
      release = connection
      const slot = await this.limiter.acquire({ untilComplete: true, signal, holdMs, priority })
      return {
        done: () => {
          slot.complete()
          shareSlot?.complete()
          connection()
        },
      }
    } catch (error) {
      shareSlot?.complete()
      release?.()
      throw error
    }
  }

  /** Closes the shares (the gate and the account's limiter are the client's to close). */
  close(error: Error): void {
    this.storefront.close(error)
    this.background.close(error)
  }
}
