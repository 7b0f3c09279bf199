/**
 * Errors raised by the WoowUp API client.
 *
 * A `WoowupError` is meant to be logged and stored on a record (`toJSON()`), so everything in it is built to be
 * safe: the API key never appears (it only travels in a header, and any server text is scrubbed of it), query
 * strings are dropped from `path` (they carry e-mails, documents, phones), server messages are shortened,
 * stripped of HTML and of e-mail addresses.
 */

/** Codes the client produces itself, next to WoowUp's own envelope codes (`bad_request`, `forbidden`, ...). */
export const WOOWUP_CLIENT_CODES = {
  /** The attempt did not complete within `timeoutMs`. */
  TIMEOUT: "timeout",
  /** Connection refused, reset, closed mid-answer, DNS failure... */
  NETWORK_ERROR: "network_error",
  /** A 2xx whose body is not JSON, is an HTML page, or is an envelope without `code`. Retryable. */
  INVALID_RESPONSE: "invalid_response",
  /** The envelope is fine but its `payload` is not the shape the client reads. Not retryable. */
  UNEXPECTED_PAYLOAD: "unexpected_payload",
  /** A 429 without a WoowUp envelope (WoowUp's own code is `too_many_request`). */
  RATE_LIMITED: "rate_limited",
  /** `POST /users` for a customer that exists: WoowUp answers `internal_error` "usuario existente". */
  CUSTOMER_EXISTS: "customer_exists",
  /**
   * `POST /products` for a SKU WoowUp already has (the sandbox answers 409 `duplicated_product`; WoowUp's own answer
   * is unconfirmed, see `woowup-client.ts`). Not retryable: update it with `PUT /products/{sku}` instead.
   */
  PRODUCT_EXISTS: "product_exists",
  /** `PUT /products/{sku}` for a SKU WoowUp does not have (404). Not retryable: create it with `POST /products`. */
  PRODUCT_NOT_FOUND: "product_not_found",
  /** A call rejected before any request: e.g. no identity field, points not an integer. */
  INVALID_ARGUMENT: "invalid_argument",
  /** `close()` was called while the call was waiting or running. */
  CLIENT_CLOSED: "client_closed",
  /** The caller's `signal` aborted the call while it waited (for the rate limiter or between retries). */
  ABORTED: "aborted",
} as const

/** WoowUp's envelope codes the plugin branches on. */
export const WOOWUP_API_CODES = {
  OK: "ok",
  USER_NOT_FOUND: "user_not_found",
  DUPLICATED_PURCHASE_NUMBER: "duplicated_purchase_number",
  BAD_REQUEST: "bad_request",
  FORBIDDEN: "forbidden",
  ACCOUNT_DELETED: "account_deleted",
  TOO_MANY_REQUEST: "too_many_request",
  INTERNAL_ERROR: "internal_error",
} as const

export type WoowupErrorCode =
  | (typeof WOOWUP_CLIENT_CODES)[keyof typeof WOOWUP_CLIENT_CODES]
  | (typeof WOOWUP_API_CODES)[keyof typeof WOOWUP_API_CODES]
  // Any other envelope code WoowUp sends, or `http_<status>` for a non-2xx answer without an envelope.
  | (string & {})

export type WoowupErrorInit = {
  code: WoowupErrorCode
  /** Short, already-safe description (see `safeText`). */
  detail?: string
  status?: number
  retryable: boolean
  method: string
  /** Request path relative to `apiUrl`, without its query string. */
  path: string
  attempts: number
  /**
   * True when the request may have been applied by WoowUp although the client saw a failure (timeout,
   * connection dropped after sending, 5xx, garbage 2xx). Matters for calls WoowUp does not de-duplicate
   * (`POST /multiusers/points`): the client never repeats those on such an outcome.
   */
  outcomeUnknown?: boolean
  /** From `Retry-After` of a 429, when WoowUp asked for a wait longer than the client was willing to sleep. */
  retryAfterMs?: number
  /** `payload.errors[]` of a `bad_request`, each made safe and short. */
  details?: string[]
  /** The envelope's `message`, made safe and short. */
  serverMessage?: string
  cause?: unknown
}

/** The serialisable form of a `WoowupError` (what `toJSON()` returns). */
export type WoowupErrorJSON = {
  name: "WoowupError"
  message: string
  code: string
  status?: number
  retryable: boolean
  outcomeUnknown: boolean
  method: string
  path: string
  attempts: number
  retryAfterMs?: number
  details?: string[]
  serverMessage?: string
}

/**
 * A failed WoowUp call.
 *
 * - `code`: WoowUp's envelope code (`bad_request`, `forbidden`, `user_not_found`, `internal_error`, ...), or one of
 *   the client's (`timeout`, `network_error`, `invalid_response`, `rate_limited`, `http_<status>`, ...).
 * - `retryable`: the failure is transient (429, 5xx, timeout, network, garbage 2xx): trying again later may work.
 *   By the time the error reaches the caller, the client has already spent its own `maxRetries`.
 * - `outcomeUnknown`: WoowUp may have applied the request. For `addPoints`, check `listTransactions` before
 *   sending again: WoowUp has no de-duplication of points.
 */
