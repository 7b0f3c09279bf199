import { BigNumber } from "@medusajs/framework/utils"
import {
  capturedAmount,
  capturedShare,
  paidShare,
  refundedAmount,
  computeRewardPoints,
  pointsAmount,
  rateForCurrency,
} from "../points"
import { toNumber } from "../money"
import { buildOrder, options } from "./fixtures"

// item: 100 without tax, discount 20, 10% tax on 80 → 8; shipping 10 + 10% tax → 11. Order total 99.
const taxedOrder = (captures?: number[] | "full") =>
  buildOrder({
    items: [{ unit_price: 100, quantity: 1, tax_rate: 10, discount: 20 }],
    shipping: { amount: 10, tax_rate: 10 },
    captures,
  })

describe("pointsAmount", () => {
  it("the fixture's totals are Medusa's own (BigNumber instances)", () => {
    const order = taxedOrder()
    expect(order.total).toBeInstanceOf(BigNumber)
    expect(toNumber(order.total)).toBe(99)
    expect(toNumber(order.item_total)).toBe(88)
    expect(toNumber(order.item_tax_total)).toBe(8)
    expect(toNumber(order.shipping_total)).toBe(11)
  })

  it("is the items after discounts, without shipping and tax, by default", () => {
    expect(pointsAmount(taxedOrder(), options())).toBe(80)
  })

  it("adds the items' tax with includeTax", () => {
    expect(pointsAmount(taxedOrder(), options({ includeTax: true }))).toBe(88)
  })

  it("adds shipping without its tax with includeShipping", () => {
    expect(pointsAmount(taxedOrder(), options({ includeShipping: true }))).toBe(90)
  })

  it("is the order total with both", () => {
    expect(pointsAmount(taxedOrder(), options({ includeShipping: true, includeTax: true }))).toBe(99)
  })

  it("takes the tax out of tax-inclusive prices", () => {
    const order = buildOrder({ items: [{ unit_price: 121, tax_rate: 21, is_tax_inclusive: true }] })
    expect(pointsAmount(order, options())).toBe(100)
    expect(pointsAmount(order, options({ includeTax: true }))).toBe(121)
  })

  it("counts a shipping discount when shipping is included", () => {
    const order = buildOrder({ items: [{ unit_price: 50 }], shipping: { amount: 10, discount: 10 } })
    expect(pointsAmount(order, options({ includeShipping: true }))).toBe(50)
  })

  it("scales to the captured share on a partial capture", () => {
    expect(pointsAmount(taxedOrder([49.5]), options())).toBe(40)
    expect(pointsAmount(taxedOrder([30, 19.5]), options())).toBe(40)
    expect(pointsAmount(taxedOrder([33]), options())).toBe(26.67) // 80 × 33/99, rounded to cents
  })

  it("never scales above the whole order when more than the total was captured", () => {
    expect(pointsAmount(taxedOrder([150]), options())).toBe(80)
  })

  it("is 0 when nothing was captured", () => {
    expect(pointsAmount(taxedOrder([]), options())).toBe(0)
  })

  it("uses per-item totals when the order-level totals were not loaded", () => {
    const order = taxedOrder()
    delete order.item_total
    delete order.item_tax_total
    expect(pointsAmount(order, options())).toBe(80)
  })

  it("reads plain numbers and strings as query.graph may return them", () => {
    const order = taxedOrder()
    const plain = {
      ...order,
      total: "99",
      item_total: { value: "88" },
      item_tax_total: 8,
      payment_collections: [{ captured_amount: "99", payments: [] }],
    }
    expect(pointsAmount(plain, options())).toBe(80)
  })
})

describe("capturedAmount / capturedShare", () => {
  it("sums captures over payments and collections", () => {
    const order = taxedOrder([10, 20])
    order.payment_collections!.push({
      id: "pay_col_2",
      captured_amount: 0,
      payments: [{ id: "pay_2", captures: [{ amount: "5.5" }] }],
    })
    expect(capturedAmount(order).toNumber()).toBe(35.5)
  })

  it("uses the collection's captured_amount when captures were not loaded", () => {
    const order = taxedOrder([])
    order.payment_collections = [{ captured_amount: new BigNumber(49.5), payments: [{ id: "pay_1" }] }]
    expect(capturedShare(order).toNumber()).toBe(0.5)
  })

  it("counts a payment with captured_at and no captures loaded as captured in full", () => {
    const order = taxedOrder([])
    order.payment_collections = [{ payments: [{ id: "p", amount: 99, captured_at: "2026-01-01T00:00:00Z" }] }]
    expect(capturedAmount(order).toNumber()).toBe(99)
  })

  it("is 1 when something was captured on an order with total 0 or no total", () => {
    const order = taxedOrder([5])
    order.total = 0
    delete order.payment_collections![0]!.amount
    expect(capturedShare(order).toNumber()).toBe(1)
    delete order.total
    expect(capturedShare(order).toNumber()).toBe(1)
  })
})

