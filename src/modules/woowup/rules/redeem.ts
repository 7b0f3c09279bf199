import { MathBN } from "@medusajs/framework/utils"
import type { WoowupOptions } from "../options"
import { currencyDecimals, decimalOr, roundDecimal } from "./money"

/**
 * Spending points at checkout (docs/redeem-points.md): what points are worth in a cart's currency, how many a cart
 * may take, and how many an order keeps taken once refunds and a cancelation have given some back.
 */

export type RedeemOptions = WoowupOptions["redeem"]

/** Money one point pays in `currency` (main unit), or null when the store set no value for it. */
export function pointValueFor(redeem: Pick<RedeemOptions, "pointValue">, currency: string): number | null {
  const value = redeem.pointValue
  if (value === undefined) {
    return null
  }
  if (typeof value === "number") {
    return value
  }
  return value[currency.toLowerCase()] ?? null
}

/** What `points` pay, rounded to the currency's decimals (half up): 20 points at 0.1 USD pay 2.00. */
export function pointsValue(points: number, pointValue: number, currency: string): number {
  return roundDecimal(MathBN.mult(points, pointValue), currencyDecimals(currency)).toNumber()
}

/** The most points a cart may take: `maxShareOfCart` of its item subtotal, in whole points. */
export function maxPointsForCart(itemSubtotal: unknown, pointValue: number, redeem: Pick<RedeemOptions, "maxShareOfCart">): number {
  const cap = MathBN.mult(decimalOr(itemSubtotal), redeem.maxShareOfCart)
  return Math.max(0, Math.floor(MathBN.div(cap, pointValue).toNumber() + 1e-9))
}

export type RedeemCheck = {
  points: number
  /** The customer's WoowUp balance minus what their other carts hold. */
  available: number
  currency: string
  itemSubtotal: unknown
}

/**
 * Why `points` cannot go on the cart (a message naming the problem, for a 400), or null. Checked in this order:
 * redemption off, no value for the currency, below `minPoints`, more than available, more than `maxShareOfCart`.
 */
export function redeemProblem(check: RedeemCheck, redeem: RedeemOptions): string | null {
  if (!redeem.enabled) {
    return "Spending WoowUp points is not enabled in this store (redeem.enabled)"
  }
  const value = pointValueFor(redeem, check.currency)
  if (value === null) {
    return `points cannot pay for a cart in ${check.currency.toUpperCase()}: the store set no redeem.pointValue for this currency`
  }
  if (check.points < redeem.minPoints) {
    return `points must be at least ${redeem.minPoints} (redeem.minPoints)`
  }
  if (check.points > check.available) {
    return `points (${check.points}) is more than the ${Math.max(0, check.available)} points available`
  }
  const max = maxPointsForCart(check.itemSubtotal, value, redeem)
  if (check.points > max) {
    return `points (${check.points}) would pay more than ${shareText(redeem.maxShareOfCart)} of the cart's items: at most ${max} points`
  }
  return null
}

function shareText(share: number): string {
  return `${Math.round(share * 10_000) / 100}%`
}

export type RedeemedOrder = {
  /** Points spent on the order. */
  redeemed: number
  captured: unknown
  refunded: unknown
  canceled: boolean
}

/**
 * The points WoowUp should have taken for an order's redemption now: all of them while the order stands; none once it
 * is canceled; after refunds, what the money kept pays for (`redeemed × (1 − refunded / captured)`, rounded so
 * that never more than `redeemed` is given back).
 */
export function redemptionDebit(order: RedeemedOrder): number {
  if (order.canceled) {
    return 0
  }
  const captured = decimalOr(order.captured)
  const refunded = decimalOr(order.refunded)
  if (captured.lte(0) || refunded.lte(0)) {
    return order.redeemed
  }
  const share = refunded.gte(captured) ? 1 : MathBN.div(refunded, captured).toNumber()
  return order.redeemed - Math.min(order.redeemed, Math.floor(order.redeemed * share + 1e-9))
}

/** The adjustments that belong to an order's redemption, not to the points it earns. */
export function isRedemptionCause(cause: string): boolean {
  return cause === "redeem" || cause === "redeem_return"
}

/** An order's redemption as the admin shows it (`redemption` of `GET /admin/woowup/orders/:id`). */
export type OrderRedemption = {
  points: number
  value: number
  currency_code: string
  /** `none`: nothing sent yet; `pending`: a debit or give-back waits for WoowUp; `failed`: WoowUp refused one. */
  debit_status: "none" | "pending" | "applied" | "failed"
  /** Points WoowUp has taken (applied debits minus applied give-backs). */
  debited: number
  /** Points given back after a refund or the cancelation. */
  given_back: number
}

/** The redemption of an order from its spent hold and its adjustments; null when no points were spent on it. */
export function orderRedemption(
  hold: { points: number; value: unknown; currency_code: string } | null,
  adjustments: Array<{ cause: string; points: number; status: string }>
): OrderRedemption | null {
  if (!hold) {
    return null
  }
  const own = adjustments.filter((a) => isRedemptionCause(a.cause))
  const applied = own.filter((a) => a.status === "applied")
  const debit_status = !own.length
    ? "none"
    : own.some((a) => a.status === "failed")
      ? "failed"
      : own.some((a) => a.status === "pending")
        ? "pending"
        : "applied"
  return {
    points: hold.points,
    value: decimalOr(hold.value).toNumber(),
    currency_code: hold.currency_code,
    debit_status,
    debited: applied.reduce((sum, a) => sum - a.points, 0),
    given_back: applied.filter((a) => a.cause === "redeem_return").reduce((sum, a) => sum + a.points, 0),
  }
}
