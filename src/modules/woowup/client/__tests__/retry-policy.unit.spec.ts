import {
  RetryPolicy,
  backoffDelay,
  classifyFailure,
  decideRetry,
  parseRetryAfter,
  type AttemptFailure,
  type RetryPolicyConfig,
} from "../retry-policy"

const config = (over: Partial<RetryPolicyConfig> = {}): RetryPolicyConfig => ({
  maxRetries: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  random: () => 0.5,
  now: () => Date.UTC(2026, 0, 1, 12, 0, 0),
  ...over,
})

const http = (status: number, code?: string, retryAfter?: string | null): AttemptFailure => ({
  kind: "http",
  status,
  code,
  retryAfter,
})

describe("classifyFailure", () => {
  it.each([
    ["400 bad_request", http(400, "bad_request")],
    ["401", http(401)],
    ["403 forbidden", http(403, "forbidden")],
    ["404 user_not_found", http(404, "user_not_found")],
    ["404 not_found", http(404, "not_found")],
    ["405", http(405, "method_not_allowed")],
    ["408", http(408)],
    ["409 duplicated_purchase_number", http(409, "duplicated_purchase_number")],
    ["410 account_deleted", http(410, "account_deleted")],
    ["413", http(413)],
    ["422", http(422)],
    ["501", http(501)],
    ["505", http(505)],
    // The envelope code wins over the status.
    ["500 user_not_found", http(500, "user_not_found")],
    ["503 duplicated_purchase_number", http(503, "duplicated_purchase_number")],
    ["200 duplicated_purchase_number", http(200, "duplicated_purchase_number")],
    ["500 customer_exists", http(500, "customer_exists")],
    ["bad certificate", { kind: "network", errno: "CERT_HAS_EXPIRED" } as AttemptFailure],
  ])("never retries %s", (_name, failure) => {
    expect(classifyFailure(failure).retryable).toBe(false)
    expect(decideRetry(failure, 0, config())).toEqual({ retry: false, reason: "not_retryable" })
  })

  it.each([
    ["429 too_many_request", http(429, "too_many_request"), true],
    ["429 without envelope", http(429), true],
    ["200 too_many_request", http(200, "too_many_request"), true],
    ["500 internal_error", http(500, "internal_error"), false],
    ["500 without envelope", http(500), false],
    ["502 HTML", http(502), false],
    ["503 HTML", http(503), false],
    ["504 HTML", http(504), false],
    ["200 internal_error", http(200, "internal_error"), false],
    ["2xx garbage", { kind: "invalid_response", status: 200 } as AttemptFailure, false],
    ["timeout", { kind: "timeout" } as AttemptFailure, false],
    ["connect timeout", { kind: "timeout", phase: "connect" } as AttemptFailure, true],
    ["ECONNRESET", { kind: "network", errno: "ECONNRESET" } as AttemptFailure, false],
    ["UND_ERR_SOCKET", { kind: "network", errno: "UND_ERR_SOCKET" } as AttemptFailure, false],
    ["ECONNREFUSED", { kind: "network", errno: "ECONNREFUSED" } as AttemptFailure, true],
    ["EAI_AGAIN", { kind: "network", errno: "EAI_AGAIN" } as AttemptFailure, true],
    ["ENOTFOUND", { kind: "network", errno: "ENOTFOUND" } as AttemptFailure, true],
    ["unknown network error", { kind: "network" } as AttemptFailure, false],
  ])("retries %s (surely not applied: %s)", (_name, failure, notApplied) => {
    const cls = classifyFailure(failure)
    expect(cls.retryable).toBe(true)
    expect(cls.notApplied).toBe(notApplied)
    expect(decideRetry(failure, 0, config()).retry).toBe(true)
  })
})

