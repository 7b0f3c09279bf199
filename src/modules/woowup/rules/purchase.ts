import { MathBN } from "@medusajs/framework/utils"
import type { WoowupOptions } from "../options"
import {
  type WoowupCustomer,
  type WoowupIdentity,
  type WoowupIdentityFields,
  type IdentityOptions,
  identityFields,
  pickIdentity,
  text,
  toWoowupCustomer,
  truncate,
} from "./identity"
import { type Decimal, currencyDecimals, decimalOr, roundDecimal, sumDecimals, toDecimal, zero } from "./money"
import type { DateValue, RewardOrder, RewardOrderItem } from "./order-fields"
import {
  type PointsOptions,
  type PointsReason,
  capturedAmount,
  capturedShare,
  computeRewardPoints,
  itemsNetAmount,
  itemsTaxAmount,
  paidShare,
  paymentCapturedAmount,
  pointsAmount,
  shippingNetAmount,
} from "./points"
import { identityChange, type SentPurchase } from "./sent-purchase"
import { toWoowupSku } from "./sku"

export const WOOWUP_PAYMENT_TYPES = ["credit", "debit", "mercadopago", "todopago", "cash", "other"] as const
export type WoowupPaymentType = (typeof WOOWUP_PAYMENT_TYPES)[number]

export type WoowupVariation = { name: string; value: string }

export type WoowupPurchaseItem = {
  sku: string
  product_name?: string
  quantity: number
  unit_price: number
  variations?: WoowupVariation[]
}

export type WoowupPrices = {
  gross: number
  discount: number
  shipping: number
  tax: number
  total: number
}

export type WoowupPurchasePayment = { type: WoowupPaymentType; total: number }

/** The `POST /purchases` body. */
export type WoowupPurchase = WoowupIdentityFields & {
  invoice_number: string
  purchase_detail: WoowupPurchaseItem[]
  prices: WoowupPrices
  channel: "web"
  branch_name: string
  createtime?: string
  approvedtime?: string
  payment?: WoowupPurchasePayment[]
  points?: number
}

/** WoowUp refuses bodies over 256 KB. */
export const WOOWUP_MAX_PURCHASE_BYTES = 256 * 1024
/** What the purchase body is kept under: well below WoowUp's limit. */
export const PURCHASE_BYTES_BUDGET = 192 * 1024
export const MAX_PRODUCT_NAME = 255
export const MAX_VARIATIONS = 20
export const MAX_VARIATION_TEXT = 100

export type PurchaseOptions = Pick<WoowupOptions, "invoicePrefix" | "branchName" | "sendPoints">

/** The purchase's `invoice_number`: `${invoicePrefix}${order.id}`. A pure function of the order, forever. */
export function invoiceNumber(order: Pick<RewardOrder, "id">, options: Pick<WoowupOptions, "invoicePrefix">): string {
  return `${options.invoicePrefix ?? ""}${order.id}`
}

/**
 * A date as WoowUp takes it: ISO 8601 in UTC with an explicit offset and no fraction,
 * `2026-11-25T15:19:21+00:00`. Null for a missing or invalid date.
 */
export function formatWoowupDate(value: DateValue): string | null {
  if (value === null || value === undefined || value === "") {
    return null
  }
  const date = value instanceof Date ? value : new Date(value)
  const time = date.getTime()
  if (!Number.isFinite(time)) {
    return null
  }
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, "+00:00")
}

function dateTime(value: DateValue): number | null {
  if (value === null || value === undefined || value === "") {
    return null
  }
  const time = (value instanceof Date ? value : new Date(value)).getTime()
  return Number.isFinite(time) ? time : null
}

function livePayments(order: RewardOrder) {
  return (order.payment_collections ?? [])
    .flatMap((c) => c?.payments ?? [])
    .filter((p): p is NonNullable<typeof p> => !!p)
}

/** When the order was first captured: its earliest capture, else the earliest payment `captured_at`. */
export function firstCaptureTime(order: RewardOrder): string | null {
  let first: number | null = null
  const consider = (value: DateValue) => {
    const t = dateTime(value)
    if (t !== null && (first === null || t < first)) {
      first = t
    }
  }
  const payments = livePayments(order)
  for (const payment of payments) {
    for (const capture of payment.captures ?? []) {
      consider(capture?.created_at)
    }
  }
  if (first === null) {
    payments.forEach((p) => consider(p.captured_at))
  }
  return first === null ? null : formatWoowupDate(new Date(first))
}

/**
 * WoowUp's payment type for a Medusa payment provider id (`pp_{provider}_{id}`), by its words:
 * mercadopago → `mercadopago`; todopago → `todopago`; Stripe's card provider (`pp_stripe_*`) → `credit`
 * (Stripe's other methods, `pp_stripe-ideal_*`, `pp_stripe-blik_*`..., are not cards: `other`); a word
 * `credit` → `credit`, `debit` → `debit`; `cash`, `cod`, `efectivo`, `contraentrega` → `cash`; anything else,
 * `pp_system_default` included, → `other`.
 */