describe("refundedAmount / paidShare", () => {
  const refund = (order: ReturnType<typeof taxedOrder>, ...amounts: number[]) => {
    order.payment_collections![0]!.payments![0]!.refunds = amounts.map((amount, i) => ({ id: `ref_${i}`, amount }))
    return order
  }

  it("sums the refunds of every payment, or the collection's refunded_amount when larger", () => {
    expect(refundedAmount(refund(taxedOrder(), 10, 5.5)).toNumber()).toBe(15.5)
    const order = taxedOrder()
    order.payment_collections![0]!.refunded_amount = "20"
    expect(refundedAmount(order).toNumber()).toBe(20)
    expect(refundedAmount(taxedOrder()).toNumber()).toBe(0)
  })

  it("takes points back in proportion to the order total: a refund of half the order, half the points", () => {
    const order = refund(taxedOrder(), 49.5) // total 99
    expect(paidShare(order).toNumber()).toBe(0.5)
    expect(pointsAmount(order, options())).toBe(40)
    expect(computeRewardPoints(order, options())).toMatchObject({ points: 40, captured_share: 1, paid_share: 0.5 })
  })

  it("is not fooled by the credit line a refund adds (the order total drops, what was due does not)", () => {
    const order = refund(taxedOrder(), 49.5) // total 99, collection amount 99
    order.total = 49.5
    expect(paidShare(order).toNumber()).toBe(0.5)
  })

  it("is 0 when everything captured was refunded, and never negative", () => {
    expect(paidShare(refund(taxedOrder(), 99)).toNumber()).toBe(0)
    expect(paidShare(refund(taxedOrder([50]), 60)).toNumber()).toBe(0)
  })

  it("nets a partial capture and a partial refund", () => {
    const order = refund(taxedOrder([49.5]), 24.75) // a quarter of the order kept
    expect(paidShare(order).toNumber()).toBe(0.25)
    expect(computeRewardPoints(order, options()).points).toBe(20)
  })
})

describe("rateForCurrency", () => {
  it("uses a single number for every currency", () => {
    expect(rateForCurrency(0.5, "usd")).toBe(0.5)
    expect(rateForCurrency(0.5, "anything")).toBe(0.5)
  })

  it("matches map keys ignoring case", () => {
    const map = { USD: 2, ars: 0.01, " Clp ": 0.001 }
    expect(rateForCurrency(map, "usd")).toBe(2)
    expect(rateForCurrency(map, "ARS")).toBe(0.01)
    expect(rateForCurrency(map, "clp")).toBe(0.001)
    expect(rateForCurrency(map, "eur")).toBeNull()
    expect(rateForCurrency(map, "")).toBeNull()
  })

  it("keeps a 0 rate (a currency that earns nothing) distinct from no rate", () => {
    expect(rateForCurrency({ usd: 0 }, "usd")).toBe(0)
  })
})