describe("decideRetry", () => {
  it("stops after maxRetries retries", () => {
    const failure = http(503)
    const c = config({ maxRetries: 3 })
    expect([0, 1, 2].map((n) => decideRetry(failure, n, c).retry)).toEqual([true, true, true])
    expect(decideRetry(failure, 3, c)).toEqual({ retry: false, reason: "retries_exhausted" })
    expect(decideRetry(failure, 10, c).retry).toBe(false)
  })

  it("never asks for a wait setTimeout cannot take (2^31 - 1 ms): it would fire at once", () => {
    const huge = config({ baseDelayMs: 1_000, maxDelayMs: 1e12, maxRetryAfterMs: 1e12 })
    const backoff = decideRetry(http(503), 4, { ...huge, maxRetries: 100 }) as { retry: true; delayMs: number }
    expect(backoff.retry).toBe(true)
    expect(backoffDelay(60, huge)).toBeLessThanOrEqual(2_147_483_647)
    expect(backoffDelay(60, huge)).toBeGreaterThan(1_000_000_000)
    // A Retry-After of 30 days is not slept on, whatever maxRetryAfterMs says.
    expect(decideRetry(http(429, "too_many_request", String(30 * 86_400)), 0, huge)).toEqual({
      retry: false,
      reason: "retry_after_too_long",
      retryAfterMs: 30 * 86_400_000,
    })
  })

  it("a call's maxRetries overrides the configuration's", () => {
    expect(decideRetry(http(503), 0, config({ maxRetries: 5 }), { maxRetries: 0 })).toEqual({
      retry: false,
      reason: "retries_exhausted",
    })
    expect(decideRetry(http(503), 3, config({ maxRetries: 0 }), { maxRetries: 4 }).retry).toBe(true)
    expect(new RetryPolicy(config({ maxRetries: 5 })).decide(http(503), 1, { maxRetries: 1 }).retry).toBe(false)
  })

  it("never retries when maxRetries is 0", () => {
    expect(decideRetry(http(503), 0, config({ maxRetries: 0 }))).toEqual({ retry: false, reason: "retries_exhausted" })
    expect(decideRetry(http(429, "too_many_request", "3"), 0, config({ maxRetries: 0 }))).toEqual({
      retry: false,
      reason: "retries_exhausted",
      retryAfterMs: 3_000,
    })
  })

  it("waits Retry-After on a 429", () => {
    expect(decideRetry(http(429, "too_many_request", "2"), 0, config())).toEqual({
      retry: true,
      delayMs: 2_000,
      reason: "retry_after",
    })
    expect(decideRetry(http(429, undefined, "0"), 0, config())).toEqual({ retry: true, delayMs: 0, reason: "retry_after" })
    const date = new Date(Date.UTC(2026, 0, 1, 12, 0, 7)).toUTCString()
    expect(decideRetry(http(429, "too_many_request", date), 0, config())).toEqual({
      retry: true,
      delayMs: 7_000,
      reason: "retry_after",
    })
  })

  it.each([[undefined], [null], [""], ["soon"], ["-5"], ["1e3"], ["Thu, 99 Foo 2026"]])(
    "falls back to backoff when Retry-After is %p",
    (retryAfter) => {
      expect(decideRetry(http(429, "too_many_request", retryAfter), 2, config())).toEqual({
        retry: true,
        delayMs: backoffDelay(3, config()),
        reason: "backoff",
      })
    }
  )

  it("does not sleep on a Retry-After longer than maxRetryAfterMs, and says how long it was", () => {
    expect(decideRetry(http(429, "too_many_request", "120"), 0, config())).toEqual({
      retry: false,
      reason: "retry_after_too_long",
      retryAfterMs: 120_000,
    })
    expect(decideRetry(http(429, "too_many_request", "120"), 0, config({ maxRetryAfterMs: 120_000 })).retry).toBe(true)
    // Default ceiling: max(maxDelayMs, 60 s), so a small maxDelayMs still honours WoowUp's own window.
    expect(decideRetry(http(429, "too_many_request", "60"), 0, config({ maxDelayMs: 50 })).retry).toBe(true)
  })

  it("ignores Retry-After on answers other than 429", () => {
    expect(decideRetry(http(503, undefined, "30"), 0, config())).toMatchObject({ retry: true, reason: "backoff" })
  })

  it("repeats a non-idempotent call only when it surely was not applied", () => {
    const once = { idempotent: false }
    expect(decideRetry(http(429, "too_many_request", "1"), 0, config(), once)).toMatchObject({ retry: true })
    expect(decideRetry({ kind: "network", errno: "ECONNREFUSED" }, 0, config(), once)).toMatchObject({ retry: true })
    expect(decideRetry({ kind: "timeout", phase: "connect" }, 0, config(), once)).toMatchObject({ retry: true })
    for (const failure of [
      http(500, "internal_error"),
      http(502),
      http(503),
      http(504),
      { kind: "timeout" } as AttemptFailure,
      { kind: "network", errno: "ECONNRESET" } as AttemptFailure,
      { kind: "network", errno: "UND_ERR_SOCKET" } as AttemptFailure,
      { kind: "invalid_response", status: 200 } as AttemptFailure,
    ]) {
      expect(decideRetry(failure, 0, config(), once)).toEqual({ retry: false, reason: "outcome_unknown" })
    }
    expect(decideRetry(http(400, "bad_request"), 0, config(), once)).toEqual({ retry: false, reason: "not_retryable" })
  })

  it("RetryPolicy binds a configuration", () => {
    const policy = new RetryPolicy(config({ maxRetries: 1 }))
    expect(policy.decide(http(502), 0).retry).toBe(true)
    expect(policy.decide(http(502), 1).retry).toBe(false)
  })
})

