import { MedusaError, MathBN } from "@medusajs/framework/utils"
import type { WoowupOptions } from "../options"
import {
  type Decimal,
  currencyDecimals,
  decimalOr,
  roundDecimal,
  roundToInteger,
  sumDecimals,
  toDecimal,
  zero,
} from "./money"
import type { RewardOrder, RewardPayment, RewardPaymentCollection } from "./order-fields"
import { returnedItemsAmount, returnedPointsBase } from "./returned-items"

/** The options the points rules read. */
export type PointsOptions = Pick<
  WoowupOptions,
  | "pointsPerCurrencyUnit"
  | "rounding"
  | "includeShipping"
  | "includeTax"
  | "minimumOrderAmount"
  | "computePoints"
  | "reverseOnRefund"
>

/** Why an order earns no points (or no rate applies). */
export type PointsReason = "no_rate_for_currency" | "below_minimum" | "zero_points"

export type RewardPoints = {
  /** Integer points the order earns now (0 when `reason` is set). */
  points: number
  /** `reason` null means the order earns `points` > 0. */
  reason: PointsReason | null
  /** What points are computed on: the base of what was kept and paid for (`paidPointsBase`), in currency decimals. */
  amount: number
  /** The points base of the whole order as sold, returns included (what `minimumOrderAmount` is compared with). */
  order_amount: number
  /** captured / total, between 0 and 1. */
  captured_share: number
  /** (captured - refunded) / total, between 0 and 1: the share of the order's money the customer paid and kept paid. */
  paid_share: number
  /** The order's currency, lowercased. */
  currency_code: string
  /** Points per currency unit for this currency, null when none is configured. */
  rate: number | null
}

function payments(collection: RewardPaymentCollection): RewardPayment[] {
  return (collection.payments ?? []).filter((p): p is RewardPayment => !!p)
}

/**
 * What was captured on one payment: the sum of its captures; when captures were not loaded, its amount if it
 * has a `captured_at` (and was not canceled).
 */
export function paymentCapturedAmount(payment: RewardPayment): Decimal {
  const captures = (payment.captures ?? []).filter((c) => !!c)
  if (captures.length) {
    return sumDecimals(captures.map((c) => c!.amount))
  }
  if (payment.captured_at && !payment.canceled_at) {
    return decimalOr(payment.amount)
  }
  return zero()
}

/**
 * What was captured on the order, over all its payment collections. Per collection, the larger of the sum of its
 * payments' captures and its `captured_amount`, so a missing relation never hides a capture. Refunds are not
 * subtracted: taking points back is the reverse workflow's job.
 */
export function capturedAmount(order: RewardOrder): Decimal {
  let total = zero()
  for (const collection of order.payment_collections ?? []) {
    if (!collection) {
      continue
    }
    const fromPayments = sumDecimals(payments(collection).map(paymentCapturedAmount))
    const fromCollection = decimalOr(collection.captured_amount)
    total = total.plus(MathBN.max(fromPayments, fromCollection))
  }
  return total
}

/** What was refunded on one payment: the sum of its refunds. */
function paymentRefundedAmount(payment: RewardPayment): Decimal {
  return sumDecimals((payment.refunds ?? []).filter((r) => !!r).map((r) => r!.amount))
}

/**
 * What was refunded on the order, over all its payment collections (the larger of the sum of the payments'
 * refunds and the collection's `refunded_amount`), whatever refunded it: the refund route, a cancel, a return,
 * a claim or an exchange.
 */
export function refundedAmount(order: RewardOrder): Decimal {
  let total = zero()
  for (const collection of order.payment_collections ?? []) {
    if (!collection) {
      continue
    }
    const fromPayments = sumDecimals(payments(collection).map(paymentRefundedAmount))
    total = total.plus(MathBN.max(fromPayments, decimalOr(collection.refunded_amount)))
  }
  return total
}

/**
 * What the customer was asked to pay for the whole order, what came back included: the larger of the order's
 * total plus what the returned items were charged, and its payment collections' amounts. Medusa 2.21 computes
 * `order.total` on the items kept (a received return leaves it), and a bare refund adds a credit line that lowers
 * it by the refunded amount, so the total alone would make a refunded order look paid in full.
 */
function amountAsked(order: RewardOrder): Decimal | null {
  const total = toDecimal(order.total)
  const whole = total ? total.plus(returnedItemsAmount(order)) : null
  const collections = (order.payment_collections ?? []).filter((c) => !!c && toDecimal(c.amount) !== null)
  if (!collections.length) {
    return whole
  }
  const asked = sumDecimals(collections.map((c) => c!.amount))
  return whole ? MathBN.max(whole, asked) : asked
}

