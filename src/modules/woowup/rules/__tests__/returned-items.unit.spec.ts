import { computeRewardPoints, orderPointsBase, paidShare, pointsAmount } from "../points"
import { returnedItemAmount, returnedItemsAmount, returnedPointsBase, returnedQuantity } from "../returned-items"
import { toNumber } from "../money"
import { buildOrder, options } from "./fixtures"

// The order: two 25.00 tees and 10.00 of shipping, 60.00 in all; its 50.00 of items earn 50 points.
const tees = (spec: { returned?: number; dismissed?: number; refunds?: number[]; captures?: number[] } = {}) =>
  buildOrder({
    items: [{ unit_price: 25, quantity: 2, returned: spec.returned, dismissed: spec.dismissed }],
    shipping: { amount: 10 },
    refunds: spec.refunds,
    captures: spec.captures,
  })

const points = (order: ReturnType<typeof tees>, overrides = {}) =>
  computeRewardPoints(order, options({ pointsPerCurrencyUnit: 1, ...overrides })).points

describe("what came back", () => {
  it("reads Medusa's received and damaged units and what they were charged", () => {
    const order = tees({ returned: 1 })
    const item = order.items![0]!
    // Medusa computes the line on the kept unit from then on, and the returned unit's total apart.
    expect(toNumber(order.item_total)).toBe(25)
    expect(toNumber(order.total)).toBe(35)
    expect(returnedQuantity(item).toNumber()).toBe(1)
    expect(returnedItemAmount(item).toNumber()).toBe(25)
    expect(returnedQuantity(tees({ returned: 1, dismissed: 1 }).items![0]!).toNumber()).toBe(2)
    expect(returnedItemsAmount(tees()).toNumber()).toBe(0)
  })

  it("counts what the customer was charged: after the discount, with tax", () => {
    // 100 with a 20 discount and 10% tax, two units: 88 each.
    const order = buildOrder({ items: [{ unit_price: 100, quantity: 2, discount: 40, tax_rate: 10, returned: 1 }] })
    expect(returnedItemsAmount(order).toNumber()).toBe(88)
    expect(returnedPointsBase(order, {}).toNumber()).toBe(80)
    expect(returnedPointsBase(order, { includeTax: true }).toNumber()).toBe(88)
  })

  it("falls back on the unit price with its tax when Medusa's return totals were not loaded", () => {
    const order = buildOrder({ items: [{ unit_price: 100, quantity: 2, tax_rate: 10, returned: 1 }] })
    delete order.items![0]!.return_received_total
    delete order.items![0]!.return_dismissed_total
    expect(returnedItemsAmount(order).toNumber()).toBe(110)
    expect(returnedPointsBase(order, {}).toNumber()).toBe(100)
  })
})

describe("the points of a return", () => {
  it("takes back exactly the returned tee's points when it is received and refunded", () => {
    expect(points(tees())).toBe(50)
    expect(points(tees({ returned: 1, refunds: [25] }))).toBe(25)
  })

  it("moves nothing while a received return is not refunded: the points follow the money", () => {
    expect(points(tees({ returned: 1 }))).toBe(50)
  })

  it("takes back the same when the refund came before the return was received (Medusa's credit line)", () => {
    // A refund with nothing owed adds a credit line: the order total drops by it as well.
    const order = tees({ returned: 1, refunds: [25] })
    order.total = 10
    expect(points(order)).toBe(25)
  })

  it("counts a unit received damaged as come back", () => {
    expect(points(tees({ dismissed: 1, refunds: [25] }))).toBe(25)
  })

  it("keeps the points of what the merchant kept of a returned item's price (a restocking fee)", () => {
    expect(points(tees({ returned: 1, refunds: [20] }))).toBe(30)
  })

  it("takes a refund beyond the returned items from the kept ones, in proportion", () => {
    // 25 for the tee, 7 more: the kept tee and shipping (35) are paid 28 of 35.
    expect(points(tees({ returned: 1, refunds: [32] }))).toBe(20)
  })

  it("takes every point back when everything came back and was refunded", () => {
    expect(points(tees({ returned: 2, refunds: [60] }))).toBe(0)
    expect(points(tees({ returned: 2, refunds: [50] }))).toBe(0) // shipping kept: it earns nothing by default
    expect(points(tees({ returned: 2, refunds: [50] }), { includeShipping: true })).toBe(10)
  })

  it("counts shipping and tax as the options say, on the kept items and on what came back", () => {
    expect(points(tees({ returned: 1, refunds: [25] }), { includeShipping: true })).toBe(35)
    expect(points(tees({ returned: 1 }), { includeShipping: true })).toBe(60)
  })

  it("keeps the bare refund proportional: a payment refund says how much, not which lines", () => {
    expect(points(tees({ refunds: [30] }))).toBe(25)
    expect(points(tees({ refunds: [10] }))).toBe(41) // a refund of the shipping alone takes its share
  })

  it("takes nothing back with reverseOnRefund off", () => {
    expect(points(tees({ returned: 1, refunds: [25] }), { reverseOnRefund: false })).toBe(50)
  })

  it("scales a partial capture on what was kept first", () => {
    // 35 captured of 60, the tee came back before more was captured: the kept tee and shipping are paid.
    expect(points(tees({ returned: 1, captures: [35] }))).toBe(25)
    expect(points(tees({ captures: [30] }))).toBe(25)
  })

  it("compares the minimum with the order as sold, and says the paid share of its money", () => {
    const order = tees({ returned: 1, refunds: [25] })
    expect(orderPointsBase(order, options()).toNumber()).toBe(50)
    expect(computeRewardPoints(order, options({ minimumOrderAmount: 40 }))).toMatchObject({
      points: 25,
      amount: 25,
      order_amount: 50,
    })
    expect(paidShare(order).toNumber()).toBeCloseTo(35 / 60, 12)
  })

  it("follows an exchange: the new line is kept, paid by the difference", () => {
    // A tee (25) back for a 30.00 one: Medusa adds the new line to the order and asks 5.00 more.
    const order = buildOrder({
      items: [
        { unit_price: 25, quantity: 2, returned: 1 },
        { unit_price: 30, quantity: 1 },
      ],
      shipping: { amount: 10 },
      captures: [60],
    })
    order.payment_collections![0]!.amount = 60
    // The kept lines (55) and shipping are due 65, 60 is paid until the customer pays the difference.
    expect(pointsAmount(order, options())).toBe(50.77)
    order.payment_collections!.push({ id: "pay_col_2", amount: 5, captured_amount: 5, payments: [] })
    expect(pointsAmount(order, options())).toBe(55)
  })
})
