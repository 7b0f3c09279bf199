import type { WoowupOptions } from "../options"
import { type WoowupChannel, resolveBranch } from "./branch"
import { type WoowupIdentity, type WoowupIdentityFields, identityFields, truncate } from "./identity"
import type { RewardOrder } from "./order-fields"
import { firstCaptureTime, formatWoowupDate } from "./purchase-dates"
import { type WoowupPurchaseItem, toPurchaseDetail } from "./purchase-items"
import { type WoowupPurchasePayment, toWoowupPayments } from "./purchase-payments"
import { type WoowupPrices, toWoowupPrices } from "./purchase-prices"

/** The `POST /purchases` body. */
export type WoowupPurchase = WoowupIdentityFields & {
  invoice_number: string
  purchase_detail: WoowupPurchaseItem[]
  prices: WoowupPrices
  channel: WoowupChannel
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

export type PurchaseOptions = Pick<WoowupOptions, "invoicePrefix" | "branchName" | "sendPoints">

/** The purchase's `invoice_number`: `${invoicePrefix}${order.id}`. A pure function of the order, forever. */
export function invoiceNumber(order: Pick<RewardOrder, "id">, options: Pick<WoowupOptions, "invoicePrefix">): string {
  return `${options.invoicePrefix ?? ""}${order.id}`
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
 * `channel` and `branch_name` (from the order's sales channel: {@link resolveBranch}), `createtime` (order creation), `approvedtime` (first capture), `payment`,
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
  const branch = resolveBranch(order, options)
  const purchase: WoowupPurchase = {
    ...identityFields(identity),
    invoice_number: input.invoice_number ?? invoiceNumber(order, options),
    purchase_detail: toPurchaseDetail(order),
    prices: toWoowupPrices(order),
    channel: branch.channel,
    branch_name: branch.branch_name,
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
