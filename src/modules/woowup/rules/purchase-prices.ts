import { MathBN } from "@medusajs/framework/utils"
import { type Decimal, currencyDecimals, decimalOr, roundDecimal, sumDecimals, toDecimal, zero } from "./money"
import type { RewardOrder } from "./order-fields"
import { itemsNetAmount, itemsTaxAmount, shippingNetAmount } from "./points"

export type WoowupPrices = {
  gross: number
  discount: number
  shipping: number
  tax: number
  total: number
}

/**
 * `prices`, as WoowUp's connectors send them, all without tax except `tax`, in the currency's decimals:
 * gross = items before discounts (`item_subtotal`); discount = the items' discounts (`item_subtotal -
 * (item_total - item_tax_total)`); shipping = shipping after its discounts (`shipping_total -
 * shipping_tax_total`); tax = `tax_total`; total = gross - discount.
 * So total + shipping + tax = Medusa's order `total` (before store credit), to the cent.
 */
export function toWoowupPrices(order: RewardOrder): WoowupPrices {
  const decimals = currencyDecimals(order.currency_code)
  const round = (d: Decimal) => roundDecimal(d, decimals)
  const net = itemsNetAmount(order)
  const grossRaw =
    toDecimal(order.item_subtotal) ?? sumDecimals((order.items ?? []).map((i) => i?.subtotal)).plus(zero())
  const discountRaw = MathBN.max(grossRaw.minus(net), 0)
  const taxRaw =
    toDecimal(order.tax_total) ?? itemsTaxAmount(order).plus(decimalOr(order.shipping_tax_total))
  const gross = round(grossRaw)
  const discount = round(discountRaw)
  const num = (d: Decimal) => d.toNumber() || 0
  return {
    gross: num(gross),
    discount: num(discount),
    shipping: num(round(shippingNetAmount(order))),
    tax: num(round(taxRaw)),
    total: num(gross.minus(discount)),
  }
}