export function woowupPaymentType(providerId: string | null | undefined): WoowupPaymentType {
  const id = (providerId ?? "").trim().toLowerCase()
  if (!id) {
    return "other"
  }
  const compact = id.replace(/[^a-z0-9]/g, "")
  if (compact.includes("mercadopago")) {
    return "mercadopago"
  }
  if (compact.includes("todopago")) {
    return "todopago"
  }
  if (id.startsWith("pp_stripe_")) {
    return "credit"
  }
  const words = id.split(/[^a-z0-9]+/).filter(Boolean)
  const has = (...candidates: string[]) => candidates.some((c) => words.includes(c))
  if (has("credit", "creditcard", "credito")) {
    return "credit"
  }
  if (has("debit", "debitcard", "debito")) {
    return "debit"
  }
  if (has("cash", "cod", "efectivo", "contraentrega") || compact.includes("cashondelivery")) {
    return "cash"
  }
  return "other"
}

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

/** `payment[]`: one entry per payment with something captured, with its WoowUp type and captured total. */
export function toWoowupPayments(order: RewardOrder): WoowupPurchasePayment[] {
  const decimals = currencyDecimals(order.currency_code)
  const out: WoowupPurchasePayment[] = []
  for (const payment of livePayments(order)) {
    const captured = paymentCapturedAmount(payment)
    if (captured.gt(0)) {
      out.push({ type: woowupPaymentType(payment.provider_id), total: roundDecimal(captured, decimals).toNumber() })
    }
  }
  return out
}

export function purchaseBytes(purchase: WoowupPurchase): number {
  return Buffer.byteLength(JSON.stringify(purchase), "utf8")
}

/**
 * Keeps a purchase under {@link PURCHASE_BYTES_BUDGET} (WoowUp refuses more than 256 KB), in steps that lose the
 * least first: drop every item's variations; then cut product names to 60 characters; then keep only the
 * first lines that fit (`prices` still carry the whole order). A normal order is never touched: it takes an
 * order of about a thousand lines to reach the first step.
 */
export function fitPurchase(purchase: WoowupPurchase, budget = PURCHASE_BYTES_BUDGET): WoowupPurchase {
  if (purchaseBytes(purchase) <= budget) {
    return purchase
  }
  let detail = purchase.purchase_detail.map(({ variations: _variations, ...item }) => item)
  let fitted: WoowupPurchase = { ...purchase, purchase_detail: detail }
  if (purchaseBytes(fitted) <= budget) {
    return fitted
  }
  detail = detail.map((item) => (item.product_name ? { ...item, product_name: truncate(item.product_name, 60) } : item))
  fitted = { ...purchase, purchase_detail: detail }
  if (purchaseBytes(fitted) <= budget) {
    return fitted
  }
  // Binary search on how many lines fit.
  let lo = 0
  let hi = detail.length
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (purchaseBytes({ ...purchase, purchase_detail: detail.slice(0, mid) }) <= budget) {
      lo = mid
    } else {
      hi = mid - 1
    }
  }
  return { ...purchase, purchase_detail: detail.slice(0, lo) }
}

/**
 * The `POST /purchases` body of an order: identity, `invoice_number`, `purchase_detail`, `prices`,
 * `channel: "web"`, `branch_name`, `createtime` (order creation), `approvedtime` (first capture), `payment`,
 * and `points` only when `sendPoints` is true and `points` is given. Kept under WoowUp's size limit by
 * {@link fitPurchase}.
 */
export function toWoowupPurchase(
  order: RewardOrder,
  input: {
    identity: WoowupIdentity
    points?: number | null
    options: PurchaseOptions
    /** The invoice number of an earlier send (see {@link SentPurchase}); else the order's own. */
    invoice_number?: string
  }
): WoowupPurchase {
  const { identity, points, options } = input
  const purchase: WoowupPurchase = {
    ...identityFields(identity),
    invoice_number: input.invoice_number ?? invoiceNumber(order, options),
    purchase_detail: toPurchaseDetail(order),
    prices: toWoowupPrices(order),
    channel: "web",
    branch_name: options.branchName ?? "Medusa",
  }
  const createtime = formatWoowupDate(order.created_at)
  if (createtime) {
    purchase.createtime = createtime
  }
  const approvedtime = firstCaptureTime(order)
  if (approvedtime) {
    purchase.approvedtime = approvedtime
  }
  const payment = toWoowupPayments(order)
  if (payment.length) {
    purchase.payment = payment
  }
  if (options.sendPoints !== false && typeof points === "number") {
    purchase.points = points
  }
  return fitPurchase(purchase)
}

export type RewardOptions = PointsOptions &
  IdentityOptions &
  PurchaseOptions &
  Pick<WoowupOptions, "sendZeroPointPurchases" | "reverseOnCancel">

