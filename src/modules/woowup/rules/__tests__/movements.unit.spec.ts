import { adjustmentMark, toStoreMovement, woowupTimeToIso } from "../movements"

const order = "order_01JXYZ0000000000000000ABCD"

describe("movements: WoowUp's transactions in the customer's words", () => {
  it("turns WoowUp's UTC time into ISO 8601", () => {
    expect(woowupTimeToIso("2026-11-25 15:19:21")).toBe("2026-11-25T15:19:21Z")
    expect(woowupTimeToIso("2026-11-25T15:19:21+00:00")).toBe("2026-11-25T15:19:21+00:00")
    expect(woowupTimeToIso(null)).toBeNull()
  })

  it("a purchase is earned, and belongs to the order of its invoice number (prefix or not)", () => {
    expect(toStoreMovement({ id: "1", points: 30, concept: "purchase", description: order, createtime: "2026-01-02 03:04:05" })).toEqual({
      id: "1",
      kind: "earned",
      points: 30,
      order_id: order,
      description: order,
      created_at: "2026-01-02T03:04:05Z",
    })
    expect(toStoreMovement({ points: 30, concept: "purchase", description: `WEB-${order}` }, { invoicePrefix: "WEB-" })).toMatchObject({
      kind: "earned",
      order_id: order,
    })
  })

  it.each([
    ["refund-1", -12, "taken_back", "Points taken back for a refund", "points taken back for a refund"],
    ["cancel-1", -30, "taken_back", "Points taken back, order canceled", "points taken back, order canceled"],
    ["capture-2", 8, "earned", "Points for a later capture", "points for a later capture"],
  ])("the plugin's %s adjustment: %s points are %s, with no internal mark", (token, points, kind, shown, words) => {
    // As service.ts writes them, and WoowUp keeps them: concept "purchase", the mark first.
    const description = `${adjustmentMark(order, token)} Medusa WEB-${order}: ${words}`
    const movement = toStoreMovement({ id: "9", points, concept: "purchase", description })
    expect(movement).toEqual({ id: "9", kind, points, order_id: order, description: shown, created_at: null })
    expect(JSON.stringify(movement)).not.toContain("[")
  })

  it("points spent in WoowUp are spent; a gift is adjusted; neither belongs to an order", () => {
    expect(toStoreMovement({ points: -50, concept: "redeem", description: "Canje en tienda" })).toMatchObject({
      kind: "spent",
      order_id: null,
      description: "Canje en tienda",
    })
    expect(toStoreMovement({ points: 10, concept: "gift", description: null })).toMatchObject({
      kind: "adjusted",
      order_id: null,
      description: null,
    })
  })
})
