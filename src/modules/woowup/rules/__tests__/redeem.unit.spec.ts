import { maxPointsForCart, orderRedemption, pointsValue, pointValueFor, redeemProblem, redemptionDebit, type RedeemOptions } from "../redeem"

const redeem: RedeemOptions = { enabled: true, pointValue: { usd: 0.1, clp: 10 }, minPoints: 5, maxShareOfCart: 0.5, holdMinutes: 1440 }
const check = { points: 20, available: 50, currency: "usd", itemSubtotal: 50 }

describe("spending points at checkout", () => {
  it("values points in the cart's currency, rounded to its decimals", () => {
    expect(pointValueFor(redeem, "USD")).toBe(0.1)
    expect(pointValueFor(redeem, "eur")).toBeNull()
    expect(pointValueFor({ pointValue: 0.2 }, "eur")).toBe(0.2)
    expect(pointsValue(20, 0.1, "usd")).toBe(2)
    expect(pointsValue(3, 0.333, "usd")).toBe(1)
    expect(pointsValue(3, 333.5, "clp")).toBe(1001)
  })

  it("caps the points at maxShareOfCart of the item subtotal, in whole points", () => {
    expect(maxPointsForCart(50, 0.1, redeem)).toBe(250)
    expect(maxPointsForCart("4.99", 0.1, { maxShareOfCart: 1 })).toBe(49)
    expect(maxPointsForCart(0, 0.1, redeem)).toBe(0)
  })

  it("accepts points within every bound", () => {
    expect(redeemProblem(check, redeem)).toBeNull()
  })

  it.each([
    [{ ...check }, { ...redeem, enabled: false }, "not enabled"],
    [{ ...check, currency: "eur" }, redeem, "no redeem.pointValue for this currency"],
    [{ ...check, points: 4 }, redeem, "points must be at least 5"],
    [{ ...check, points: 51 }, redeem, "points (51) is more than the 50 points available"],
    [{ ...check, available: -3 }, redeem, "more than the 0 points available"],
    [{ ...check, points: 30, available: 500, itemSubtotal: 5 }, redeem, "more than 50% of the cart's items: at most 25 points"],
  ])("refuses %j, naming the problem", (input, options, message) => {
    expect(redeemProblem(input, options)).toContain(message)
  })

  it("keeps every point taken while the order stands, none once canceled, and gives back in proportion to refunds", () => {
    expect(redemptionDebit({ redeemed: 20, captured: 0, refunded: 0, canceled: false })).toBe(20)
    expect(redemptionDebit({ redeemed: 20, captured: 48, refunded: 0, canceled: false })).toBe(20)
    expect(redemptionDebit({ redeemed: 20, captured: 48, refunded: 24, canceled: false })).toBe(10)
    expect(redemptionDebit({ redeemed: 20, captured: 48, refunded: 10, canceled: false })).toBe(16)
    expect(redemptionDebit({ redeemed: 20, captured: 48, refunded: 48, canceled: false })).toBe(0)
    expect(redemptionDebit({ redeemed: 20, captured: 48, refunded: 60, canceled: false })).toBe(0)
    expect(redemptionDebit({ redeemed: 20, captured: 48, refunded: 0, canceled: true })).toBe(0)
  })
})

describe("an order's redemption, for the admin", () => {
  const hold = { points: 20, value: "2", currency_code: "usd" }
  it("says what was spent, what WoowUp took and gave back, and how the debit stands", () => {
    expect(orderRedemption(null, [])).toBeNull()
    expect(orderRedemption(hold, [{ cause: "capture", points: 5, status: "applied" }])).toEqual({
      points: 20, value: 2, currency_code: "usd", debit_status: "none", debited: 0, given_back: 0,
    })
    expect(orderRedemption(hold, [{ cause: "redeem", points: -20, status: "pending" }])?.debit_status).toBe("pending")
    expect(
      orderRedemption(hold, [
        { cause: "redeem", points: -20, status: "applied" },
        { cause: "cancel", points: -48, status: "applied" },
        { cause: "redeem_return", points: 20, status: "applied" },
      ])
    ).toMatchObject({ debit_status: "applied", debited: 0, given_back: 20 })
    expect(orderRedemption(hold, [{ cause: "redeem", points: -20, status: "failed" }])?.debit_status).toBe("failed")
  })
})
