import { decorateCartTotals } from "@medusajs/framework/utils"
import { parseWoowupOptions, type WoowupOptions, type WoowupPluginOptions } from "../../options"
import type { RewardOrder, RewardOrderItem } from "../order-fields"

export type ItemSpec = {
  id?: string
  unit_price: number | string
  quantity?: number
  /** percent, e.g. 21 */
  tax_rate?: number
  is_tax_inclusive?: boolean
  /** a fixed discount on the whole line, without tax */
  discount?: number
  sku?: string | null
  variant_id?: string | null
  title?: string
  product_title?: string | null
  variant_option_values?: Record<string, unknown> | null
  variant?: RewardOrderItem["variant"]
  /** Units received back through a return (`detail.return_received_quantity`). */
  returned?: number
  /** Units received damaged (`detail.return_dismissed_quantity`). */
  dismissed?: number
}

export type OrderSpec = {
  id?: string
  currency_code?: string
  items?: ItemSpec[]
  shipping?: { amount: number; tax_rate?: number; discount?: number }
  /** Captured amounts, one capture each; "full" (default) captures the order total in one go; [] none. */
  captures?: number[] | "full"
  provider_id?: string
  email?: string | null
  customer?: RewardOrder["customer"]
  shipping_address?: RewardOrder["shipping_address"]
  created_at?: string | Date
  captured_at?: string
  /** Refunded amounts, one refund each, on the order's payment. Default none. */
  refunds?: number[]
}

/**
 * An order shaped like query.graph's answer, with totals computed by Medusa's own `decorateCartTotals`
 * (so they are BigNumber instances, as the order module returns them).
 */
export function buildOrder(spec: OrderSpec = {}): RewardOrder {
  const itemSpecs = spec.items ?? [{ unit_price: 50, quantity: 2 }]
  const lines = (withReturns: boolean) => itemSpecs.map((item, index) => ({
    id: item.id ?? `ordli_${index + 1}`,
    title: item.title ?? `Product ${index + 1}`,
    product_title: item.product_title === undefined ? `Product ${index + 1}` : item.product_title,
    variant_title: "Default",
    variant_sku: item.sku === undefined ? `SKU-${index + 1}` : item.sku,
    variant_id: item.variant_id === undefined ? `variant_${index + 1}` : item.variant_id,
    product_id: `prod_${index + 1}`,
    quantity: item.quantity ?? 1,
    unit_price: item.unit_price,
    is_tax_inclusive: item.is_tax_inclusive ?? false,
    tax_lines: item.tax_rate ? [{ rate: item.tax_rate, code: "VAT" }] : [],
    adjustments: item.discount ? [{ amount: item.discount, code: "PROMO" }] : [],
    variant_option_values: item.variant_option_values ?? null,
    variant: item.variant ?? null,
    ...(withReturns && (item.returned || item.dismissed)
      ? { detail: { return_received_quantity: item.returned ?? 0, return_dismissed_quantity: item.dismissed ?? 0 } }
      : {}),
  }))
  const shippingMethods = () => spec.shipping
    ? [
        {
          id: "ordsm_1",
          amount: spec.shipping.amount,
          is_tax_inclusive: false,
          tax_lines: spec.shipping.tax_rate ? [{ rate: spec.shipping.tax_rate, code: "VAT" }] : [],
          adjustments: spec.shipping.discount ? [{ amount: spec.shipping.discount, code: "SHIP" }] : [],
        },
      ]
    : []
  const decorate = (withReturns: boolean): any =>
    decorateCartTotals({
      id: spec.id ?? "order_01TEST",
      currency_code: spec.currency_code ?? "usd",
      items: lines(withReturns),
      shipping_methods: shippingMethods(),
    } as any)
  const order = decorate(true)

  // What was asked and captured is the order as placed: a received return lowers the totals afterwards only.
  const total = decorate(false).total.numeric as number
  const refunds = spec.refunds ?? []
  const captures = spec.captures === undefined || spec.captures === "full" ? [total] : spec.captures
  const capturedAt = spec.captured_at ?? "2026-11-25T15:19:21.123Z"
  order.display_id = 42
  order.email = spec.email === undefined ? "Buyer@Example.com" : spec.email
  order.created_at = spec.created_at ?? "2026-11-25T15:10:00.000Z"
  order.customer =
    spec.customer === undefined
      ? { id: "cus_1", email: "buyer@example.com", first_name: "Ana", last_name: "García", phone: "+54 11 5555-0000", metadata: {} }
      : spec.customer
  order.shipping_address =
    spec.shipping_address === undefined
      ? {
          first_name: "Ana",
          last_name: "García",
          phone: "+54 11 4444-0000",
          city: "Buenos Aires",
          province: "CABA",
          address_1: "Av. Corrientes 1234",
          country_code: "ar",
        }
      : spec.shipping_address
  order.payment_collections = [
    {
      id: "pay_col_1",
      status: captures.length ? "completed" : "authorized",
      currency_code: order.currency_code,
      amount: total,
      captured_amount: captures.reduce((a, b) => a + b, 0),
      refunded_amount: refunds.reduce((a, b) => a + b, 0),
      payments: [
        {
          id: "pay_1",
          provider_id: spec.provider_id ?? "pp_stripe_stripe",
          amount: total,
          currency_code: order.currency_code,
          captured_at: captures.length ? capturedAt : null,
          canceled_at: null,
          captures: captures.map((amount, i) => ({
            id: `capt_${i + 1}`,
            amount,
            created_at: new Date(new Date(capturedAt).getTime() + i * 60_000).toISOString(),
          })),
          refunds: refunds.map((amount, i) => ({ id: `ref_${i + 1}`, amount })),
        },
      ],
    },
  ]
  return order as RewardOrder
}

export function options(overrides: Partial<WoowupPluginOptions> = {}): WoowupOptions {
  return parseWoowupOptions({ apiKey: "test-key", ...overrides })
}

/** A deterministic PRNG (mulberry32) for property-style tests. */
export function prng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
