import { pickIdentity } from "../identity"
import { computeRewardPoints } from "../points"
import {
  customerAsRewardOrder,
  previewCartPoints,
  type PreviewCart,
} from "../store-points"
import { buildOrder, options } from "./fixtures"

const customer = {
  id: "cus_1",
  email: " Ana@Example.com ",
  phone: null,
  metadata: { dni: "30111222", erp: "E-1" },
  addresses: [
    { phone: "+54 11 1111", is_default_shipping: false },
    { phone: "+54 11 2222", is_default_shipping: true },
  ],
}

describe("customerAsRewardOrder: the customer under the identity their orders are recorded under", () => {
  it.each([
    [{ identifier: "email" as const }, { field: "email", value: "ana@example.com" }],
    [{ identifier: "document" as const, identifierMetadataKey: "dni" }, { field: "document", value: "30111222" }],
    [{ identifier: "service_uid" as const }, { field: "service_uid", value: "cus_1" }],
    [{ identifier: "service_uid" as const, identifierMetadataKey: "erp" }, { field: "service_uid", value: "E-1" }],
    [{ identifier: "telephone" as const }, { field: "telephone", value: "+54 11 2222" }],
  ])("%j → %j", (opts, identity) => {
    expect(pickIdentity(customerAsRewardOrder(customer), opts)).toEqual(identity)
  })

  it("prefers the customer's phone, and takes the first address when none is the default", () => {
    expect(pickIdentity(customerAsRewardOrder({ ...customer, phone: "+1 555" }), { identifier: "telephone" })?.value).toBe("+1 555")
    const noDefault = { ...customer, addresses: [{ phone: "+54 11 3333", is_default_shipping: false }] }
    expect(pickIdentity(customerAsRewardOrder(noDefault), { identifier: "telephone" })?.value).toBe("+54 11 3333")
  })

  it("has no identity when the customer has no value for it", () => {
    const bare = { id: "cus_2", email: null, phone: null, metadata: null, addresses: [] }
    expect(pickIdentity(customerAsRewardOrder(bare), { identifier: "document", identifierMetadataKey: "dni" })).toBeNull()
    expect(pickIdentity(customerAsRewardOrder(bare), { identifier: "telephone" })).toBeNull()
    expect(pickIdentity(customerAsRewardOrder(bare), { identifier: "email" })).toBeNull()
  })
})

describe("previewCartPoints", () => {
  const cartOf = (spec: Parameters<typeof buildOrder>[0] = {}): PreviewCart => {
    const { payment_collections: _pc, ...cart } = buildOrder({ ...spec, captures: [] }) as any
    return cart
  }

  it("gives what the order earns once fully captured", () => {
    const spec = { items: [{ unit_price: 33.3, quantity: 3, tax_rate: 21, discount: 5 }], shipping: { amount: 10 } }
    for (const opts of [options(), options({ pointsPerCurrencyUnit: 0.5, rounding: "ceil", includeShipping: true, includeTax: true })]) {
      const order = computeRewardPoints(buildOrder(spec), opts)
      expect(previewCartPoints(cartOf(spec), opts)).toEqual({
        points: order.points,
        amount: order.amount,
        currency_code: "usd",
        reason: order.reason,
      })
    }
    expect(previewCartPoints(cartOf(spec), options()).points).toBe(94) // floor(33.3 * 3 - 5)
  })

  it("says why a cart earns nothing", () => {
    expect(previewCartPoints(cartOf(), options({ pointsPerCurrencyUnit: { ars: 1 } }))).toMatchObject({ points: 0, reason: "no_rate_for_currency" })
    expect(previewCartPoints(cartOf(), options({ minimumOrderAmount: 1000 }))).toMatchObject({ points: 0, reason: "below_minimum" })
    expect(previewCartPoints(cartOf({ items: [] }), options())).toMatchObject({ points: 0, reason: "zero_points" })
  })

  it("has no number when WoowUp's own rules award the points", () => {
    expect(previewCartPoints(cartOf(), options({ sendPoints: false }))).toEqual({
      points: null,
      amount: 100,
      currency_code: "usd",
      reason: "points_by_woowup",
    })
  })

  it("runs computePoints on the cart", () => {
    const computePoints = jest.fn((_order: Record<string, any>, { amount }: { amount: number }) => Math.ceil(amount * 3))
    expect(previewCartPoints(cartOf(), options({ computePoints })).points).toBe(300)
    expect(computePoints.mock.calls[0][0].id).toBe("order_01TEST")
  })
})
