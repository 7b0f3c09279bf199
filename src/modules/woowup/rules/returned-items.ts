import { MathBN } from "@medusajs/framework/utils"
import { type Decimal, decimalOr, sumDecimals, toDecimal, zero } from "./money"
import type { RewardOrder, RewardOrderItem } from "./order-fields"

/*
 * What came back through Medusa's return flow (a return, or the return of a claim or an exchange), line by line.
 *
 * Medusa 2.21 records a received return on the order item (`detail.return_received_quantity`, and
 * `detail.return_dismissed_quantity` for units received damaged) and from then on computes the item's and the
 * order's totals (`items.total`, `item_total`, `total`...) on the units the customer kept only. For each line it
 * also says what the customer was charged for the units that came back: `return_received_total` and
 * `return_dismissed_total` (per unit after discounts, with tax, times the units). Units only requested back are
 * still the customer's until received. A claim's written-off units (`written_off_quantity`) stay in the totals:
 * the customer keeps paying for them, the claim replaces or refunds them with its own lines.
 */

function items(order: RewardOrder): RewardOrderItem[] {
  return (order.items ?? []).filter((i): i is RewardOrderItem => !!i)
}

/** Units of a line that came back: received, or received damaged. */
export function returnedQuantity(item: RewardOrderItem): Decimal {
  return decimalOr(item.detail?.return_received_quantity).plus(decimalOr(item.detail?.return_dismissed_quantity))
}

function taxRate(item: RewardOrderItem): Decimal {
  return sumDecimals((item.tax_lines ?? []).map((l) => l?.rate)).dividedBy(100)
}

/**
 * What the customer was charged for a line's units that came back, with tax and after discounts: Medusa's
 * `return_received_total + return_dismissed_total`. When those were not loaded, the unit price with its tax
 * (discounts unknown) times the units.
 */
export function returnedItemAmount(item: RewardOrderItem): Decimal {
  const quantity = returnedQuantity(item)
  if (!quantity.gt(0)) {
    return zero()
  }
  const received = toDecimal(item.return_received_total)
  const dismissed = toDecimal(item.return_dismissed_total)
  if (received || dismissed) {
    return decimalOr(received).plus(decimalOr(dismissed))
  }
  const unit = decimalOr(item.unit_price)
  const unitWithTax = item.is_tax_inclusive ? unit : unit.times(MathBN.convert(1).plus(taxRate(item)))
  return unitWithTax.times(quantity)
}

/** What the customer was charged for everything that came back (with tax, after discounts). */
export function returnedItemsAmount(order: RewardOrder): Decimal {
  return sumDecimals(items(order).map(returnedItemAmount))
}

/**
 * The points base of what came back, as the kept items' is computed: after discounts, without tax unless
 * `includeTax`. The tax is taken out of Medusa's amount with the line's tax rates.
 */
export function returnedPointsBase(order: RewardOrder, options: { includeTax?: boolean }): Decimal {
  let base = zero()
  for (const item of items(order)) {
    const amount = returnedItemAmount(item)
    if (!amount.gt(0)) {
      continue
    }
    base = base.plus(options.includeTax ? amount : amount.dividedBy(MathBN.convert(1).plus(taxRate(item))))
  }
  return base
}