export class WoowupError extends Error {
  override readonly name = "WoowupError"
  readonly code: WoowupErrorCode
  readonly status?: number
  readonly retryable: boolean
  readonly outcomeUnknown: boolean
  readonly method: string
  readonly path: string
  readonly attempts: number
  readonly retryAfterMs?: number
  readonly details?: string[]
  readonly serverMessage?: string
  private readonly detail_?: string

  constructor(init: WoowupErrorInit) {
    super(buildMessage(init))
    Object.defineProperty(this, "detail_", { value: init.detail, enumerable: false })
    this.code = init.code
    this.status = init.status
    this.retryable = init.retryable
    this.outcomeUnknown = init.outcomeUnknown ?? false
    this.method = init.method
    this.path = init.path
    this.attempts = init.attempts
    this.retryAfterMs = init.retryAfterMs
    this.details = init.details?.length ? init.details : undefined
    this.serverMessage = init.serverMessage || undefined
    // The cause (an undici error) is kept for debugging but is not enumerable, so it is never serialised.
    if (init.cause !== undefined) {
      Object.defineProperty(this, "cause", { value: init.cause, enumerable: false, writable: true, configurable: true })
    }
  }

  /** A copy of this error with a new attempt count (the client fills it in once the retries are over). */
  withAttempts(attempts: number): WoowupError {
    return new WoowupError({ ...this.toInit(), attempts })
  }

  toJSON(): WoowupErrorJSON {
    const json: WoowupErrorJSON = {
      name: "WoowupError",
      message: this.message,
      code: this.code,
      retryable: this.retryable,
      outcomeUnknown: this.outcomeUnknown,
      method: this.method,
      path: this.path,
      attempts: this.attempts,
    }
    if (this.status !== undefined) json.status = this.status
    if (this.retryAfterMs !== undefined) json.retryAfterMs = this.retryAfterMs
    if (this.details) json.details = [...this.details]
    if (this.serverMessage) json.serverMessage = this.serverMessage
    return json
  }

  private toInit(): WoowupErrorInit {
    return {
      code: this.code,
      status: this.status,
      retryable: this.retryable,
      outcomeUnknown: this.outcomeUnknown,
      method: this.method,
      path: this.path,
      attempts: this.attempts,
      retryAfterMs: this.retryAfterMs,
      details: this.details,
      serverMessage: this.serverMessage,
      cause: (this as { cause?: unknown }).cause,
      detail: this.detail_,
    }
  }
}

export function isWoowupError(error: unknown): error is WoowupError {
  return error instanceof WoowupError
}

function buildMessage(init: WoowupErrorInit): string {
  const status = init.status !== undefined ? `HTTP ${init.status}, ` : ""
  const tries = `${init.attempts} attempt${init.attempts === 1 ? "" : "s"}`
  const head = `WoowUp ${init.method} ${init.path} failed (${status}${init.code}, ${tries})`
  const detail = init.detail ?? init.serverMessage
  return detail ? `${head}: ${detail}` : head
}

const EMAIL = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[a-z]{2,}/gi
const TAGS = /<[^>]*>/g

/**
 * Makes a text from the server (or from a network library) fit for a log line or a stored record: the secrets
 * given are replaced by `[redacted]`, HTML pages are reduced to their `<title>` (or dropped), e-mail addresses
 * become `[email]`, whitespace is collapsed, and the result is cut to `max` characters.
 */
export function safeText(text: unknown, secrets: readonly string[] = [], max = 200): string | undefined {
  if (text === undefined || text === null) return undefined
  let s = typeof text === "string" ? text : safeStringify(text)
  for (const secret of secrets) {
    for (const form of secretForms(secret)) s = s.split(form).join("[redacted]")
  }
  if (/<(!doctype|html|head|body|title)\b/i.test(s)) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(s)?.[1]
    s = title ? `HTML page "${title}"` : "HTML page"
  }
  s = s.replace(TAGS, " ").replace(EMAIL, "[email]").replace(/\s+/g, " ").trim()
  if (!s) return undefined
  return s.length > max ? `${s.slice(0, max - 1)}…` : s
}

/**
 * A secret as it may show up in a text: as is, base64 (standard and URL-safe, with or without padding) and
 * URL-encoded (a server echoing an `Authorization` header, or a URL it was given). Longest first, so a longer form
 * is never half-replaced through a shorter one it contains.
 */
export function secretForms(secret: string): string[] {
  if (!secret) return []
  const base64 = Buffer.from(secret, "utf8").toString("base64")
  const forms = [
    secret,
    base64,
    base64.replace(/=+$/, ""),
    Buffer.from(secret, "utf8").toString("base64url"),
    encodeURIComponent(secret),
    encodeURIComponent(base64),
  ]
  // Very short forms would redact ordinary words; a key is never that short.
  return [...new Set(forms)].filter((f) => f.length >= 4).sort((a, b) => b.length - a.length)
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/** Drops the query string: its values identify people (`?email=`), the path alone does not. */
export function pathWithoutQuery(path: string): string {
  const i = path.search(/[?#]/)
  return i >= 0 ? path.slice(0, i) : path
}
