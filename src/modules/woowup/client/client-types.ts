import type { CallPriority } from "./fifo"
import type { LimiterClock, WoowupRateLimiter } from "./rate-limiter"
import type { JitterMode } from "./retry-policy"
import type { WoowupPurchase } from "./schemas"

export type WoowupClientLogger = {
  debug(message: string): void
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

export type WoowupClientOptions = {
  /** Sent as `Authorization: Basic <apiKey>` (the raw key). Never logged, never part of an error. */
  apiKey: string
  /** e.g. `https://api.woowup.com/apiv3` */
  apiUrl: string
  /** One attempt, from the moment it has a connection and a rate-limit slot to the last byte of the answer. */
  timeoutMs: number
  /** Retries after the first attempt, for answers worth retrying. */
  maxRetries: number
  /**
   * At most this many attempts in any `rateLimitWindowMs` window, from this client. A slot is counted from the
   * end of its attempt (see `rate-limiter.ts`), so the bound holds at WoowUp's end whatever the latency.
   */
  requestsPerMinute: number
  retryBaseDelayMs: number
  retryMaxDelayMs: number
  /** Default 60 000. */
  rateLimitWindowMs?: number
  /** Least time between two requests under a backlog. Default `rateLimitWindowMs / requestsPerMinute`; 0: bursts. */
  rateLimitPaceMs?: number
  /**
   * A rate limiter to use instead of this client's own in-memory one (e.g. the Redis-backed `SharedRateLimiter`
   * that `createWoowupClient` builds); `requestsPerMinute` and the window options are then the limiter's business.
   * `close()` closes it.
   */
  limiter?: WoowupRateLimiter
  /** Pause after a 429 that carries no usable `Retry-After`. Default 5 000. */
  defaultRetryAfterMs?: number
  /** Longest `Retry-After` slept on; a longer one fails the call with `retryAfterMs`. Default `max(retryMaxDelayMs, 60 000)`. */
  maxRetryAfterMs?: number
  /** Default "equal": the wait is in [cap/2, cap). */
  jitter?: JitterMode
  /**
   * Storefront reads (`priority: "storefront"`) allowed in any `rateLimitWindowMs` window, from this client.
   * Default `max(1, floor(requestsPerMinute * STOREFRONT_SHARE))`: 35 of 140.
   */
  storefrontRequestsPerMinute?: number
  /**
   * Background calls (`priority: "products"` or `"carts"`, together) allowed in any `rateLimitWindowMs` window,
   * from this client. Default `max(1, floor(requestsPerMinute * BACKGROUND_SHARE))`: 70 of 140.
   */
  backgroundRequestsPerMinute?: number
  /** Keep-alive connections to WoowUp, and attempts in flight at once (one per connection). Default 8. */
  connections?: number
  logger?: WoowupClientLogger
  /** Tests only. */
  random?: () => number
  /** Tests only: the rate limiter's clock. */
  clock?: LimiterClock
}

/**
 * Per-call options, the last argument of every public method.
 *
 * - `signal`: gives up on the call while it waits (for the rate limiter, for a connection, between retries): it
 *   rejects with `WoowupError` code `aborted` (`retryable: true`; `outcomeUnknown` only if an earlier attempt
 *   may have been applied). A request already on the wire is not cut by the signal: its outcome would become
 *   unknown for nothing. It runs to its answer or its timeout, and no retry follows.
 * - `timeoutMs`, `maxRetries`: override the client's for this call (e.g. a status ping: short, no retry).
 * - `beforeSend`: run as each attempt leaves, once it has its connection and rate-limit slot; unless it resolves
 *   true, nothing is sent and the call rejects with code `aborted`. A call that waited long (the rate limit, a
 *   `Retry-After`, a stalled process) checks here that it may still go, e.g. that its claim was not taken over.
 * - `priority`: who goes first when calls wait (`orders`, `customers`, `products`, `carts`, `storefront`; see
 *   `fifo.ts`). Default: `customers` for the customer calls, `products` for the product calls, `orders` for the
 *   others. `storefront` calls also keep within `storefrontRequestsPerMinute`, `products` and `carts` within
 *   `backgroundRequestsPerMinute`, each within half the connections (`lanes.ts`).
 */
export type WoowupCallOptions = {
  signal?: AbortSignal
  timeoutMs?: number
  maxRetries?: number
  beforeSend?: () => Promise<boolean>
  priority?: CallPriority
}

/** What the rate limiter has counted, for a status page. */
export type WoowupUsage = {
  /** Requests counted in the current window (in flight included). */
  used: number
  limit: number
  windowMs: number
  /** ISO time until which every call is held back after a 429; null when not paused. */
  paused_until: string | null
  /** Where the window lives: this process, Redis (shared by all processes), or this process's share while Redis is away. */
  source: "memory" | "redis" | "memory-fallback"
}

export type CreatePurchaseResult =
  /** `purchase` is WoowUp's echo of the stored purchase; null when the answer carried none (unconfirmed shape). */
  | { outcome: "created"; purchase: WoowupPurchase | null }
  /** WoowUp already has this `invoice_number` (`duplicated_purchase_number`): the purchase is there. */
  | { outcome: "duplicate" }

/** Longest pause a `Retry-After` can impose: a garbage header (a date years ahead) must not stop rewards for weeks. */
export const MAX_PAUSE_MS = 60 * 60_000
