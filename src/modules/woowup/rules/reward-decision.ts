import type { WoowupOptions } from "../options"
import { type IdentityOptions, type WoowupCustomer, type WoowupIdentity, pickIdentity, toWoowupCustomer } from "./identity"
import type { RewardOrder } from "./order-fields"
import {
  type PointsOptions,
  type PointsReason,
  capturedAmount,
  capturedShare,
  computeRewardPoints,
  paidShare,
  pointsAmount,
} from "./points"
import { type PurchaseOptions, type WoowupPurchase, invoiceNumber, toWoowupPurchase } from "./purchase"
import { identityChange, type SentPurchase } from "./sent-purchase"

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
  /** History sent without points (an import's choice): 0 points now and ever, nothing to take back. */
  historical: boolean
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
 * `historical` (an import without points, or a purchase once sent so): the points rules do not apply; the purchase
 * goes with 0 points and WoowUp should hold 0 for it, whatever happens to the order later.
 */
export function decideReward(
  order: RewardOrder,
  options: RewardOptions,
  sent?: SentPurchase | null,
  historical = false
): RewardDecision {
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

  let points: number | null = historical && sendPoints ? 0 : null
  let points_reason: PointsReason | null = null
  if (sendPoints && !historical) {
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
    historical,
  }
}
