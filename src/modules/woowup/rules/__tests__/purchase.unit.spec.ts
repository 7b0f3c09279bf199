import { toNumber } from "../money"
import { fitPurchase, invoiceNumber, PURCHASE_BYTES_BUDGET, purchaseBytes, toWoowupPurchase, WOOWUP_MAX_PURCHASE_BYTES } from "../purchase"
import { firstCaptureTime, formatWoowupDate } from "../purchase-dates"
import { woowupPaymentType } from "../purchase-payments"
import { toWoowupPrices } from "../purchase-prices"
import { decideReward } from "../reward-decision"
import { WOOWUP_SKU_PATTERN } from "../sku"
import { buildOrder, options, type OrderSpec } from "./fixtures"

// A: 2 × 19.99 + 21% tax, 4 off the line → net 35.98, tax 7.5558
// B: free gift (unit price 0), C: quantity 0 → both left out
// D: 121 tax-inclusive at 21% → 100 without tax, no SKU
// shipping 5 + 21% tax
const spec = (overrides: Partial<OrderSpec> = {}): OrderSpec => ({
  items: [
    {
      unit_price: 19.99,
      quantity: 2,
      tax_rate: 21,
      discount: 4,
      sku: "TSHIRT.M",
      product_title: "T-shirt",
      variant_option_values: { Size: "M", Color: "Red" },
    },
    { unit_price: 0, quantity: 1, sku: "GIFT" },
    { unit_price: 10, quantity: 0, sku: "GONE" },
    {
      unit_price: 121,
      quantity: 1,
      tax_rate: 21,
      is_tax_inclusive: true,
      sku: null,
      variant_id: "variant_D",
      product_title: null,
      title: "Hoodie",
      variant: { options: [{ value: "L", option: { title: "Size" } }, { value: null, option: { title: "Empty" } }] },
    },
  ],
  shipping: { amount: 5, tax_rate: 21 },
  ...overrides,
})

describe("invoiceNumber", () => {
  it("is the prefix and the order id, the same every time", () => {
    expect(invoiceNumber({ id: "order_01ABC" }, { invoicePrefix: "" })).toBe("order_01ABC")
    expect(invoiceNumber({ id: "order_01ABC" }, { invoicePrefix: "MED-" })).toBe("MED-order_01ABC")
    expect(invoiceNumber({ id: "order_01ABC" }, { invoicePrefix: "MED-" })).toBe(
      invoiceNumber({ id: "order_01ABC" }, { invoicePrefix: "MED-" })
    )
  })
})

