/**
 * When to try a WoowUp call again, and how long to wait first. Pure: no I/O, no timers; the clock and the
 * random source are injectable.
 *
 * Figures (see /work/shared/woowup-api.md, "Rate limit" and "Errors"):
 * - 429 / `too_many_request`: wait `Retry-After` (delta-seconds or HTTP date); missing or garbage: backoff.
 *   A `Retry-After` longer than `maxRetryAfterMs` is not slept on: the call fails, with `retryAfterMs`.
 * - 500 / `internal_error`, 502, 503, 504, timeouts, connection resets: exponential backoff with jitter,
 *   `min(maxDelayMs, baseDelayMs * 2^(retry-1))`, "equal" jitter (half fixed, half random) by default, or "full".
 * - Every other 4xx, `user_not_found`, `duplicated_purchase_number`, `bad_request`, `forbidden`,
 *   `account_deleted`, and the client's `customer_exists`, `product_exists`, `product_not_found`: never retried.
 * - At most `maxRetries` retries (so `maxRetries + 1` attempts).
 * - Calls WoowUp does not de-duplicate (`idempotent: false`, i.e. points) are repeated only when the request
 *   surely was not applied: a 429, or a failure to connect. Never after a timeout, a reset or a 5xx.
 */

import { MAX_TIMER_MS } from "./rate-limiter"

export type JitterMode = "full" | "equal"

/** What one attempt ended with, when it did not succeed. */
export type AttemptFailure =
  /** An answer with a non-2xx status, or a 2xx whose envelope code is not `ok`. */
  | { kind: "http"; status: number; code?: string; retryAfter?: string | null; message?: string }
  /** A 2xx that is not a WoowUp envelope (not JSON, HTML, no `code`). */
  | { kind: "invalid_response"; status: number }
  /** The attempt ran out of time. `phase: "connect"` means no byte of the request left the machine. */
  | { kind: "timeout"; phase?: "connect" | "request" }
  /** A socket-level failure; `errno` is Node's / undici's error code (`ECONNRESET`, `UND_ERR_SOCKET`, ...). */
  | { kind: "network"; errno?: string }

export type FailureClass = {
  /** A transient failure: worth trying again. */
  retryable: boolean
  /** The request surely was not applied by WoowUp (so even a non-idempotent call may be repeated). */
  notApplied: boolean
  /** The wait comes from `Retry-After` when there is one. */
  honoursRetryAfter: boolean
}

export type RetryPolicyConfig = {
  /** Retries after the first attempt. */
  maxRetries: number
  baseDelayMs: number
  maxDelayMs: number
  /** Default "equal". */
  jitter?: JitterMode
  /** Longest `Retry-After` the client sleeps on; default `max(maxDelayMs, 60_000)`. */
  maxRetryAfterMs?: number
  /** In [0, 1). Default `Math.random`. */
  random?: () => number
  /** Wall clock for HTTP-date `Retry-After`. Default `Date.now`. */
  now?: () => number
}

export type RetryDecision =
  | { retry: true; delayMs: number; reason: "retry_after" | "backoff" }
  | {
      retry: false
      reason: "not_retryable" | "retries_exhausted" | "outcome_unknown" | "retry_after_too_long"
      /** Set when `Retry-After` was given and readable. */
      retryAfterMs?: number
    }

/** Envelope codes that settle the matter whatever the HTTP status. */
const PERMANENT_CODES = new Set([
  "user_not_found",
  "duplicated_purchase_number",
  "bad_request",
  "forbidden",
  "unauthorized",
  "account_deleted",
  "customer_exists",
  "product_exists",
  "product_not_found",
])
const RATE_LIMIT_CODES = new Set(["too_many_request", "too_many_requests", "rate_limited"])
const SERVER_ERROR_CODES = new Set(["internal_error"])
const RETRYABLE_STATUSES = new Set([500, 502, 503, 504])

/** Network errors raised before the request could be sent: repeating cannot apply it twice. */
const CONNECT_ERRNOS = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "UND_ERR_CONNECT_TIMEOUT",
])
/** Network errors not worth repeating (configuration, TLS, bad arguments). */
// ENOTFOUND is not here: a DNS blip must not fail an order for good (a wrong host fails every retry anyway).
const PERMANENT_ERRNOS = new Set([
  "UND_ERR_INVALID_ARG",
  "UND_ERR_INVALID_RETURN_VALUE",
  "UND_ERR_NOT_SUPPORTED",
  "ERR_INVALID_URL",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
])