describe("computeRewardPoints", () => {
  it("multiplies the amount by the rate and floors by default", () => {
    const r = computeRewardPoints(taxedOrder(), options({ pointsPerCurrencyUnit: 0.15 }))
    expect(r).toEqual({
      points: 12,
      reason: null,
      amount: 80,
      order_amount: 80,
      captured_share: 1,
      paid_share: 1,
      currency_code: "usd",
      rate: 0.15,
    })
  })

  it("applies the rounding mode", () => {
    const order = buildOrder({ items: [{ unit_price: 35 }] })
    const at = (rounding: "floor" | "ceil" | "round", rate: number) =>
      computeRewardPoints(order, options({ pointsPerCurrencyUnit: rate, rounding })).points
    expect(at("floor", 0.1)).toBe(3) // 3.5
    expect(at("ceil", 0.1)).toBe(4)
    expect(at("round", 0.1)).toBe(4)
    expect(at("round", 0.09)).toBe(3) // 3.15
  })

  it("has no float drift in rate × amount", () => {
    const order = buildOrder({ items: [{ unit_price: 100 }] })
    expect(0.07 * 100).toBeGreaterThan(7) // what plain JS would ceil to 8
    expect(computeRewardPoints(order, options({ pointsPerCurrencyUnit: 0.07, rounding: "ceil" })).points).toBe(7)
    expect(0.57 * 100).toBeLessThan(57) // what plain JS would floor to 56
    expect(computeRewardPoints(order, options({ pointsPerCurrencyUnit: 0.57 })).points).toBe(57)
  })

  it("uses the map's rate for the order's currency, whatever its case", () => {
    const order = buildOrder({ currency_code: "ARS", items: [{ unit_price: 15000 }] })
    const r = computeRewardPoints(order, options({ pointsPerCurrencyUnit: { ars: 0.01, USD: 1 } }))
    expect(r.points).toBe(150)
    expect(r.currency_code).toBe("ars")
  })

  it("says no_rate_for_currency when the map has no entry", () => {
    const order = buildOrder({ currency_code: "eur" })
    const r = computeRewardPoints(order, options({ pointsPerCurrencyUnit: { usd: 1 } }))
    expect(r).toMatchObject({ points: 0, reason: "no_rate_for_currency", rate: null, amount: 100 })
  })

  it("computes CLP points on whole pesos", () => {
    const order = buildOrder({ currency_code: "clp", items: [{ unit_price: 15990 }] })
    expect(computeRewardPoints(order, options({ pointsPerCurrencyUnit: 0.01 })).points).toBe(159)
  })

  it("handles amounts around 1e12", () => {
    const order = buildOrder({ items: [{ unit_price: "999999999999.99" }] })
    const r = computeRewardPoints(order, options())
    expect(r.amount).toBe(999999999999.99)
    expect(r.points).toBe(999999999999)
  })

  it("awards the captured share's points on a partial capture", () => {
    const r = computeRewardPoints(taxedOrder([49.5]), options())
    expect(r).toMatchObject({ points: 40, amount: 40, order_amount: 80, captured_share: 0.5 })
    // the next capture: the caller awards the difference
    expect(computeRewardPoints(taxedOrder([49.5, 49.5]), options()).points - 40).toBe(40)
  })

  it("gives 0 points below minimumOrderAmount", () => {
    const r = computeRewardPoints(taxedOrder(), options({ minimumOrderAmount: 80.01 }))
    expect(r).toMatchObject({ points: 0, reason: "below_minimum", amount: 80 })
    expect(computeRewardPoints(taxedOrder(), options({ minimumOrderAmount: 80 })).points).toBe(80)
  })

  it("compares the minimum with the whole order, not the captured share", () => {
    const r = computeRewardPoints(taxedOrder([49.5]), options({ minimumOrderAmount: 60 }))
    expect(r).toMatchObject({ points: 40, reason: null })
  })

  it("says zero_points when the rate gives less than one point", () => {
    const order = buildOrder({ items: [{ unit_price: 9.99 }] })
    expect(computeRewardPoints(order, options({ pointsPerCurrencyUnit: 0.1 }))).toMatchObject({
      points: 0,
      reason: "zero_points",
    })
    expect(computeRewardPoints(taxedOrder([]), options())).toMatchObject({ points: 0, reason: "zero_points" })
  })

  describe("computePoints override", () => {
    it("replaces the points and receives the order and the computed context", () => {
      const computePoints = jest.fn(() => 7)
      const order = taxedOrder()
      const r = computeRewardPoints(order, options({ pointsPerCurrencyUnit: 0.5, computePoints }))
      expect(r.points).toBe(7)
      expect(computePoints).toHaveBeenCalledWith(order, { amount: 80, currency_code: "usd", points: 40, rate: 0.5 })
    })

    it("expresses the seed integration's rule ceil(rate * floor(total))", () => {
      const rate = 0.33
      const order = buildOrder({ items: [{ unit_price: 80.7 }], shipping: { amount: 10 } })
      // on the points amount (items)...
      const onAmount = computeRewardPoints(
        order,
        options({ pointsPerCurrencyUnit: rate, computePoints: (_o, { amount, rate }) => Math.ceil(rate * Math.floor(amount)) })
      )
      expect(onAmount.points).toBe(27) // ceil(0.33 × 80) = ceil(26.4)
      // ...or on the order total, exactly as the seed did
      const onTotal = computeRewardPoints(
        order,
        options({ computePoints: (o) => Math.ceil(rate * Math.floor(Number(o.total))) })
      )
      expect(onTotal.points).toBe(30) // ceil(0.33 × floor(90.7)) = ceil(29.7)
    })

    it.each([
      ["a fraction", 2.5],
      ["a negative", -1],
      ["NaN", NaN],
      ["Infinity", Infinity],
      ["a string", "5"],
      ["undefined", undefined],
    ])("refuses %s with a clear error", (_label, value) => {
      const o = options({ computePoints: () => value as any })
      expect(() => computeRewardPoints(taxedOrder(), o)).toThrow(
        /computePoints option returned .* for order order_01TEST; it must return a finite non-negative integer/
      )
    })

    it("returning 0 means zero_points", () => {
      expect(computeRewardPoints(taxedOrder(), options({ computePoints: () => 0 }))).toMatchObject({
        points: 0,
        reason: "zero_points",
      })
    })

    it("is not called below the minimum or without a rate", () => {
      const computePoints = jest.fn(() => 100)
      expect(computeRewardPoints(taxedOrder(), options({ minimumOrderAmount: 1000, computePoints })).points).toBe(0)
      const eur = buildOrder({ currency_code: "eur" })
      expect(computeRewardPoints(eur, options({ pointsPerCurrencyUnit: { usd: 1 }, computePoints })).reason).toBe(
        "no_rate_for_currency"
      )
      expect(computePoints).not.toHaveBeenCalled()
    })
  })
})
