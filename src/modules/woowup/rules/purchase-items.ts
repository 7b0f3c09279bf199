import { MathBN } from "@medusajs/framework/utils"
import { text, truncate } from "./identity"
import { type Decimal, currencyDecimals, decimalOr, roundDecimal, sumDecimals } from "./money"
import type { RewardOrder, RewardOrderItem } from "./order-fields"
import { toWoowupSku } from "./sku"

export type WoowupVariation = { name: string; value: string }

export type WoowupPurchaseItem = {
  sku: string
  product_name?: string
  quantity: number
  unit_price: number
  variations?: WoowupVariation[]
}

export const MAX_PRODUCT_NAME = 255
export const MAX_VARIATIONS = 20
export const MAX_VARIATION_TEXT = 100

/** An item's variations: the checkout snapshot (`variant_option_values`) when present, else the variant's options. */
export function itemVariations(item: RewardOrderItem): WoowupVariation[] {
  const out: WoowupVariation[] = []
  const add = (name: unknown, value: unknown) => {
    const n = text(name)
    const v = text(value)
    if (n && v && !out.some((o) => o.name === truncate(n, MAX_VARIATION_TEXT))) {
      out.push({ name: truncate(n, MAX_VARIATION_TEXT), value: truncate(v, MAX_VARIATION_TEXT) })
    }
  }
  const snapshot = item.variant_option_values
  if (snapshot && typeof snapshot === "object" && !Array.isArray(snapshot)) {
    for (const [name, value] of Object.entries(snapshot)) {
      add(name, value)
    }
  }
  if (!out.length) {
    for (const option of item.variant?.options ?? []) {
      add(option?.option?.title, option?.value)
    }
  }
  return out.slice(0, MAX_VARIATIONS)
}

/** An item's unit price without tax: tax-inclusive prices are divided by (1 + sum of the item's tax rates). */
export function itemUnitPriceWithoutTax(item: RewardOrderItem): Decimal {
  const unit = decimalOr(item.unit_price)
  if (!item.is_tax_inclusive) {
    return unit
  }
  const rate = sumDecimals((item.tax_lines ?? []).map((l) => l?.rate)).dividedBy(100)
  return unit.dividedBy(MathBN.convert(1).plus(rate))
}

/**
 * `purchase_detail[]`: one entry per order line with a positive quantity and a positive unit price (WoowUp's
 * connectors leave the others out). Quantities are integers for WoowUp (a fractional one is rounded, half up);
 * unit prices are without tax, like `prices.gross`, in the currency's decimals.
 */
export function toPurchaseDetail(order: RewardOrder): WoowupPurchaseItem[] {
  const decimals = currencyDecimals(order.currency_code)
  const detail: WoowupPurchaseItem[] = []
  for (const item of order.items ?? []) {
    if (!item) {
      continue
    }
    const quantity = roundDecimal(decimalOr(item.quantity), 0).toNumber()
    const unit_price = roundDecimal(itemUnitPriceWithoutTax(item), decimals).toNumber()
    if (!(quantity > 0) || !(unit_price > 0)) {
      continue
    }
    const name = text(item.product_title) ?? text(item.title)
    const entry: WoowupPurchaseItem = { sku: toWoowupSku(item), quantity, unit_price }
    if (name) {
      entry.product_name = truncate(name, MAX_PRODUCT_NAME)
    }
    const variations = itemVariations(item)
    if (variations.length) {
      entry.variations = variations
    }
    detail.push(entry)
  }
  return detail
}
