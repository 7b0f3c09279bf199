import { MedusaError } from "@medusajs/framework/utils"
import { Pool } from "undici"
import {
  WOOWUP_API_CODES,
  WOOWUP_CLIENT_CODES,
  WoowupError,
  pathWithoutQuery,
  safeText,
  type WoowupErrorCode,
} from "./errors"
import { ConnectionGate } from "./connection-gate"
import type { CallPriority } from "./fifo"
import { CallLanes, backgroundLimit, storefrontLimit, type AttemptPermit } from "./lanes"
import {
  MAX_TIMER_MS,
  SlidingWindowRateLimiter,
  type LimiterClock,
  type WoowupRateLimiter,
} from "./rate-limiter"
import {
  RetryPolicy,
  classifyFailure,
  parseRetryAfter,
  type AttemptFailure,
  type JitterMode,
} from "./retry-policy"
import {
  IDENTITY_FIELDS,
  badRequestPayloadSchema,
  WOOWUP_SKU_PATTERN,
  describeIssues,
  existPayloadSchema,
  parseEnvelope,
  pointsPayloadSchema,
  productListPayloadSchema,
  productPath,
  purchaseListPayloadSchema,
  transactionListPayloadSchema,
  woowupCustomerSchema,
  woowupProductInputSchema,
  woowupProductSchema,
  woowupProductUpdateSchema,
  woowupPurchaseSchema,
  type ListTransactionsOptions,
  type WoowupCustomer,
  type WoowupCustomerInput,
  type WoowupEnvelope,
  type WoowupIdentity,
  type WoowupPointsInput,
  type WoowupPointsResult,
  type WoowupProduct,
  type WoowupProductInput,
  type WoowupPurchase,
  type WoowupPurchaseInput,
  type WoowupTransaction,
} from "./schemas"

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

type Method = "GET" | "POST" | "PUT"

type RequestSpec = {
  method: Method
  /** Relative to `apiUrl`, without query. */
  path: string
  query?: Record<string, string | number | undefined>
  body?: unknown
  /** False for calls WoowUp does not de-duplicate: repeated only when surely not applied. */
  idempotent: boolean
  /** When the caller gives none. */
  priority: CallPriority
  /** Turns a failed answer's code into the one this call means (e.g. a duplicate `POST /products` → `product_exists`). */
  mapCode?: CodeMapper
}

/** A failed answer, as a call may read it: the envelope's code (or `http_<status>`), the status, the safe message. */
type CodeMapper = (answer: { status: number; code: WoowupErrorCode; message?: string }) => WoowupErrorCode

type Success = { status: number; envelope: WoowupEnvelope; attempts: number }

type AttemptFailureInfo = {
  failure: AttemptFailure
  code: WoowupErrorCode
  status?: number
  detail?: string
  serverMessage?: string
  details?: string[]
  cause?: unknown
}

type Attempt = { ok: true; value: Success } | { ok: false; info: AttemptFailureInfo }

/** Cap on the answer read into memory; past it the body is cut (and then is not valid JSON). */
const MAX_BODY_BYTES = 2 * 1024 * 1024
const NOOP_LOGGER: WoowupClientLogger = { debug() {}, info() {}, warn() {}, error() {} }
const CUSTOMER_EXISTS_MESSAGE = /usuario\s+existente|user\s+(already\s+)?exists|already\s+exists/i
/** Pause after a 429 without `Retry-After`: WoowUp said "too many" but not for how long. */
const DEFAULT_RETRY_AFTER_MS = 5_000
/** Longest pause a `Retry-After` can impose: a garbage header (a date years ahead) must not stop rewards for weeks. */
export const MAX_PAUSE_MS = 60 * 60_000
/** A slot whose request never reported its end (its process died) is held this long past the timeout. */
const HOLD_MARGIN_MS = 5_000

/**
 * HTTP client for WoowUp apiv3.
 *
 * Every attempt waits for a free connection (at most `connections` in flight), then for the rate limiter (in
 * memory, or shared by every process through Redis: `createWoowupClient`), and only then starts its `timeoutMs`
 * clock. It is classified by `retry-policy.ts`: 429 waits `Retry-After` and pauses every call as long; 500/502/
 * 503/504, timeouts and resets back off exponentially with jitter; other 4xx and WoowUp's `user_not_found` /
 * `duplicated_purchase_number` / `bad_request` / `forbidden` are final. Failures surface as `WoowupError`.
 *
 * @example
 * const client = new WoowupClient({ apiKey, apiUrl: "https://api.woowup.com/apiv3", timeoutMs: 30_000,
 *   maxRetries: 5, requestsPerMinute: 140, retryBaseDelayMs: 1_000, retryMaxDelayMs: 60_000 })
 * const result = await client.createPurchase(body) // { outcome: "created", purchase } | { outcome: "duplicate" }
 */