/** `amount` / `due`, between 0 and 1; 1 when `amount` is positive and `due` is 0 or unknown. */
function shareOf(amount: Decimal, due: Decimal | null): Decimal {
  if (amount.lte(0)) {
    return zero()
  }
  if (!due || due.lte(0) || amount.gte(due)) {
    return MathBN.convert(1)
  }
  return amount.dividedBy(due)
}

/** `amount` / what was asked for the whole order (see {@link amountAsked}), between 0 and 1. */
function shareOfTotal(order: RewardOrder, amount: Decimal): Decimal {
  return shareOf(amount, amountAsked(order))
}

/** captured / order total, capped at 1; 1 when something was captured on an order whose total is 0 or unknown. */
export function capturedShare(order: RewardOrder): Decimal {
  return shareOfTotal(order, capturedAmount(order))
}

/** What the customer paid and was not given back: captured minus refunded (refunds only with `reverseOnRefund`). */
export function paidAmount(order: RewardOrder, options: Partial<Pick<PointsOptions, "reverseOnRefund">> = {}) {
  const refunded = options.reverseOnRefund === false ? zero() : refundedAmount(order)
  return capturedAmount(order).minus(refunded)
}

/**
 * (captured - refunded) / what was asked for the whole order, between 0 and 1: the share of the order's money the
 * customer paid and kept paid. Which items that money is for is {@link pointsAmount}'s concern.
 */
export function paidShare(order: RewardOrder, options: Partial<Pick<PointsOptions, "reverseOnRefund">> = {}): Decimal {
  return shareOfTotal(order, paidAmount(order, options))
}

function items(order: RewardOrder) {
  return (order.items ?? []).filter((i) => !!i)
}

/** Items after discounts, without tax: `item_total - item_tax_total` (per-item totals when not loaded). */
export function itemsNetAmount(order: RewardOrder): Decimal {
  const itemTotal = toDecimal(order.item_total)
  if (itemTotal) {
    return itemTotal.minus(decimalOr(order.item_tax_total))
  }
  return sumDecimals(items(order).map((i) => decimalOr(i!.total).minus(decimalOr(i!.tax_total))))
}

/** Items' tax after discounts. */
export function itemsTaxAmount(order: RewardOrder): Decimal {
  const tax = toDecimal(order.item_tax_total)
  if (tax) {
    return tax
  }
  return sumDecimals(items(order).map((i) => i!.tax_total))
}

/** Shipping after discounts, without tax: `shipping_total - shipping_tax_total`. */
export function shippingNetAmount(order: RewardOrder): Decimal {
  const shippingTotal = toDecimal(order.shipping_total)
  if (shippingTotal) {
    return shippingTotal.minus(decimalOr(order.shipping_tax_total))
  }
  return decimalOr(order.shipping_subtotal)
}

/**
 * The points base of what the customer kept, unrounded: items after discounts without tax (Medusa leaves received
 * returns out of these totals), plus shipping (`includeShipping`) and the tax of what is counted (`includeTax`).
 * Never negative.
 */
export function keptPointsBase(order: RewardOrder, options: Pick<PointsOptions, "includeShipping" | "includeTax">) {
  let base = itemsNetAmount(order)
  if (options.includeTax) {
    base = base.plus(itemsTaxAmount(order))
  }
  if (options.includeShipping) {
    base = base.plus(shippingNetAmount(order))
    if (options.includeTax) {
      base = base.plus(decimalOr(order.shipping_tax_total))
    }
  }
  return base.lt(0) ? zero() : base
}

/** The points base of the whole order as sold: what was kept plus what came back. */
export function orderPointsBase(order: RewardOrder, options: Pick<PointsOptions, "includeShipping" | "includeTax">) {
  return keptPointsBase(order, options).plus(returnedPointsBase(order, options))
}

/**
 * What points are computed on, unrounded: the points of the items the customer kept and of what they paid for
 * them. The money paid and not refunded goes first to what was kept (its items and shipping, at what Medusa
 * charged for them), then to what came back:
 *
 *   kept base × paid / kept due  +  returned base × (paid - kept due) / returned due   (each share within 0..1)
 *
 * - A bare refund (nothing came back): the kept base is the whole order, so the points follow the share of the
 *   order paid (a refund of half the order takes half the points; a refund of shipping alone, its share).
 * - A return received and its items refunded: what was kept is paid in full and what came back is not: exactly
 *   the returned items' points go.
 * - A return received but not refunded yet: the money still covers both, nothing moves until the money does.
 * - An exchange or a claim: its new lines are kept items, paid by the difference the customer paid.
 */
