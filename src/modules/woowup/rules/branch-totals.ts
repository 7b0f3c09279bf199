import type { WoowupOptions } from "../options"
import { resolveBranch } from "./branch"
import type { RewardOrder } from "./order-fields"
import { toPurchaseDetail } from "./purchase-items"
import { toWoowupPrices } from "./purchase-prices"

/** Purchases, revenue (the purchases' `prices.total`) and units (their lines' quantities): as WoowUp's `/stats` counts. */
export type PurchaseTotals = { purchases: number; revenue: number; units: number }

const cents = (v: number) => Math.round(v * 100) / 100

/** The totals of the purchases these orders make, as the plugin sends them. */
export function purchaseTotals(orders: RewardOrder[]): PurchaseTotals {
  let revenue = 0
  let units = 0
  for (const order of orders) {
    revenue += toWoowupPrices(order).total
    units += toPurchaseDetail(order).reduce((sum, line) => sum + line.quantity, 0)
  }
  return { purchases: orders.length, revenue: cents(revenue), units }
}

/** The same, per branch (`resolveBranch` of each order). */
export function purchaseTotalsByBranch(
  orders: RewardOrder[],
  options: Pick<WoowupOptions, "branchName">
): Map<string, PurchaseTotals> {
  const byBranch = new Map<string, RewardOrder[]>()
  for (const order of orders) {
    const { branch_name } = resolveBranch(order, options)
    byBranch.set(branch_name, [...(byBranch.get(branch_name) ?? []), order])
  }
  return new Map([...byBranch].map(([branch, list]) => [branch, purchaseTotals(list)]))
}