describe("formatWoowupDate / firstCaptureTime", () => {
  it("formats ISO 8601 in UTC with +00:00 and no fraction", () => {
    expect(formatWoowupDate("2026-11-25T15:19:21.123Z")).toBe("2026-11-25T15:19:21+00:00")
    expect(formatWoowupDate(new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe("2026-01-02T03:04:05+00:00")
    expect(formatWoowupDate("2026-11-25T12:19:21-03:00")).toBe("2026-11-25T15:19:21+00:00")
  })

  it("is null for missing or invalid dates", () => {
    expect(formatWoowupDate(null)).toBeNull()
    expect(formatWoowupDate("")).toBeNull()
    expect(formatWoowupDate("not a date")).toBeNull()
  })

  it("picks the earliest capture", () => {
    const order = buildOrder({ captures: [10, 20], captured_at: "2026-11-25T15:19:21Z" })
    order.payment_collections![0]!.payments![0]!.captures!.reverse()
    expect(firstCaptureTime(order)).toBe("2026-11-25T15:19:21+00:00")
  })

  it("falls back to the payment's captured_at when captures were not loaded", () => {
    const order = buildOrder()
    order.payment_collections![0]!.payments![0]!.captures = null
    expect(firstCaptureTime(order)).toBe("2026-11-25T15:19:21+00:00")
    expect(firstCaptureTime(buildOrder({ captures: [] }))).toBeNull()
  })
})

describe("woowupPaymentType", () => {
  it.each([
    ["pp_stripe_stripe", "credit"],
    ["pp_stripe-ideal_stripe", "other"],
    ["pp_stripe-bancontact_stripe", "other"],
    ["pp_mercadopago_mercadopago", "mercadopago"],
    ["pp_mercado-pago_mp", "mercadopago"],
    ["pp_todopago_default", "todopago"],
    ["pp_system_default", "other"],
    ["pp_cash_default", "cash"],
    ["pp_cod_manual", "cash"],
    ["pp_barcode_x", "other"],
    ["pp_acme-debit_acme", "debit"],
    ["pp_acme_credit", "credit"],
    ["pp_paypal_paypal", "other"],
    ["", "other"],
    [null, "other"],
  ])("%j → %s", (provider, type) => {
    expect(woowupPaymentType(provider)).toBe(type)
  })
})

describe("toWoowupPrices", () => {
  it("sends gross, discount, shipping and tax like WoowUp's connectors, total = gross - discount", () => {
    const order = buildOrder(spec())
    const prices = toWoowupPrices(order)
    expect(prices).toEqual({ gross: 139.98, discount: 4, shipping: 5, tax: 29.61, total: 135.98 })
    // total + shipping + tax is Medusa's order total
    expect(prices.total + prices.shipping + prices.tax).toBeCloseTo(toNumber(order.total), 2)
  })

  it("rounds to the currency's decimals (CLP)", () => {
    const order = buildOrder({ currency_code: "clp", items: [{ unit_price: 9990, quantity: 3, tax_rate: 19 }] })
    expect(toWoowupPrices(order)).toEqual({ gross: 29970, discount: 0, shipping: 0, tax: 5694, total: 29970 })
  })

  it("has no float drift", () => {
    const order = buildOrder({ items: [{ unit_price: 0.1 }, { unit_price: 0.2 }] })
    expect(toWoowupPrices(order).gross).toBe(0.3)
  })
})

describe("toWoowupPurchase", () => {
  const o = options({ invoicePrefix: "MED-", branchName: "Tienda online" })
  const identity = { field: "email" as const, value: "buyer@example.com" }

  it("builds the POST /purchases body", () => {
    const order = buildOrder(spec())
    const purchase = toWoowupPurchase(order, { identity, points: 135, options: o })
    expect(purchase).toEqual({
      email: "buyer@example.com",
      invoice_number: "MED-order_01TEST",
      purchase_detail: [
        {
          sku: "TSHIRT%2EM",
          product_name: "T-shirt",
          quantity: 2,
          unit_price: 19.99,
          variations: [
            { name: "Size", value: "M" },
            { name: "Color", value: "Red" },
          ],
        },
        {
          sku: "variant_D",
          product_name: "Hoodie",
          quantity: 1,
          unit_price: 100,
          variations: [{ name: "Size", value: "L" }],
        },
      ],
      prices: { gross: 139.98, discount: 4, shipping: 5, tax: 29.61, total: 135.98 },
      channel: "web",
      branch_name: "Tienda online",
      createtime: "2026-11-25T15:10:00+00:00",
      approvedtime: "2026-11-25T15:19:21+00:00",
      payment: [{ type: "credit", total: 170.59 }],
      points: 135,
    })
    for (const line of purchase.purchase_detail) {
      expect(line.sku).toMatch(WOOWUP_SKU_PATTERN)
    }
  })

  it("leaves points out when sendPoints is false, or when none are given", () => {
    const order = buildOrder(spec())
    expect(
      toWoowupPurchase(order, { identity, points: 10, options: { ...o, sendPoints: false } })
    ).not.toHaveProperty("points")
    expect(toWoowupPurchase(order, { identity, options: o })).not.toHaveProperty("points")
    expect(toWoowupPurchase(order, { identity, points: 0, options: o }).points).toBe(0)
  })

  it("sends each captured payment with its captured amount", () => {
    const order = buildOrder({ ...spec(), captures: [50, 20.5], provider_id: "pp_mercadopago_mp" })
    order.payment_collections!.push({
      payments: [
        { provider_id: "pp_system_default", captures: [{ amount: 10 }] },
        { provider_id: "pp_stripe_stripe", captures: [] }, // nothing captured: left out
      ],
    })
    expect(toWoowupPurchase(order, { identity, options: o }).payment).toEqual([
      { type: "mercadopago", total: 70.5 },
      { type: "other", total: 10 },
    ])
  })

  it("rounds fractional quantities to integers", () => {
    const order = buildOrder({ items: [{ unit_price: 10, quantity: 1.5 }] })
    expect(toWoowupPurchase(order, { identity, options: o }).purchase_detail[0].quantity).toBe(2)
  })

  it("uses the identity field it is given", () => {
    const purchase = toWoowupPurchase(buildOrder(), { identity: { field: "document", value: "301" }, options: o })
    expect(purchase.document).toBe("301")
    expect(purchase).not.toHaveProperty("email")
  })

  it("cuts product names at 255 characters and variations at 100", () => {
    const order = buildOrder({
      items: [{ unit_price: 1, product_title: "x".repeat(1000), variant_option_values: { Size: "y".repeat(300) } }],
    })
    const line = toWoowupPurchase(order, { identity, options: o }).purchase_detail[0]
    expect(line.product_name).toHaveLength(255)
    expect(line.variations![0].value).toHaveLength(100)
  })
})

describe("fitPurchase (WoowUp's 256 KB limit)", () => {
  const identity = { field: "email" as const, value: "buyer@example.com" }
  const o = options()
  const bigItems = (count: number, variations: number) =>
    Array.from({ length: count }, (_, i) => ({
      unit_price: 1,
      sku: `SKU-${i}`,
      product_title: `Producto ${i} ${"ñ".repeat(300)}`,
      variant_option_values: Object.fromEntries(
        Array.from({ length: variations }, (_, v) => [`Option ${v} ${"o".repeat(90)}`, "v".repeat(100)])
      ),
    }))

  it("leaves a normal order untouched", () => {
    const order = buildOrder(spec())
    const purchase = toWoowupPurchase(order, { identity, options: o })
    expect(fitPurchase(purchase)).toBe(purchase)
  })

  it("drops variations first, keeping every line", () => {
    const order = buildOrder({ items: bigItems(60, 20) })
    const purchase = toWoowupPurchase(order, { identity, options: o })
    expect(purchaseBytes(purchase)).toBeLessThanOrEqual(PURCHASE_BYTES_BUDGET)
    expect(purchase.purchase_detail).toHaveLength(60)
    expect(purchase.purchase_detail.every((l) => !l.variations)).toBe(true)
    expect(purchase.purchase_detail[0].product_name!.length).toBe(255)
  })

  it("then cuts names, then keeps the first lines that fit, with the whole order's prices", () => {
    const order = buildOrder({ items: bigItems(3000, 2) })
    const purchase = toWoowupPurchase(order, { identity, options: o })
    const bytes = purchaseBytes(purchase)
    expect(bytes).toBeLessThanOrEqual(PURCHASE_BYTES_BUDGET)
    expect(bytes).toBeLessThan(WOOWUP_MAX_PURCHASE_BYTES)
    expect(bytes).toBeGreaterThan(PURCHASE_BYTES_BUDGET - 200) // as many lines as fit
    expect(purchase.purchase_detail.length).toBeLessThan(3000)
    expect(purchase.purchase_detail.length).toBeGreaterThan(1000)
    expect(purchase.purchase_detail[0].product_name!.length).toBe(60)
    expect(purchase.prices.gross).toBe(3000)
  })
})

describe("decideReward", () => {
  it("sends a captured order with its points, purchase and customer", () => {
    const order = buildOrder(spec())
    const d = decideReward(order, options({ invoicePrefix: "MED-" }))
    expect(d).toMatchObject({
      action: "send",
      identity: { field: "email", value: "buyer@example.com" },
      points: 135,
      points_reason: null,
      amount: 135.98,
      currency_code: "usd",
      fully_captured: true,
      invoice_number: "MED-order_01TEST",
    })
    if (d.action !== "send") throw new Error("expected send")
    expect(d.purchase.points).toBe(135)
    expect(d.purchase.invoice_number).toBe(d.invoice_number)
    expect(d.customer).toMatchObject({ email: "buyer@example.com", first_name: "Ana", country: "ARG" })
  })

  it("sends a guest order under the order email", () => {
    const d = decideReward(buildOrder({ customer: null, email: "Guest@Example.com" }), options())
    expect(d).toMatchObject({ action: "send", identity: { field: "email", value: "guest@example.com" } })
  })

  it("skips a canceled order, and wants WoowUp to hold no points for it", () => {
    const order = buildOrder()
    order.canceled_at = "2026-11-26T00:00:00Z"
    expect(decideReward(order, options())).toMatchObject({ action: "skip", reason: "order_canceled", target_points: 0 })
    // WoowUp's own rules award: nothing is ever taken back.
    expect(decideReward(order, options({ sendPoints: false }))).toMatchObject({ target_points: null })
  })

  it("sends the points of what was kept after a refund, and skips an order refunded in full", () => {
    const order = buildOrder()
    const payment = order.payment_collections![0]!.payments![0]!
    const total = Number(order.total)
    payment.refunds = [{ id: "ref_1", amount: total / 2 }]
    const half = decideReward(order, options())
    expect(half).toMatchObject({ action: "send", fully_captured: true })
    if (half.action !== "send") throw new Error("expected send")
    expect(half.target_points).toBe(half.points)
    expect(half.purchase.points).toBe(half.points)
    expect(half.points).toBe(Math.floor(Number(decideReward(buildOrder(), options()).target_points) / 2))

    payment.refunds = [{ id: "ref_1", amount: total }]
    expect(decideReward(order, options())).toMatchObject({ action: "skip", reason: "refunded", target_points: 0 })
    expect(decideReward(order, options({ sendZeroPointPurchases: true }))).toMatchObject({ action: "send", points: 0 })
  })

  it("wants nothing touched when the rules cannot say (no rate for the currency)", () => {
    const d = decideReward(buildOrder({ currency_code: "clp" }), options({ pointsPerCurrencyUnit: { usd: 1 } }))
    expect(d).toMatchObject({ action: "skip", reason: "no_rate_for_currency", target_points: null })
  })

  it("skips when nothing was captured", () => {
    expect(decideReward(buildOrder({ captures: [] }), options())).toMatchObject({
      action: "skip",
      reason: "nothing_captured",
      invoice_number: "order_01TEST",
    })
  })

  it("skips without an identity", () => {
    const d = decideReward(buildOrder({ customer: null }), options({ identifier: "service_uid" }))
    expect(d).toMatchObject({ action: "skip", reason: "no_identity", identity: null, amount: 100 })
  })

  it("skips a currency without a rate", () => {
    const d = decideReward(buildOrder({ currency_code: "EUR" }), options({ pointsPerCurrencyUnit: { usd: 1 } }))
    expect(d).toMatchObject({ action: "skip", reason: "no_rate_for_currency", currency_code: "eur" })
  })

  it("skips below the minimum and zero points", () => {
    expect(decideReward(buildOrder(), options({ minimumOrderAmount: 500 }))).toMatchObject({
      action: "skip",
      reason: "below_minimum",
    })
    expect(decideReward(buildOrder(), options({ pointsPerCurrencyUnit: 0.001 }))).toMatchObject({
      action: "skip",
      reason: "zero_points",
    })
  })

  it("sends zero-point purchases with sendZeroPointPurchases, saying why", () => {
    const o = options({ sendZeroPointPurchases: true })
    const zero = decideReward(buildOrder(), { ...o, pointsPerCurrencyUnit: 0.001 })
    expect(zero).toMatchObject({ action: "send", points: 0, points_reason: "zero_points" })
    if (zero.action === "send") expect(zero.purchase.points).toBe(0)
    expect(decideReward(buildOrder(), { ...o, minimumOrderAmount: 500 })).toMatchObject({
      action: "send",
      points: 0,
      points_reason: "below_minimum",
    })
    expect(decideReward(buildOrder({ currency_code: "eur" }), { ...o, pointsPerCurrencyUnit: { usd: 1 } })).toMatchObject({
      action: "send",
      points: 0,
      points_reason: "no_rate_for_currency",
    })
  })

  it("with sendPoints false, sends without points whatever the points rules say", () => {
    const o = options({ sendPoints: false, pointsPerCurrencyUnit: { usd: 0 }, minimumOrderAmount: 1e6 })
    for (const order of [buildOrder(), buildOrder({ currency_code: "eur" })]) {
      const d = decideReward(order, o)
      expect(d).toMatchObject({ action: "send", points: null, points_reason: null })
      if (d.action === "send") expect(d.purchase).not.toHaveProperty("points")
    }
  })

  it("awards the captured share on a partial capture and keeps the whole order in the purchase", () => {
    const order = buildOrder({ items: [{ unit_price: 100 }], captures: [25] })
    const d = decideReward(order, options())
    expect(d).toMatchObject({ action: "send", points: 25, amount: 25, fully_captured: false })
    if (d.action === "send") {
      expect(d.purchase.prices.total).toBe(100)
      expect(d.purchase.payment).toEqual([{ type: "credit", total: 25 }])
    }
  })

  it("lets a computePoints error through", () => {
    expect(() => decideReward(buildOrder(), options({ computePoints: () => 1.5 }))).toThrow(/computePoints/)
  })

  it("is deterministic: the same order gives the same decision", () => {
    const order = buildOrder(spec())
    expect(JSON.stringify(decideReward(order, options()))).toBe(JSON.stringify(decideReward(order, options())))
  })
})