export function paidPointsBase(
  order: RewardOrder,
  options: Pick<PointsOptions, "includeShipping" | "includeTax" | "reverseOnRefund">
): Decimal {
  const paid = paidAmount(order, options)
  const returnedDue = returnedItemsAmount(order)
  const asked = amountAsked(order)
  const keptDue = asked ? MathBN.max(asked.minus(returnedDue), 0) : null
  const kept = keptPointsBase(order, options).times(shareOf(paid, keptDue))
  const returned = returnedPointsBase(order, options).times(shareOf(paid.minus(keptDue ?? 0), returnedDue))
  return kept.plus(returned)
}

/** {@link paidPointsBase}, rounded to the currency's decimals. */
export function pointsAmount(
  order: RewardOrder,
  options: Pick<PointsOptions, "includeShipping" | "includeTax" | "reverseOnRefund">
): number {
  return roundDecimal(paidPointsBase(order, options), currencyDecimals(order.currency_code)).toNumber() || 0
}

/**
 * The rate for a currency: the number when `pointsPerCurrencyUnit` is one, else the map's entry whose key equals
 * the currency code ignoring case and surrounding spaces. Null when the map has no entry.
 */
export function rateForCurrency(
  pointsPerCurrencyUnit: PointsOptions["pointsPerCurrencyUnit"],
  currencyCode: string | null | undefined
): number | null {
  if (typeof pointsPerCurrencyUnit === "number") {
    return pointsPerCurrencyUnit
  }
  const wanted = (currencyCode ?? "").trim().toLowerCase()
  if (!wanted) {
    return null
  }
  for (const [code, rate] of Object.entries(pointsPerCurrencyUnit ?? {})) {
    if (code.trim().toLowerCase() === wanted && typeof rate === "number" && Number.isFinite(rate)) {
      return rate
    }
  }
  return null
}

/**
 * The points an order earns for the items the customer kept and what they paid for them so far (see
 * {@link paidPointsBase}).
 *
 * 1. rate = `pointsPerCurrencyUnit` (or the map's entry for the currency); none → `no_rate_for_currency`.
 * 2. The whole order's points base below `minimumOrderAmount` → 0 points, `below_minimum` (the order, not the
 *    captured share, is compared, so whether an order qualifies does not depend on how it is captured or
 *    returned).
 * 3. points = `rounding`(rate × amount), computed on exact decimals (rate 0.1 × 30 is 3, not 3.0000000000000004).
 * 4. `computePoints`, when given, replaces that number: it receives the order and `{ amount, currency_code,
 *    points, rate }` and must return a finite non-negative integer, else this throws an INVALID_DATA error.
 *    It is not called for orders without a rate or below the minimum.
 * 0 points → `zero_points`.
 *
 * Later captures and refunds: call again and send the difference with what WoowUp already holds.
 */
export function computeRewardPoints(order: RewardOrder, options: PointsOptions): RewardPoints {
  const currency_code = (order.currency_code ?? "").trim().toLowerCase()
  const decimals = currencyDecimals(currency_code)
  const amount = roundDecimal(paidPointsBase(order, options), decimals).toNumber() || 0
  const order_amount = roundDecimal(orderPointsBase(order, options), decimals).toNumber() || 0
  const result = {
    amount,
    order_amount,
    captured_share: capturedShare(order).toNumber(),
    paid_share: paidShare(order, options).toNumber(),
    currency_code,
  }

  const rate = rateForCurrency(options.pointsPerCurrencyUnit, currency_code)
  if (rate === null) {
    return { ...result, points: 0, reason: "no_rate_for_currency", rate: null }
  }
  if (order_amount < (options.minimumOrderAmount ?? 0)) {
    return { ...result, points: 0, reason: "below_minimum", rate }
  }

  let points = roundToInteger(MathBN.convert(rate).times(MathBN.convert(amount)), options.rounding ?? "floor")
    .toNumber()
  points = points || 0

  if (options.computePoints) {
    const custom: unknown = options.computePoints(order as Record<string, any>, {
      amount,
      currency_code,
      points,
      rate,
    })
    if (typeof custom !== "number" || !Number.isSafeInteger(custom) || custom < 0) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `medusa-plugin-woowup: the computePoints option returned ${describe(custom)} for order ${order.id}; ` +
          `it must return a finite non-negative integer (e.g. wrap it in Math.floor)`
      )
    }
    points = custom || 0
  }

  return { ...result, points, reason: points > 0 ? null : "zero_points", rate }
}

function describe(value: unknown): string {
  if (typeof value === "number") {
    return String(value)
  }
  if (typeof value === "string") {
    return `the string ${JSON.stringify(value.slice(0, 40))}`
  }
  return value === null ? "null" : typeof value
}
