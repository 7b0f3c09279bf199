import { WOOWUP_API_CODES, WOOWUP_CLIENT_CODES, WoowupError, safeText, type WoowupErrorCode } from "./errors"
import type { CallPriority } from "./fifo"
import type { AttemptFailure } from "./retry-policy"
import { badRequestPayloadSchema, parseEnvelope, type WoowupEnvelope } from "./schemas"

export type Method = "GET" | "POST" | "PUT"

export type RequestSpec = {
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
export type CodeMapper = (answer: { status: number; code: WoowupErrorCode; message?: string }) => WoowupErrorCode

export type Success = { status: number; envelope: WoowupEnvelope; attempts: number }

export type AttemptFailureInfo = {
  failure: AttemptFailure
  code: WoowupErrorCode
  status?: number
  detail?: string
  serverMessage?: string
  details?: string[]
  cause?: unknown
}

/** What reads an answer's payload: a zod schema. */
export type PayloadSchema<T> = { safeParse(v: unknown): { success: true; data: T } | { success: false } }

export type Attempt = { ok: true; value: Success } | { ok: false; info: AttemptFailureInfo }

/** Cap on the answer read into memory; past it the body is cut (and then is not valid JSON). */
export const MAX_BODY_BYTES = 2 * 1024 * 1024
const CUSTOMER_EXISTS_MESSAGE = /usuario\s+existente|user\s+(already\s+)?exists|already\s+exists/i

/**
 * What one answer means: a 2xx `ok` envelope, or the failure the retry policy classifies. `secrets` (the API key)
 * are cut out of every text kept from the answer.
 */
export function readAnswer(
  status: number,
  retryAfterHeader: string | string[] | undefined,
  text: string,
  secrets: string[],
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
        detail: safeText(text, secrets, 120),
      },
    }
  }

  const { envelope } = parsed
  if (is2xx && envelope.code === WOOWUP_API_CODES.OK) return { ok: true, value: { status, envelope, attempts: 0 } }

  const serverMessage = safeText(envelope.message, secrets)
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
        .map((e) => safeText(e, secrets, 160))
        .filter((e): e is string => !!e)
    : undefined
  return {
    ok: false,
    info: { failure: { kind: "http", status, code, retryAfter }, code, status, serverMessage, details },
  }
}

/** An attempt that got no answer: a timeout (its own clock or undici's), else a network failure. */
export function networkFailure(
  error: unknown,
  timedOut: boolean,
  timeoutMs: number,
  secrets: string[]
): AttemptFailureInfo {
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
  const message = error instanceof Error ? safeText(error.message, secrets, 120) : undefined
  return {
    failure: { kind: "network", errno },
    code: WOOWUP_CLIENT_CODES.NETWORK_ERROR,
    detail: [errno, message].filter(Boolean).join(" ") || undefined,
    cause: error,
  }
}

/** What an attempt cut short by `close()` reports. */
export function closedInfo(): AttemptFailureInfo {
  return { failure: { kind: "network" }, code: WOOWUP_CLIENT_CODES.CLIENT_CLOSED }
}

/** `?a=1&b=2` of the defined values; empty when there is none. */
export function queryString(query: RequestSpec["query"]): string {
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

/** The answer's text, at most `max` bytes of it: a huge answer must not fill the memory. */
export async function readCapped(body: AsyncIterable<Buffer | Uint8Array> & { destroy?(): void }, max: number): Promise<string> {
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

/** A read's payload must have the expected shape; if not, `unexpected_payload` (not retryable). */
export function readPayload<T>(
  schema: PayloadSchema<T>,
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
