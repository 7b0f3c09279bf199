import { decideReward } from "../reward-decision"
import { etaSeconds, importEstimate, importsWithoutPoints, liveOrdersFrom } from "../history"
import { buildOrder, options } from "./fixtures"

const capturedOrder = (spec: Parameters<typeof buildOrder>[0] = {}) => buildOrder({ email: "ana@example.com", ...spec })
const rewardOptions = (overrides: Parameters<typeof options>[0] = {}) => options({ pointsPerCurrencyUnit: 1, ...overrides })

const now = new Date("2026-12-07T12:00:00Z")
const HOUR = 3_600_000

describe("what is history", () => {
  it("starts live orders at the later of the installation and the look-back window", () => {
    expect(liveOrdersFrom({ now, lookbackHours: 168, installedAt: null })).toEqual(new Date(now.getTime() - 168 * HOUR))
    const installed = new Date(now.getTime() - 2 * HOUR)
    expect(liveOrdersFrom({ now, lookbackHours: 168, installedAt: installed })).toEqual(installed)
    const longAgo = new Date("2020-01-01T00:00:00Z")
    expect(liveOrdersFrom({ now, lookbackHours: 24, installedAt: longAgo })).toEqual(new Date(now.getTime() - 24 * HOUR))
  })

  it("sends an import's order without points only when the import chose none and it is older than the look-back", () => {
    const old = new Date(now.getTime() - 169 * HOUR)
    const recent = new Date(now.getTime() - 167 * HOUR)
    expect(importsWithoutPoints({ award_points: false, created_at: old, now, lookbackHours: 168 })).toBe(true)
    expect(importsWithoutPoints({ award_points: false, created_at: recent, now, lookbackHours: 168 })).toBe(false)
    expect(importsWithoutPoints({ award_points: true, created_at: old, now, lookbackHours: 168 })).toBe(false)
    expect(importsWithoutPoints({ award_points: false, created_at: old.toISOString(), now, lookbackHours: 168 })).toBe(true)
    // No date: history (the safe side: no points given by mistake).
    expect(importsWithoutPoints({ award_points: false, created_at: null, now, lookbackHours: 168 })).toBe(true)
  })
})

describe("a historical purchase", () => {
  it("goes with 0 points, WoowUp should hold 0 for it, and it is sent even when the points rules would skip it", () => {
    const order = capturedOrder()
    const live = decideReward(order, rewardOptions())
    expect(live).toMatchObject({ action: "send", historical: false })
    expect((live as any).points).toBeGreaterThan(0)
    const history = decideReward(order, rewardOptions(), null, true)
    expect(history).toMatchObject({ action: "send", points: 0, target_points: 0, historical: true })
    expect((history as any).purchase.points).toBe(0)
    // Below the minimum: a live order is skipped; history still goes (it is a purchase, whatever its points).
    const belowMinimum = decideReward(order, rewardOptions({ minimumOrderAmount: 1_000_000 }), null, true)
    expect(belowMinimum).toMatchObject({ action: "send", points: 0, historical: true })
  })

  it("is still skipped when canceled", () => {
    const canceled = decideReward({ ...capturedOrder(), canceled_at: "2025-01-01T00:00:00Z" }, rewardOptions(), null, true)
    expect(canceled).toMatchObject({ action: "skip", reason: "order_canceled" })
  })
})

describe("an import's progress", () => {
  it("estimates the time left from the rate measured since it last started", () => {
    const resumed_at = new Date(now.getTime() - 60_000)
    expect(etaSeconds({ total: 1000, processed: 700, processed_at_resume: 400, resumed_at, now })).toBe(60)
    expect(etaSeconds({ total: 1000, processed: 400, processed_at_resume: 400, resumed_at, now })).toBeNull()
    expect(etaSeconds({ total: 1000, processed: 1000, processed_at_resume: 0, resumed_at, now })).toBe(0)
    expect(etaSeconds({ total: null, processed: 10, processed_at_resume: 0, resumed_at, now })).toBeNull()
  })

  it("estimates a dry run's calls and time at the account's limit", () => {
    expect(importEstimate({ orders_to_send: 100_000, customers_to_send: 40_000, requestsPerMinute: 140 })).toEqual({
      orders: 100_000,
      customers: 40_000,
      calls: 140_000,
      seconds: 60_000,
    })
  })
})
