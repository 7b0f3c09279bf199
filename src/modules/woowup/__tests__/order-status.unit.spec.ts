import { orderWoowupStatus } from "../order-status"

const synced = { status: "synced" as const, reason: null, error_code: null }
const adjustment = (status: "pending" | "applied" | "failed", created_at: string, reason: string | null = null) => ({
  status,
  created_at,
  reason,
  error_code: reason ? "bad_request" : null,
})

describe("the order's WoowUp status as the admin shows it", () => {
  it("is the reward's while every adjustment is applied or pending", () => {
    expect(orderWoowupStatus(synced, [adjustment("applied", "2026-12-01"), adjustment("pending", "2026-12-02")])).toEqual(synced)
    const failed = { status: "failed" as const, reason: "WoowUp answered 503", error_code: "http_503" }
    expect(orderWoowupStatus(failed, [])).toEqual(failed)
    expect(orderWoowupStatus(null, [])).toEqual({ status: null, reason: null, error_code: null })
  })

  it("is failed, with the oldest failed adjustment's reason, when a synced purchase has a failed adjustment", () => {
    const adjustments = [adjustment("failed", "2026-12-03", "later"), adjustment("applied", "2026-12-01"), adjustment("failed", "2026-12-02", "first")]
    expect(orderWoowupStatus(synced, adjustments)).toEqual({ status: "failed", reason: "first", error_code: "bad_request" })
  })
})
