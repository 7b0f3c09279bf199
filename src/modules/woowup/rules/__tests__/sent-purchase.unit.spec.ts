import { decideReward, type RewardSend } from "../reward-decision"
import { identityChange, sendAs, sentPurchase } from "../sent-purchase"
import { buildOrder, options } from "./fixtures"

const record = (status: string, fields: Partial<Record<"identifier" | "identity" | "invoice_number", string | null>> = {}) => ({
  status,
  identifier: "email",
  identity: "first@example.com",
  invoice_number: "OLD-order_01TEST",
  ...fields,
})

describe("sentPurchase", () => {
  it("is what a record says once a send was attempted or answered", () => {
    for (const status of ["pending", "failed", "synced"]) {
      expect(sentPurchase(record(status))).toEqual({
        identity: { field: "email", value: "first@example.com" },
        invoice_number: "OLD-order_01TEST",
      })
    }
  })

  it("is nothing before a send: no record, a skip, or a record without identity or invoice", () => {
    expect(sentPurchase(null)).toBeNull()
    expect(sentPurchase(record("skipped"))).toBeNull()
    expect(sentPurchase(record("failed", { identity: null }))).toBeNull()
    expect(sentPurchase(record("failed", { invoice_number: null }))).toBeNull()
    expect(sentPurchase(record("failed", { identifier: "nickname" }))).toBeNull()
  })
})

describe("identityChange", () => {
  const sent = sentPurchase(record("synced"))
  it("is the order's identity when it is not the purchase's", () => {
    expect(identityChange(sent, { field: "email", value: "second@example.com" })).toEqual({ field: "email", value: "second@example.com" })
    expect(identityChange(sent, { field: "telephone", value: "first@example.com" })).toEqual({ field: "telephone", value: "first@example.com" })
  })

  it("is nothing when they agree, when nothing was sent, or when the order has no identity now", () => {
    expect(identityChange(sent, { field: "email", value: "first@example.com" })).toBeNull()
    expect(identityChange(null, { field: "email", value: "second@example.com" })).toBeNull()
    expect(identityChange(sent, null)).toBeNull()
  })
})

describe("decideReward after a send", () => {
  const order = () => buildOrder({ email: "second@example.com", customer: null })
  const sent = sentPurchase(record("failed"))

  it("keeps the purchase's identity and invoice number, and says the order's own identity moved", () => {
    const d = decideReward(order(), options({ invoicePrefix: "NEW-" }), sent)
    expect(d).toMatchObject({
      action: "send",
      identity: { field: "email", value: "first@example.com" },
      invoice_number: "OLD-order_01TEST",
      current_identity: { field: "email", value: "second@example.com" },
    })
    const send = d as RewardSend
    expect(send.purchase).toMatchObject({ email: "first@example.com", invoice_number: "OLD-order_01TEST" })
    expect(send.customer.email).toBe("first@example.com")
  })

  it("keeps the purchase's owner when the order has no identity any more (its customer was deleted)", () => {
    const gone = buildOrder({ email: null, customer: null })
    gone.canceled_at = "2026-11-26T00:00:00Z"
    expect(decideReward(gone, options(), null)).toMatchObject({ action: "skip", reason: "order_canceled", identity: null })
    const noIdentity = buildOrder({ email: null, customer: null })
    expect(decideReward(noIdentity, options(), null)).toMatchObject({ reason: "no_identity", target_points: null })
    expect(decideReward(noIdentity, options(), sent)).toMatchObject({
      action: "send",
      identity: { field: "email", value: "first@example.com" },
      current_identity: null,
    })
  })

  it("uses the order's own identity and invoice number before any send", () => {
    expect(decideReward(order(), options({ invoicePrefix: "NEW-" }), null)).toMatchObject({
      identity: { field: "email", value: "second@example.com" },
      invoice_number: "NEW-order_01TEST",
      current_identity: null,
    })
  })
})

describe("sendAs", () => {
  const plan = decideReward(buildOrder({ email: "second@example.com", customer: null }), options({ invoicePrefix: "NEW-" })) as RewardSend

  it("repeats the first send's identity and invoice number", () => {
    const sent = sentPurchase(record("failed", { identifier: "service_uid", identity: "cus_1" }))
    const again = sendAs(plan, sent)
    expect(again.identity).toEqual({ field: "service_uid", value: "cus_1" })
    expect(again.invoice_number).toBe("OLD-order_01TEST")
    expect(again.purchase).toMatchObject({ service_uid: "cus_1", invoice_number: "OLD-order_01TEST" })
    expect(again.purchase.email).toBeUndefined()
    expect(again.customer).toMatchObject({ service_uid: "cus_1" })
    expect(again.customer.email).toBeUndefined()
    expect(again.purchase.purchase_detail).toEqual(plan.purchase.purchase_detail)
  })

  it("leaves a plan that already matches, or with nothing sent", () => {
    expect(sendAs(plan, null)).toBe(plan)
    expect(sendAs(plan, { identity: plan.identity, invoice_number: plan.invoice_number })).toBe(plan)
  })
})