/** How a failed attempt should be treated, before counting retries. */
export function classifyFailure(failure: AttemptFailure): FailureClass {
  switch (failure.kind) {
    case "http": {
      const code = failure.code?.toLowerCase()
      if (code && PERMANENT_CODES.has(code)) return NOT_RETRYABLE
      if (failure.status === 429 || (code && RATE_LIMIT_CODES.has(code))) {
        // A rate-limited request was turned away before being processed.
        return { retryable: true, notApplied: true, honoursRetryAfter: true }
      }
      if (code && SERVER_ERROR_CODES.has(code)) return AMBIGUOUS_RETRYABLE
      if (RETRYABLE_STATUSES.has(failure.status)) return AMBIGUOUS_RETRYABLE
      return NOT_RETRYABLE
    }
    case "invalid_response":
      // A 2xx: the request was most likely applied, the answer got mangled on the way back.
      return AMBIGUOUS_RETRYABLE
    case "timeout":
      return failure.phase === "connect"
        ? { retryable: true, notApplied: true, honoursRetryAfter: false }
        : AMBIGUOUS_RETRYABLE
    case "network": {
      const errno = failure.errno?.toUpperCase()
      if (errno && PERMANENT_ERRNOS.has(errno)) return NOT_RETRYABLE
      if (errno && CONNECT_ERRNOS.has(errno)) return { retryable: true, notApplied: true, honoursRetryAfter: false }
      return AMBIGUOUS_RETRYABLE
    }
  }
}

const NOT_RETRYABLE: FailureClass = { retryable: false, notApplied: false, honoursRetryAfter: false }
const AMBIGUOUS_RETRYABLE: FailureClass = { retryable: true, notApplied: false, honoursRetryAfter: false }

/**
 * `Retry-After` in milliseconds: delta-seconds (`"2"`, also `"1.5"`) or an HTTP date (relative to `now`, never
 * below 0). `undefined` when missing, empty, negative or unreadable.
 */
export function parseRetryAfter(value: string | string[] | null | undefined, now: number = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value
  if (typeof raw !== "string") return undefined
  const text = raw.trim()
  if (!text) return undefined
  if (/^\d+(\.\d+)?$/.test(text)) {
    const ms = Math.ceil(Number(text) * 1000)
    return Number.isFinite(ms) ? ms : undefined
  }
  // An HTTP date has a weekday or a month name and a year; reject bare numbers like "-1" or "1e3".
  if (!/[a-z]{3}/i.test(text) || !/\d{4}/.test(text)) return undefined
  const at = Date.parse(text)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - now)
}

/**
 * The wait before retry number `retry` (1 for the first retry): `cap = min(maxDelayMs, baseDelayMs * 2^(retry-1))`,
 * then full jitter `[0, cap)` or equal jitter `[cap/2, cap)`. Whole milliseconds.
 */
export function backoffDelay(
  retry: number,
  config: Pick<RetryPolicyConfig, "baseDelayMs" | "maxDelayMs" | "jitter" | "random">
): number {
  const exponent = Math.max(0, retry - 1)
  // 2^exponent overflows to Infinity for large retries: min() keeps it at the cap.
  // setTimeout fires at once past MAX_TIMER_MS: a huge maxDelayMs must not turn into no wait at all.
  const cap = Math.max(0, Math.min(config.maxDelayMs, MAX_TIMER_MS, config.baseDelayMs * Math.pow(2, exponent)))
  const r = clampRandom((config.random ?? Math.random)())
  const delay = (config.jitter ?? "equal") === "full" ? cap * r : cap / 2 + (cap / 2) * r
  return Math.floor(delay)
}

/**
 * Whether to try again after `failure`, given `retriesDone` retries already made (0 after the first attempt).
 * `idempotent: false` (points) repeats only failures where the request surely was not applied.
 */
export function decideRetry(
  failure: AttemptFailure,
  retriesDone: number,
  config: RetryPolicyConfig,
  options: { idempotent?: boolean; maxRetries?: number } = {}
): RetryDecision {
  const cls = classifyFailure(failure)
  const retryAfterMs =
    cls.honoursRetryAfter && failure.kind === "http"
      ? parseRetryAfter(failure.retryAfter, (config.now ?? Date.now)())
      : undefined
  const withRetryAfter = retryAfterMs === undefined ? {} : { retryAfterMs }

  if (!cls.retryable) return { retry: false, reason: "not_retryable" }
  if ((options.idempotent ?? true) === false && !cls.notApplied) return { retry: false, reason: "outcome_unknown" }
  if (retriesDone >= (options.maxRetries ?? config.maxRetries)) return { retry: false, reason: "retries_exhausted", ...withRetryAfter }

  if (retryAfterMs !== undefined) {
    const ceiling = Math.min(config.maxRetryAfterMs ?? Math.max(config.maxDelayMs, 60_000), MAX_TIMER_MS)
    if (retryAfterMs > ceiling) return { retry: false, reason: "retry_after_too_long", retryAfterMs }
    return { retry: true, delayMs: retryAfterMs, reason: "retry_after" }
  }
  return { retry: true, delayMs: backoffDelay(retriesDone + 1, config), reason: "backoff" }
}

/** `decideRetry` bound to one configuration. */
export class RetryPolicy {
  constructor(readonly config: RetryPolicyConfig) {}

  /** `maxRetries` overrides the configuration's for one call. */
  decide(failure: AttemptFailure, retriesDone: number, options?: { idempotent?: boolean; maxRetries?: number }): RetryDecision {
    return decideRetry(failure, retriesDone, this.config, options)
  }
}

function clampRandom(r: number): number {
  if (!Number.isFinite(r) || r < 0) return 0
  return r >= 1 ? 1 - Number.EPSILON : r
}