export class WoowupClient {
  readonly limiter: WoowupRateLimiter
  /** Storefront reads pass this one too: their bounded share of the window. */
  readonly storefrontLimiter: SlidingWindowRateLimiter
  /** The background feeds (`products`, `carts`) pass this one too: their bounded share of the window. */
  readonly backgroundLimiter: SlidingWindowRateLimiter
  readonly retryPolicy: RetryPolicy
  // A #private field: not printed by util.inspect, not serialised by JSON.stringify, not reachable as a property.
  readonly #apiKey: string
  private readonly apiUrl: string
  private readonly basePath: string
  private readonly gate: ConnectionGate
  private readonly lanes: CallLanes
  private readonly defaultRetryAfterMs: number
  private readonly pool: Pool
  private readonly timeoutMs: number
  private readonly maxRetries: number
  private readonly logger: WoowupClientLogger
  private closed = false
  private closing: Promise<void> | undefined
  /** Attempts in flight and waits between attempts, for `close()` to cut short. */
  private readonly inFlight = new Set<AbortController>()
  private readonly sleeping = new Set<() => void>()

  constructor(options: WoowupClientOptions) {
    if (!options.apiKey) throw new MedusaError(MedusaError.Types.INVALID_DATA, "WoowupClient: apiKey is required")
    let url: URL
    try {
      url = new URL(options.apiUrl)
    } catch {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "WoowupClient: apiUrl must be an absolute URL")
    }
    if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "WoowupClient: timeoutMs must be a positive number")
    }
    this.#apiKey = options.apiKey
    this.apiUrl = `${url.origin}${url.pathname}`
    this.basePath = url.pathname.replace(/\/+$/, "")
    this.timeoutMs = options.timeoutMs
    this.maxRetries = Math.max(0, Math.floor(options.maxRetries))
    this.logger = options.logger ?? NOOP_LOGGER

    this.defaultRetryAfterMs = Math.min(options.defaultRetryAfterMs ?? DEFAULT_RETRY_AFTER_MS, MAX_PAUSE_MS)
    this.limiter =
      options.limiter ??
      new SlidingWindowRateLimiter({
        limit: options.requestsPerMinute,
        windowMs: options.rateLimitWindowMs ?? 60_000,
        paceMs: options.rateLimitPaceMs,
        clock: options.clock,
      })
    this.retryPolicy = new RetryPolicy({
      maxRetries: this.maxRetries,
      baseDelayMs: options.retryBaseDelayMs,
      maxDelayMs: options.retryMaxDelayMs,
      jitter: options.jitter,
      maxRetryAfterMs: options.maxRetryAfterMs,
      random: options.random,
    })
    // The pool and the gate have the same size: an attempt that passed the gate has a connection of its own.
    const connections = options.connections ?? 8
    this.gate = new ConnectionGate(connections)
    this.lanes = new CallLanes({
      limiter: this.limiter,
      gate: this.gate,
      storefrontLimit: options.storefrontRequestsPerMinute ?? storefrontLimit(options.requestsPerMinute),
      backgroundLimit: options.backgroundRequestsPerMinute ?? backgroundLimit(options.requestsPerMinute),
      windowMs: options.rateLimitWindowMs ?? 60_000,
      clock: options.clock,
    })
    this.storefrontLimiter = this.lanes.storefront
    this.backgroundLimiter = this.lanes.background
    this.pool = new Pool(url.origin, {
      connections,
      keepAliveTimeout: 10_000,
      keepAliveMaxTimeout: 60_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      connect: { timeout: Math.min(options.timeoutMs, 10_000) },
    })
  }

  // -------------------------------------------------------------------------------------------------------------
  // Customers

  /** `GET /multiusers/exist`. */
  async customerExists(identity: WoowupIdentity, options?: WoowupCallOptions): Promise<boolean> {
    const path = "/multiusers/exist"
    const query = identityQuery("GET", path, identity)
    try {
      const answer = await this.execute({ method: "GET", path, query, idempotent: true, priority: "customers" }, options)
      return this.readPayload(existPayloadSchema, answer, "GET", path).exist
    } catch (error) {
      if (error instanceof WoowupError && error.code === WOOWUP_API_CODES.USER_NOT_FOUND) return false
      throw error
    }
  }

  /** `GET /multiusers/find`; null when WoowUp answers `user_not_found`. */
  async findCustomer(identity: WoowupIdentity, options?: WoowupCallOptions): Promise<WoowupCustomer | null> {
    const path = "/multiusers/find"
    const query = identityQuery("GET", path, identity)
    try {
      const answer = await this.execute({ method: "GET", path, query, idempotent: true, priority: "customers" }, options)
      return this.readPayload(woowupCustomerSchema, answer, "GET", path)
    } catch (error) {
      if (error instanceof WoowupError && error.code === WOOWUP_API_CODES.USER_NOT_FOUND) return null
      throw error
    }
  }

  /**
   * `POST /users`. A customer that already exists fails with code `customer_exists` (WoowUp answers
   * `internal_error` "usuario existente"). Returns WoowUp's echo, or null when the answer carried none.
   */
  async createCustomer(body: WoowupCustomerInput, options?: WoowupCallOptions): Promise<WoowupCustomer | null> {
    identityQuery("POST", "/users", body)
    const answer = await this.execute({ method: "POST", path: "/users", body, idempotent: true, priority: "customers" }, options)
    return this.readWritePayload(woowupCustomerSchema, answer, "POST", "/users")
  }

  /** `PUT /multiusers` (the customer is matched on the identity in the body); `user_not_found` throws. */
  async updateCustomer(body: WoowupCustomerInput, options?: WoowupCallOptions): Promise<WoowupCustomer | null> {
    identityQuery("PUT", "/multiusers", body)
    const answer = await this.execute({ method: "PUT", path: "/multiusers", body, idempotent: true, priority: "customers" }, options)
    return this.readWritePayload(woowupCustomerSchema, answer, "PUT", "/multiusers")
  }

  // -------------------------------------------------------------------------------------------------------------
  // Purchases

  /**
   * `POST /purchases`. Safe to send again after an unknown outcome: `invoice_number` is WoowUp's de-duplication
   * key, so a repeat answers `duplicated_purchase_number`, returned as `{ outcome: "duplicate" }`.
   * An unknown customer throws `WoowupError` code `user_not_found` (not retryable): create it and send again.
   */
  async createPurchase(body: WoowupPurchaseInput, options?: WoowupCallOptions): Promise<CreatePurchaseResult> {
    identityQuery("POST", "/purchases", body)
    if (!body.invoice_number) throw invalidArgument("POST", "/purchases", "invoice_number is required")
    try {
      const answer = await this.execute({ method: "POST", path: "/purchases", body, idempotent: true, priority: "orders" }, options)
      return { outcome: "created", purchase: this.readWritePayload(woowupPurchaseSchema, answer, "POST", "/purchases") }
    } catch (error) {
      if (error instanceof WoowupError && error.code === WOOWUP_API_CODES.DUPLICATED_PURCHASE_NUMBER) {
        return { outcome: "duplicate" }
      }
      throw error
    }
  }

  /** `PUT /purchases`, matched by `invoice_number`. An unknown purchase throws (WoowUp code, e.g. `not_found`). */
  async updatePurchase(body: WoowupPurchaseInput, options?: WoowupCallOptions): Promise<WoowupPurchase | null> {
    if (!body.invoice_number) throw invalidArgument("PUT", "/purchases", "invoice_number is required")
    const answer = await this.execute({ method: "PUT", path: "/purchases", body, idempotent: true, priority: "orders" }, options)
    return this.readWritePayload(woowupPurchaseSchema, answer, "PUT", "/purchases")
  }

  /** `GET /purchases?invoice_number=`; null when WoowUp has none. */
  async findPurchase(invoiceNumber: string, options?: WoowupCallOptions): Promise<WoowupPurchase | null> {
    const path = "/purchases"
    if (!invoiceNumber) throw invalidArgument("GET", path, "invoiceNumber is required")
    try {
      const answer = await this.execute(
        { method: "GET", path, query: { invoice_number: invoiceNumber }, idempotent: true, priority: "orders" },
        options
      )
      const list = this.readPayload(purchaseListPayloadSchema, answer, "GET", path)
      return list.find((p) => p.invoice_number === invoiceNumber) ?? null
    } catch (error) {
      if (error instanceof WoowupError && error.status === 404 && /not_found$/.test(error.code)) return null
      throw error
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Products (the catalog feed: one WoowUp product per variant)

  /**
   * `POST /products`. The body is checked against `woowupProductInputSchema` first (`invalid_argument` naming the
   * field, nothing sent). A SKU WoowUp already has throws code `product_exists` (not retryable): send it with
   * `updateProduct` instead. Retried after a lost answer like every call WoowUp de-duplicates: the repeat finds the
   * product there and answers `product_exists` even though this call created it, and the `updateProduct` that
   * follows sends the same fields again: the catalog converges either way, one call later.
   */
  async createProduct(body: WoowupProductInput, options?: WoowupCallOptions): Promise<WoowupProduct | null> {
    const path = "/products"
    const parsed = woowupProductInputSchema.safeParse(body)
    if (!parsed.success) throw invalidArgument("POST", path, describeIssues(parsed.error))
    const answer = await this.execute(
      { method: "POST", path, body: parsed.data, idempotent: true, priority: "products", mapCode: productCreateCode },
      options
    )
    return this.readWritePayload(woowupProductSchema, answer, "POST", path)
  }

  /**
   * `PUT /products/{sku}` (the SKU base64- then URL-encoded in the path): replaces the fields given, keeps the
   * others. An unknown SKU throws code `product_not_found` (not retryable): send it with `createProduct` instead
   * (WoowUp may instead create it: unconfirmed, the sandbox models both). Safe to repeat: it sets fields.
   */
  async updateProduct(
    sku: string,
    body: Partial<WoowupProductInput>,
    options?: WoowupCallOptions
  ): Promise<WoowupProduct | null> {
    if (typeof sku !== "string" || !WOOWUP_SKU_PATTERN.test(sku)) {
      throw invalidArgument("PUT", "/products", `sku: must match WoowUp's SKU rule ${WOOWUP_SKU_PATTERN.source}`)
    }
    const path = productPath(sku)
    const parsed = woowupProductUpdateSchema.safeParse(body)
    if (!parsed.success) throw invalidArgument("PUT", path, describeIssues(parsed.error))
    if (parsed.data.sku !== undefined && parsed.data.sku !== sku) {
      throw invalidArgument("PUT", path, "sku: the body's sku must be the one in the path")
    }
    if (!Object.values(parsed.data).some((v) => v !== undefined)) {
      throw invalidArgument("PUT", path, "body: at least one field to update is required")
    }
    const answer = await this.execute(
      { method: "PUT", path, body: parsed.data, idempotent: true, priority: "products", mapCode: productUpdateCode },
      options
    )
    return this.readWritePayload(woowupProductSchema, answer, "PUT", path)
  }

  /** `GET /products?sku=`; null when WoowUp has no product with exactly that SKU. */
  async findProduct(sku: string, options?: WoowupCallOptions): Promise<WoowupProduct | null> {
    const path = "/products"
    if (typeof sku !== "string" || !sku) throw invalidArgument("GET", path, "sku is required")
    try {
      const answer = await this.execute(
        { method: "GET", path, query: { sku }, idempotent: true, priority: "products" },
        options
      )
      const list = this.readPayload(productListPayloadSchema, answer, "GET", path)
      return list.find((p) => p.sku === sku) ?? null
    } catch (error) {
      if (error instanceof WoowupError && error.status === 404 && /not_found$/.test(error.code)) return null
      throw error
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Points

  /**
   * `POST /multiusers/points` (`points` may be negative). WoowUp does not de-duplicate these, so the client
   * repeats one only when it surely was not applied (429, connection refused). On a timeout, reset or 5xx it
   * throws with `outcomeUnknown: true`: look for the call in `listTransactions` (e.g. by a unique token in
   * `description`) before sending it again.
   */
  async addPoints(input: WoowupPointsInput, options?: WoowupCallOptions): Promise<WoowupPointsResult> {
    const path = "/multiusers/points"
    identityQuery("POST", path, input)
    if (!Number.isInteger(input.points)) throw invalidArgument("POST", path, "points must be an integer")
    if (!input.concept?.trim()) throw invalidArgument("POST", path, "concept is required")
    const body: Record<string, unknown> = { ...pickIdentity(input), points: input.points, concept: input.concept }
    if (input.description !== undefined) body.description = input.description
    const answer = await this.execute({ method: "POST", path, body, idempotent: false, priority: "orders" }, options)
    return this.readWritePayload(pointsPayloadSchema, answer, "POST", path) ?? null
  }

  /**
   * `GET /multiusers/transactions`: one page (0-based `page`, `limit` 1..100). There is no total: loop until a
   * page comes back empty (a shorter page is no end: an account may cap pages below `limit`). Give `from` and `to`
   * with an explicit offset (`formatWoowupDate`): a zone-less time may be read as the account's local time.
   */
  async listTransactions(
    identity: WoowupIdentity,
    options: ListTransactionsOptions = {},
    callOptions?: WoowupCallOptions
  ): Promise<WoowupTransaction[]> {
    const path = "/multiusers/transactions"
    const query: Record<string, string | number | undefined> = identityQuery("GET", path, identity)
    if (options.page !== undefined && !(Number.isInteger(options.page) && options.page >= 0)) {
      throw invalidArgument("GET", path, "page must be an integer >= 0")
    }
    if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit >= 1 && options.limit <= 100)) {
      throw invalidArgument("GET", path, "limit must be an integer from 1 to 100")
    }
    query.from = options.from
    query.to = options.to
    query.page = options.page
    query.limit = options.limit
    const answer = await this.execute({ method: "GET", path, query, idempotent: true, priority: "orders" }, callOptions)
    return this.readPayload(transactionListPayloadSchema, answer, "GET", path)
  }

  /** What the rate limiter has counted in the current window, for a status page. */
  usage(): WoowupUsage {
    const { used, limit, windowMs, pausedUntil, source } = this.limiter.usage()
    return {
      used,
      limit,
      windowMs,
      paused_until: pausedUntil === null ? null : new Date(pausedUntil).toISOString(),
      source,
    }
  }

  /** Rejects calls waiting for the limiter or a retry, aborts those in flight, closes the connections. */
  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true
      for (const controller of this.inFlight) controller.abort(new Error("closed"))
      for (const wake of this.sleeping) wake()
      const error = new WoowupError({
        code: WOOWUP_CLIENT_CODES.CLIENT_CLOSED,
        // A restart cut the call short: a later run (another process) can do it.
        retryable: true,
        method: "-",
        path: "-",
        attempts: 0,
        detail: "the client was closed",
      })
      this.gate.close(error)
      this.lanes.close(error)
      const limiterClosed = Promise.resolve()
        .then(() => this.limiter.close(error))
        .catch(() => undefined)
      const poolClosed = this.pool.close().catch(() => this.pool.destroy())
      this.closing = Promise.all([limiterClosed, poolClosed]).then(() => undefined)
    }
    return this.closing
  }

  /** What `JSON.stringify` and logs see of the client: where it points and what it has counted, never the key. */
  toJSON(): { apiUrl: string; usage: WoowupUsage } {
    return { apiUrl: this.apiUrl, usage: this.usage() }
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `WoowupClient ${JSON.stringify(this.toJSON())}`
  }

  // -------------------------------------------------------------------------------------------------------------
  // Engine

  /** Runs the attempts of one call. Resolves with a 2xx `ok` envelope; throws a `WoowupError` otherwise. */
  private async execute(spec: RequestSpec, call: WoowupCallOptions = {}): Promise<Success> {
    const path = pathWithoutQuery(spec.path)
    const target = this.basePath + spec.path + queryString(spec.query)
    const body = spec.body === undefined ? undefined : JSON.stringify(spec.body)
    const timeoutMs = call.timeoutMs ?? this.timeoutMs
    const maxRetries = call.maxRetries ?? this.maxRetries
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw invalidArgument(spec.method, path, "timeoutMs must be a positive number")
    }
    if (!Number.isInteger(maxRetries) || maxRetries < 0) {
      throw invalidArgument(spec.method, path, "maxRetries must be an integer >= 0")
    }
    const { signal } = call
    const priority = call.priority ?? spec.priority
    const attempts = maxRetries + 1
    let maybeApplied = false

    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw this.closedError(spec.method, path, attempt - 1)
      if (signal?.aborted) throw abortedError(spec.method, path, attempt - 1, maybeApplied)
      // Its share (storefront, background), a connection, then a rate-limit slot: the attempt's clock starts only
      // when it can be sent at once (`lanes.ts`).
      let permit: AttemptPermit
      try {
        permit = await this.lanes.acquire(priority, { signal, holdMs: timeoutMs + HOLD_MARGIN_MS })
      } catch {
        if (!this.closed && signal?.aborted) throw abortedError(spec.method, path, attempt - 1, maybeApplied)
        // Neither the gate nor a limiter rejects for any other reason than close().
        throw this.closedError(spec.method, path, attempt - 1)
      }

      if (call.beforeSend && !(await mayStillSend(call.beforeSend))) {
        // The slot is spent (counted from now) rather than handed back: rare, and the window stays honest.
        permit.done()
        throw abortedError(spec.method, path, attempt - 1, maybeApplied, "its beforeSend check refused it as it was about to leave")
      }

      const started = performance.now()
      let result: Attempt
      try {
        result = await this.attempt(spec.method, target, body, timeoutMs, spec.mapCode)
      } finally {
        permit.done()
      }
      const ms = Math.round(performance.now() - started)

      if (result.ok) {
        this.logger.debug(`woowup: ${spec.method} ${path} -> ${result.value.status} ok in ${ms}ms (attempt ${attempt}/${attempts})`)
        return { ...result.value, attempts: attempt }
      }

      const { info } = result
      if (info.code === WOOWUP_CLIENT_CODES.CLIENT_CLOSED) throw this.closedError(spec.method, path, attempt)
      const statusText = info.status !== undefined ? String(info.status) : info.failure.kind
      this.logger.debug(
        `woowup: ${spec.method} ${path} -> ${statusText} ${info.code} in ${ms}ms (attempt ${attempt}/${attempts})`
      )

      const cls = classifyFailure(info.failure)
      if (spec.method !== "GET" && cls.retryable && !cls.notApplied) maybeApplied = true
      // Every 429 holds back every call of this client (and, with Redis, of every process on the account) for as
      // long as WoowUp asked, whether or not this call retries: the backlog must not keep hitting WoowUp.
      if (cls.honoursRetryAfter) this.pauseFor429(info.failure)
      const decision = this.retryPolicy.decide(info.failure, attempt - 1, { idempotent: spec.idempotent, maxRetries })

      if (!decision.retry) {
        const error = new WoowupError({
          code: info.code,
          status: info.status,
          retryable: cls.retryable,
          outcomeUnknown: cls.retryable && maybeApplied,
          method: spec.method,
          path,
          attempts: attempt,
          detail: info.detail,
          serverMessage: info.serverMessage,
          details: info.details,
          retryAfterMs: decision.retryAfterMs,
          cause: info.cause,
        })
        if (info.code === WOOWUP_API_CODES.FORBIDDEN || info.status === 401 || info.status === 403) {
          this.logger.error(`woowup: WoowUp refused the API key (${info.code}): check the plugin's apiKey option`)
        }
        throw error
      }

      this.logger.warn(
        `woowup: ${spec.method} ${path} failed (${statusText} ${info.code}), attempt ${attempt}/${attempts}; ` +
          `retrying in ${decision.delayMs}ms (${decision.reason === "retry_after" ? "Retry-After" : "backoff"})`
      )
      await this.sleep(decision.delayMs, signal)
      if (this.closed) throw this.closedError(spec.method, path, attempt)
      if (signal?.aborted) throw abortedError(spec.method, path, attempt, maybeApplied)
    }
  }

  /** One HTTP exchange under `timeoutMs`. Never throws. */
  private async attempt(
    method: Method,
    target: string,
    body: string | undefined,
    timeoutMs: number,
    mapCode?: CodeMapper
  ): Promise<Attempt> {
    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort(new Error("timeout"))
    }, timeoutMs)
    this.inFlight.add(controller)

    try {
      const response = await this.pool.request({
        method,
        path: target,
        headers: {
          authorization: `Basic ${this.#apiKey}`,
          accept: "application/json",
          "content-type": "application/json",
          "user-agent": "medusa-plugin-woowup",
        },
        body,
        signal: controller.signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      })
      const text = await readCapped(response.body, MAX_BODY_BYTES)
      return this.interpret(response.statusCode, response.headers["retry-after"], text, mapCode)
    } catch (error) {
      if (this.closed) return { ok: false, info: closedInfo() }
      return { ok: false, info: this.networkFailure(error, timedOut, timeoutMs) }
    } finally {
      clearTimeout(timer)
      this.inFlight.delete(controller)
    }
  }

  private interpret(
    status: number,
    retryAfterHeader: string | string[] | undefined,
    text: string,
    mapCode?: CodeMapper
  ): Attempt {
    const parsed = parseEnvelope(text)
    const retryAfter = Array.isArray(retryAfterHeader) ? retryAfterHeader[0] : retryAfterHeader
    const is2xx = status >= 200 && status < 300

    if (!parsed.ok) {
      if (is2xx) {
        return {
          ok: false,
          info: {
            failure: { kind: "invalid_response", status },
            code: WOOWUP_CLIENT_CODES.INVALID_RESPONSE,
            status,
            detail: `a ${status} answer that is not a WoowUp envelope (${parsed.reason.replace("_", " ")})`,
          },
        }
      }
      return {
        ok: false,
        info: {
          failure: { kind: "http", status, retryAfter },
          code: status === 429 ? WOOWUP_CLIENT_CODES.RATE_LIMITED : `http_${status}`,
          status,
          detail: safeText(text, [this.#apiKey], 120),
        },
      }
    }

    const { envelope } = parsed
    if (is2xx && envelope.code === WOOWUP_API_CODES.OK) return { ok: true, value: { status, envelope, attempts: 0 } }

    const serverMessage = safeText(envelope.message, [this.#apiKey])
    let code: WoowupErrorCode = envelope.code
    if (code === WOOWUP_API_CODES.OK) code = `http_${status}`
    if (code === WOOWUP_API_CODES.INTERNAL_ERROR && serverMessage && CUSTOMER_EXISTS_MESSAGE.test(serverMessage)) {
      code = WOOWUP_CLIENT_CODES.CUSTOMER_EXISTS
    }
    // Before the retry policy sees it: a code a call maps to one of its own is classified as that one.
    if (mapCode) code = mapCode({ status, code, message: serverMessage })
    const errors = badRequestPayloadSchema.safeParse(envelope.payload)
    const details = errors.success
      ? errors.data.errors
          .slice(0, 10)
          .map((e) => safeText(e, [this.#apiKey], 160))
          .filter((e): e is string => !!e)
      : undefined
    return {
      ok: false,
      info: { failure: { kind: "http", status, code, retryAfter }, code, status, serverMessage, details },
    }
  }

  private networkFailure(error: unknown, timedOut: boolean, timeoutMs: number): AttemptFailureInfo {
    const errno = errorCode(error)
    const isTimeoutCode =
      errno === "UND_ERR_CONNECT_TIMEOUT" || errno === "UND_ERR_HEADERS_TIMEOUT" || errno === "UND_ERR_BODY_TIMEOUT"
    if (timedOut || isTimeoutCode) {
      const phase = errno === "UND_ERR_CONNECT_TIMEOUT" ? "connect" : "request"
      return {
        failure: { kind: "timeout", phase },
        code: WOOWUP_CLIENT_CODES.TIMEOUT,
        detail: `no complete answer within ${timeoutMs}ms${phase === "connect" ? " (connect)" : ""}`,
        cause: error,
      }
    }
    const message = error instanceof Error ? safeText(error.message, [this.#apiKey], 120) : undefined
    return {
      failure: { kind: "network", errno },
      code: WOOWUP_CLIENT_CODES.NETWORK_ERROR,
      detail: [errno, message].filter(Boolean).join(" ") || undefined,
      cause: error,
    }
  }

  /** A read's payload must have the expected shape; if not, `unexpected_payload` (not retryable). */
  private readPayload<T>(
    schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
    { envelope, attempts }: Success,
    method: Method,
    path: string
  ): T {
    const parsed = schema.safeParse(envelope.payload)
    if (parsed.success) return parsed.data
    throw new WoowupError({
      code: WOOWUP_CLIENT_CODES.UNEXPECTED_PAYLOAD,
      retryable: false,
      method,
      path,
      attempts,
      detail: "the answer's payload does not have the expected shape",
    })
  }

  /** A write succeeded whatever its echo looks like: an unreadable echo is null, not an error. */
  private readWritePayload<T>(
    schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
    { envelope }: Success,
    method: Method,
    path: string
  ): T | null {
    if (envelope.payload === undefined || envelope.payload === null) return null
    const parsed = schema.safeParse(envelope.payload)
    if (parsed.success) return parsed.data
    this.logger.debug(`woowup: ${method} ${path} succeeded with a payload of unexpected shape`)
    return null
  }

  private pauseFor429(failure: AttemptFailure): void {
    const asked = failure.kind === "http" ? parseRetryAfter(failure.retryAfter) : undefined
    const ms = Math.min(asked ?? this.defaultRetryAfterMs, MAX_PAUSE_MS)
    if (ms <= 0) return
    this.limiter.pause(ms)
    this.logger.warn(
      `woowup: WoowUp answered 429 (too many requests): holding every call back for ${ms}ms` +
        (asked === undefined ? " (no Retry-After given)" : "")
    )
  }

  /** Waits `ms`; `close()` or the call's signal ends the wait early. */
  private sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || this.closed || signal?.aborted) return Promise.resolve()
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer)
        this.sleeping.delete(wake)
        signal?.removeEventListener("abort", wake)
        resolve()
      }
      const timer = setTimeout(wake, Math.min(ms, MAX_TIMER_MS))
      this.sleeping.add(wake)
      signal?.addEventListener("abort", wake, { once: true })
    })
  }

  private closedError(method: string, path: string, attempts: number): WoowupError {
    return new WoowupError({
      code: WOOWUP_CLIENT_CODES.CLIENT_CLOSED,
      retryable: true,
      outcomeUnknown: method !== "GET" && attempts > 0,
      method,
      path,
      attempts,
      detail: "the client was closed",
    })
  }
}

/** Codes and messages a duplicate `POST /products` may come back with (WoowUp's own answer is unconfirmed). */
const PRODUCT_EXISTS_CODE = /^(duplicated?_(product|sku)\w*|product_exists|already_exists)$/i
const PRODUCT_EXISTS_MESSAGE = /already\s+exists|ya\s+existe|existente|duplicad|duplicate/i

/**
 * `POST /products` for a SKU WoowUp has: the sandbox answers 409 `duplicated_product`; a 409, a `duplicated_*` code,
 * or a server error saying it exists (as `POST /users` does, "usuario existente") all mean `product_exists`.
 */
const productCreateCode: CodeMapper = ({ status, code, message }) => {
  if (code === WOOWUP_API_CODES.BAD_REQUEST) return code
  const exists =
    status === 409 ||
    PRODUCT_EXISTS_CODE.test(code) ||
    (code === WOOWUP_API_CODES.INTERNAL_ERROR && !!message && PRODUCT_EXISTS_MESSAGE.test(message))
  return exists ? WOOWUP_CLIENT_CODES.PRODUCT_EXISTS : code
}

/** `PUT /products/{sku}` for a SKU WoowUp does not have: a 404 `*not_found` (the sandbox's `product_not_found`). */
const productUpdateCode: CodeMapper = ({ status, code }) =>
  (status === 404 && /not_found$/.test(code)) || code === WOOWUP_CLIENT_CODES.PRODUCT_NOT_FOUND
    ? WOOWUP_CLIENT_CODES.PRODUCT_NOT_FOUND
    : code

/** A `beforeSend` that fails (e.g. its database is away) says no: sending is what must be proven safe. */
async function mayStillSend(beforeSend: () => Promise<boolean>): Promise<boolean> {
  try {
    return (await beforeSend()) === true
  } catch {
    return false
  }
}

function abortedError(
  method: string,
  path: string,
  attempts: number,
  maybeApplied: boolean,
  why = attempts > 0 ? "by its signal while waiting to retry" : "by its signal before it was sent"
): WoowupError {
  return new WoowupError({
    code: WOOWUP_CLIENT_CODES.ABORTED,
    // The caller gave up, WoowUp did not refuse: a later run can do it.
    retryable: true,
    outcomeUnknown: attempts > 0 && maybeApplied,
    method,
    path,
    attempts,
    detail: `the call was aborted ${why}`,
  })
}

function closedInfo(): AttemptFailureInfo {
  return { failure: { kind: "network" }, code: WOOWUP_CLIENT_CODES.CLIENT_CLOSED }
}

function invalidArgument(method: string, path: string, detail: string): WoowupError {
  return new WoowupError({ code: WOOWUP_CLIENT_CODES.INVALID_ARGUMENT, retryable: false, method, path, attempts: 0, detail })
}

function pickIdentity(identity: WoowupIdentity): Record<string, string> {
  const out: Record<string, string> = {}
  for (const field of IDENTITY_FIELDS) {
    const value = identity[field]
    if (typeof value === "string" && value.trim()) out[field] = value
  }
  return out
}

/** The identity fields of `identity`; throws `invalid_argument` when there is none. */
function identityQuery(method: string, path: string, identity: WoowupIdentity): Record<string, string> {
  const picked = pickIdentity(identity ?? {})
  if (!Object.keys(picked).length) {
    throw invalidArgument(method, path, `one of ${IDENTITY_FIELDS.join(", ")} is required`)
  }
  return picked
}

function queryString(query: RequestSpec["query"]): string {
  if (!query) return ""
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.append(key, String(value))
  }
  const s = params.toString()
  return s ? `?${s}` : ""
}

function errorCode(error: unknown): string | undefined {
  if (!error || typeof error !== "object") return undefined
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown }
  if (typeof e.code === "string") return e.code
  // Node's happy-eyeballs connect failure is an AggregateError of per-address errors.
  if (Array.isArray(e.errors) && e.errors.length) return errorCode(e.errors[0])
  if (e.cause && e.cause !== error) return errorCode(e.cause)
  return undefined
}

async function readCapped(body: AsyncIterable<Buffer | Uint8Array> & { destroy?(): void }, max: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)
    size += buf.length
    if (size > max) {
      chunks.push(buf.subarray(0, buf.length - (size - max)))
      body.destroy?.()
      break
    }
    chunks.push(buf)
  }
  return Buffer.concat(chunks).toString("utf8")
}

