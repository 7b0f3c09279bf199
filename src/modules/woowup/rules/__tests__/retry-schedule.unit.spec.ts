import { gaveUpReason, LONGEST_RETRY_DELAY_MS, planRetry, retryDelayMs } from "../retry-schedule"

describe("retry schedule", () => {
  it("waits a minute after the first failure and doubles up to six hours", () => {
    expect([1, 2, 3, 4, 5].map(retryDelayMs)).toEqual([60_000, 120_000, 240_000, 480_000, 960_000])
    expect(retryDelayMs(9)).toBe(256 * 60_000)
    expect(retryDelayMs(10)).toBe(LONGEST_RETRY_DELAY_MS)
    expect(retryDelayMs(1_000)).toBe(LONGEST_RETRY_DELAY_MS)
    expect(retryDelayMs(0)).toBe(60_000)
  })

  it("plans the next attempt from now for a retryable failure under the bound", () => {
    const now = new Date("2026-11-26T12:00:00Z")
    expect(planRetry({ attempt: 3, retryable: true, maxAttempts: 10, now })).toEqual({
      retryable: true,
      next_attempt_at: new Date("2026-11-26T12:04:00Z"),
    })
  })

  it("gives up at the bound, and at once on a failure retrying cannot help", () => {
    expect(planRetry({ attempt: 10, retryable: true, maxAttempts: 10 })).toEqual({
      retryable: false,
      next_attempt_at: null,
      gave_up: true,
    })
    expect(planRetry({ attempt: 1, retryable: false, maxAttempts: 10 })).toEqual({
      retryable: false,
      next_attempt_at: null,
      gave_up: false,
    })
  })

  it("keeps the last error in the reason an admin reads", () => {
    expect(gaveUpReason(10, "WoowUp POST /purchases failed (HTTP 503)")).toMatch(/^Gave up after 10 attempts.*HTTP 503/)
  })

  it("spreads ten attempts over hours, not minutes", () => {
    let total = 0
    for (let attempt = 1; attempt < 10; attempt++) total += retryDelayMs(attempt)
    expect(total).toBeGreaterThan(8 * 60 * 60_000)
    expect(total).toBeLessThan(24 * 60 * 60_000)
  })
})
