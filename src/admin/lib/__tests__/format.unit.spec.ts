import {
  connectionErrorText,
  errorText,
  failureDetails,
  orderProblem,
  rewardProblem,
  runSummary,
  skipReasonText,
} from "../format"
import type { ReconcileRun, WoowupReward } from "../types"

const reward = (over: Partial<WoowupReward>): WoowupReward =>
  ({ status: "failed", reason: null, error_code: null, retryable: false, identifier: "email", currency_code: "usd", ...over }) as WoowupReward

describe("the admin's plain words for WoowUp outcomes", () => {
  it("says why WoowUp refused a purchase, without the client's technical head", () => {
    const reason = "WoowUp POST /purchases failed (HTTP 400, bad_request, 1 attempt): invoice_number is required"
    expect(errorText("bad_request", reason)).toBe("WoowUp refused the purchase as invalid: invoice_number is required.")
  })

  it("says how many orders of a run another process was still sending", () => {
    const run = { dry_run: false, found: 3, sent: 2, already_synced: 0, skipped: 0, failed: 0, busy: 1 } as ReconcileRun
    expect(runSummary(run)).toBe("3 orders found, 2 sent, 1 busy (another process is sending them)")
  })

  it("drops a message that only repeats the code", () => {
    const head = "WoowUp POST /purchases failed (HTTP 400, bad_request, 1 attempt): "
    expect(errorText("bad_request", `${head}bad_request (injected by the WoowUp sandbox)`)).toBe(
      "WoowUp refused the purchase as invalid: injected by the WoowUp sandbox."
    )
    expect(errorText("bad_request", `${head}Bad Request`)).toBe("WoowUp refused the purchase as invalid.")
  })

  it("keeps how many attempts were given up after", () => {
    const reason =
      "Gave up after 10 attempts (resync the order once the cause is fixed). Last error: WoowUp POST /purchases failed (HTTP 503, http_503, 6 attempts): 503 Service Temporarily Unavailable"
    expect(failureDetails(reason).gaveUp).toBe("Gave up after 10 attempts.")
    expect(errorText("http_503", reason)).toBe("WoowUp was unavailable (HTTP 503). Gave up after 10 attempts.")
  })

  it("has a sentence for every code the client records, never the code alone", () => {
    for (const code of ["forbidden", "timeout", "network_error", "invalid_response", "too_many_request", "interrupted", "some_new_code"]) {
      const text = errorText(code, "WoowUp GET /x failed (1 attempt)")
      expect(text).not.toBe(code)
      expect(text.split(" ").length).toBeGreaterThan(3)
    }
  })

  it("explains every skip reason", () => {
    expect(skipReasonText("nothing_captured")).toBe("Not captured yet: the purchase is sent when the payment is captured.")
    expect(skipReasonText("no_rate_for_currency", reward({ currency_code: "clp" }))).toContain("CLP")
    expect(skipReasonText("no_identity", reward({ identifier: "document" }))).toContain("document number")
    for (const r of ["below_minimum", "zero_points", "customer_not_in_woowup", "order_canceled", "refunded"]) {
      expect(skipReasonText(r)).toMatch(/^[A-Z].+\.$/)
    }
  })

  it("says an order with no record is not captured yet, and a synced one has no problem", () => {
    expect(rewardProblem(null)).toMatch(/^Not captured yet/)
    expect(rewardProblem(reward({ status: "synced" }))).toBeNull()
    expect(rewardProblem(reward({ status: "failed", error_code: "timeout", retryable: true }))).toBe(
      "WoowUp did not answer in time. It is tried again automatically."
    )
  })

  it("says why WoowUp is unreachable or refuses the key, from the status route's error", () => {
    expect(connectionErrorText("WoowUp GET /multiusers/exist failed (HTTP 503, http_503, 1 attempt): 503 Service Temporarily Unavailable")).toBe(
      "WoowUp was unavailable (HTTP 503)."
    )
    expect(connectionErrorText("WoowUp GET /multiusers/exist failed (timeout, 1 attempt): no complete answer within 3000ms")).toBe(
      "WoowUp did not answer in time."
    )
    expect(connectionErrorText("WoowUp GET /multiusers/exist failed (HTTP 403, forbidden, 1 attempt): Forbidden")).toMatch(/API key/)
    expect(connectionErrorText(undefined)).toBeNull()
  })

  it("says a synced order whose points change failed is not settled, with WoowUp's reason", () => {
    const synced = reward({ status: "synced" })
    const reason = "WoowUp POST /multiusers/points failed (HTTP 400, bad_request, 1 attempt): points: balance would go below 0"
    expect(orderProblem({ status: "failed", reason, error_code: "bad_request", reward: synced })).toBe(
      "A points change failed, and the ones after it wait for it: WoowUp refused the points change as invalid: points: balance would go below 0. Resync the order once the cause is fixed."
    )
    expect(orderProblem({ status: "synced", reason: null, error_code: null, reward: synced })).toBeNull()
  })
})