export type RewardSkipReason =
  | "order_canceled"
  | "nothing_captured"
  | "refunded"
  | "no_identity"
  | "no_rate_for_currency"
  | "below_minimum"
  | "zero_points"

export type RewardSkip = {
  action: "skip"
  reason: RewardSkipReason
  invoice_number: string
  identity: WoowupIdentity | null
  /** The points amount (paid share), for the record. */
  amount: number
  currency_code: string
  /**
   * The points WoowUp should hold for the order now: 0 when the order was canceled, refunded, or earns nothing
   * (a purchase sent earlier is then taken back to 0); null when the rules cannot say (no identity, no rate) and
   * nothing sent earlier must be touched.
   */
  target_points: number | null
  /** The order's own identity when it is not the one its purchase was sent under (see `identityChange`). */
  current_identity: WoowupIdentity | null
}

export type RewardSend = {
  action: "send"
  identity: WoowupIdentity
  /** Points sent with the purchase; null when `sendPoints` is false (WoowUp's own rules award them). */
  points: number | null
  /** Why `points` is 0 when it is sent anyway (`sendZeroPointPurchases`); null otherwise. */
  points_reason: PointsReason | null
  /** What points were computed on (captured share, after the include* options), in the currency's decimals. */
  amount: number
  currency_code: string
  /** Whether the whole order was captured: then no later capture can add points. */
  fully_captured: boolean
  /** The points WoowUp should hold for the order (`points`): later captures and refunds move it. */
  target_points: number | null
  invoice_number: string
  purchase: WoowupPurchase
  /** The `POST /users` body, for when WoowUp answers `user_not_found`. */
  customer: WoowupCustomer
  /** The order's own identity when it is not the one its purchase was sent under (see `identityChange`). */
  current_identity: WoowupIdentity | null
}

export type RewardDecision = RewardSkip | RewardSend

/**
 * Whether and what to send to WoowUp for an order as it is now, in this order of checks:
 * 1. `order_canceled`: a canceled order earns nothing (its payment is refunded by the cancel).
 * 2. `nothing_captured`: no captured amount.
 * 3. `no_identity`: see `pickIdentity`.
 * 4. `refunded`: everything captured was refunded (unless `sendZeroPointPurchases`).
 * 5. When `sendPoints` is true, the points rules (`computeRewardPoints`, on the items kept and what was paid
 *    for them): `no_rate_for_currency`, `below_minimum` and `zero_points` skip the order, unless
 *    `sendZeroPointPurchases`, which sends it with 0 points (and says why in `points_reason`).
 *    When `sendPoints` is false the plugin's points rules do not apply: the purchase goes without `points`, and
 *    nothing is ever taken back (WoowUp's own rules award).
 * `target_points` says what WoowUp should hold, also for a skip (see {@link RewardSkip}).
 * Once the purchase was sent (`sent`), its identity and invoice number are the ones it was sent under, whatever the
 * order says now (see {@link SentPurchase}); the order's own identity, when different, is in `current_identity`.
 */
export function decideReward(order: RewardOrder, options: RewardOptions, sent?: SentPurchase | null): RewardDecision {
  const invoice_number = sent?.invoice_number ?? invoiceNumber(order, options)
  const currency_code = (order.currency_code ?? "").trim().toLowerCase()
  const own = pickIdentity(order, options)
  const identity = sent?.identity ?? own
  const current_identity = identityChange(sent ?? null, own)
  const sendPoints = options.sendPoints !== false
  const skip = (reason: RewardSkipReason, amount: number, takesBack = true): RewardSkip => ({
    action: "skip",
    reason,
    invoice_number,
    identity,
    amount,
    currency_code,
    target_points: sendPoints && takesBack ? 0 : null,
    current_identity,
  })

  if (order.canceled_at || order.status === "canceled") {
    return skip("order_canceled", 0, options.reverseOnCancel !== false)
  }
  if (!capturedAmount(order).gt(0)) {
    return skip("nothing_captured", 0)
  }
  const amount = pointsAmount(order, options)
  if (!identity) {
    return skip("no_identity", amount, false)
  }
  if (!paidShare(order, options).gt(0) && !options.sendZeroPointPurchases) {
    return skip("refunded", 0)
  }

  let points: number | null = null
  let points_reason: PointsReason | null = null
  if (sendPoints) {
    const reward = computeRewardPoints(order, options)
    if (reward.reason && !options.sendZeroPointPurchases) {
      return skip(reward.reason, amount, reward.reason !== "no_rate_for_currency")
    }
    points = reward.points
    points_reason = reward.reason
  }

  return {
    action: "send",
    identity,
    points,
    points_reason,
    amount,
    currency_code,
    fully_captured: capturedShare(order).gte(1),
    target_points: points,
    invoice_number,
    purchase: toWoowupPurchase(order, { identity, points, options, invoice_number }),
    customer: toWoowupCustomer(order, identity, options),
    current_identity,
  }
}
