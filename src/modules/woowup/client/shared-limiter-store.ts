/** The shared window, as the limiter needs it. Times are the store's (Redis server time), so process clocks do not matter. */
export interface RateLimitStore {
  /** One atomic attempt at a grant. */
  acquire(request: StoreAcquireRequest): Promise<StoreReply>
  /** The request named `member` is over: its slot counts from now. */
  complete(member: string, windowMs: number): Promise<void>
  /** Nobody on the account is granted anything for `ms`. Resolves with the end of the pause (epoch ms). */
  pause(ms: number): Promise<number>
  /** Grants in the current window, and the end of a pause. Also the probe while the store is away. */
  usage(windowMs: number): Promise<{ used: number; pausedUntil: number | null }>
  /** Counts grants made without the store (while it was away), `agesMs` ago. */
  seed(agesMs: number[], windowMs: number): Promise<void>
  close(): Promise<void>
}

export type StoreAcquireRequest = {
  /** A unique name for this grant. */
  member: string
  limit: number
  windowMs: number
  paceMs: number
  /** The slot counts as taken for this long unless `complete()` comes first (0: counted from the grant). */
  holdMs: number
}

export type StoreReply =
  | { granted: true; used: number; pausedUntil: number | null }
  | {
      granted: false
      /** When a grant may be possible. */
      waitMs: number
      used: number
      pausedUntil: number | null
      /** The window is full of requests still running: their end frees a slot sooner than `waitMs`. */
      inFlight: boolean
    }
