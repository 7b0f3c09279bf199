import { scopedCallPriority } from "./call-scope"
import { MedusaError } from "@medusajs/framework/utils"
import { Pool } from "undici"
import { invalidArgument } from "./call-helpers"
import { MAX_PAUSE_MS, type WoowupCallOptions, type WoowupClientLogger, type WoowupClientOptions } from "./client-types"
import { ConnectionGate } from "./connection-gate"
import { WOOWUP_API_CODES, WOOWUP_CLIENT_CODES, WoowupError, pathWithoutQuery } from "./errors"
import { CallLanes, backgroundLimit, storefrontLimit, type AttemptPermit } from "./lanes"
import { MAX_TIMER_MS, SlidingWindowRateLimiter, type WoowupRateLimiter } from "./rate-limiter"
import {
  MAX_BODY_BYTES,
  closedInfo,
  networkFailure,
  queryString,
  readAnswer,
  readCapped,
  readPayload,
  type Attempt,
  type CodeMapper,
  type Method,
  type PayloadSchema,
  type RequestSpec,
  type Success,
} from "./request-answer"
import { abortedError, closedError, mayStillSend } from "./request-errors"
import { RetryPolicy, classifyFailure, parseRetryAfter, type AttemptFailure } from "./retry-policy"

const NOOP_LOGGER: WoowupClientLogger = { debug() {}, info() {}, warn() {}, error() {} }
/** Pause after a 429 without `Retry-After`: WoowUp said "too many" but not for how long. */
const DEFAULT_RETRY_AFTER_MS = 5_000
/** A slot whose request never reported its end (its process died) is held this long past the timeout. */
const HOLD_MARGIN_MS = 5_000

/**
 * Runs the requests of a `WoowupClient`: every attempt waits for a free connection (at most `connections` in
 * flight), then for the rate limiter, and only then starts its `timeoutMs` clock; failures are retried or thrown
 * as `WoowupError` by `retry-policy.ts`. The calls (`customer-calls.ts`, ...) build their requests on it.
 */
export class RequestExecutor {
  readonly limiter: WoowupRateLimiter
  /** Storefront reads pass this one too: their bounded share of the window. */
  readonly storefrontLimiter: SlidingWindowRateLimiter
  /** The background feeds (`products`, `carts`) pass this one too: their bounded share of the window. */
  readonly backgroundLimiter: SlidingWindowRateLimiter
  readonly retryPolicy: RetryPolicy
  /** Where requests go: for what the client shows of itself (never the key). */
  readonly apiUrl: string
  // A #private field: not printed by util.inspect, not serialised by JSON.stringify, not reachable as a property.
  readonly #apiKey: string
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

  /** Runs the attempts of one call. Resolves with a 2xx `ok` envelope; throws a `WoowupError` otherwise. */
  async execute(spec: RequestSpec, call: WoowupCallOptions = {}): Promise<Success> {
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
    const priority = call.priority ?? scopedCallPriority() ?? spec.priority
    const attempts = maxRetries + 1
    let maybeApplied = false

    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw closedError(spec.method, path, attempt - 1)
      if (signal?.aborted) throw abortedError(spec.method, path, attempt - 1, maybeApplied)
      // Its share (storefront, background), a connection, then a rate-limit slot: the attempt's clock starts only
      // when it can be sent at once (`lanes.ts`).
      let permit: AttemptPermit
      try {
        permit = await this.lanes.acquire(priority, { signal, holdMs: timeoutMs + HOLD_MARGIN_MS })
      } catch {
        if (!this.closed && signal?.aborted) throw abortedError(spec.method, path, attempt - 1, maybeApplied)
        // Neither the gate nor a limiter rejects for any other reason than close().
        throw closedError(spec.method, path, attempt - 1)
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
      if (info.code === WOOWUP_CLIENT_CODES.CLIENT_CLOSED) throw closedError(spec.method, path, attempt)
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
      if (this.closed) throw closedError(spec.method, path, attempt)
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
      return readAnswer(response.statusCode, response.headers["retry-after"], text, [this.#apiKey], mapCode)
    } catch (error) {
      if (this.closed) return { ok: false, info: closedInfo() }
      return { ok: false, info: networkFailure(error, timedOut, timeoutMs, [this.#apiKey]) }
    } finally {
      clearTimeout(timer)
      this.inFlight.delete(controller)
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

  /** A read: `execute`, then the answer's payload, which must have the expected shape (`readPayload`). */
  async read<T>(spec: RequestSpec, schema: PayloadSchema<T>, call?: WoowupCallOptions): Promise<T> {
    return readPayload(schema, await this.execute(spec, call), spec.method, spec.path)
  }

  /** A write: `execute`, then WoowUp's echo of what it stored; null when there is none or it is unreadable. */
  async write<T>(spec: RequestSpec, schema: PayloadSchema<T>, call?: WoowupCallOptions): Promise<T | null> {
    return this.readWritePayload(schema, await this.execute(spec, call), spec.method, spec.path)
  }

  /** A write succeeded whatever its echo looks like: an unreadable echo is null, not an error. */
  private readWritePayload<T>(
    schema: PayloadSchema<T>,
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
}