describe("parseRetryAfter", () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0)
  it.each([
    ["1", 1_000],
    ["0", 0],
    [" 30 ", 30_000],
    ["1.5", 1_500],
    [["2", "9"], 2_000],
    [new Date(now + 5_000).toUTCString(), 5_000],
    [new Date(now - 5_000).toUTCString(), 0],
  ])("reads %p as %p ms", (value, ms) => {
    expect(parseRetryAfter(value as string | string[], now)).toBe(ms)
  })

  it.each([[undefined], [null], [""], ["  "], ["-1"], ["abc"], ["1e3"], ["0x10"], ["Infinity"], ["NaN"], [[]]])(
    "gives undefined for %p",
    (value) => {
      expect(parseRetryAfter(value as string | undefined, now)).toBeUndefined()
    }
  )
})

describe("backoffDelay", () => {
  const base = { baseDelayMs: 100, maxDelayMs: 1_000 }

  it("doubles from the base up to the cap", () => {
    const top = { ...base, jitter: "full" as const, random: () => 1 - Number.EPSILON }
    expect([1, 2, 3, 4, 5, 6, 50, 5_000].map((n) => backoffDelay(n, top))).toEqual([99, 199, 399, 799, 999, 999, 999, 999])
    const bottom = { ...base, jitter: "full" as const, random: () => 0 }
    expect([1, 2, 3, 10].map((n) => backoffDelay(n, bottom))).toEqual([0, 0, 0, 0])
  })

  it("equal jitter (the default) stays in [cap/2, cap)", () => {
    expect(backoffDelay(1, { ...base, random: () => 0 })).toBe(50)
    expect(backoffDelay(4, { ...base, random: () => 0 })).toBe(400)
    expect(backoffDelay(9, { ...base, random: () => 0 })).toBe(500)
  })

  it.each(["full", "equal"] as const)("%s jitter stays within bounds for any random value", (jitter) => {
    let seed = 42
    const random = () => {
      seed = (seed * 16807) % 2147483647
      return (seed - 1) / 2147483646
    }
    for (let retry = 1; retry <= 12; retry++) {
      const cap = Math.min(base.maxDelayMs, base.baseDelayMs * 2 ** (retry - 1))
      const low = jitter === "full" ? 0 : Math.floor(cap / 2)
      const seen = new Set<number>()
      for (let i = 0; i < 500; i++) {
        const d = backoffDelay(retry, { ...base, jitter, random })
        expect(d).toBeGreaterThanOrEqual(low)
        expect(d).toBeLessThan(cap)
        expect(Number.isInteger(d)).toBe(true)
        seen.add(d)
      }
      // It is jitter, not a constant.
      expect(seen.size).toBeGreaterThan(10)
    }
  })

  it("survives a broken random source and a zero base", () => {
    expect(backoffDelay(2, { ...base, jitter: "full", random: () => NaN })).toBe(0)
    expect(backoffDelay(2, { ...base, jitter: "full", random: () => 7 })).toBe(199)
    expect(backoffDelay(3, { baseDelayMs: 0, maxDelayMs: 1_000 })).toBe(0)
  })
})
