import { model } from "@medusajs/framework/utils"

export const ADJUSTMENT_STATUSES = ["pending", "applied", "failed"] as const
export type AdjustmentStatus = (typeof ADJUSTMENT_STATUSES)[number]

/**
 * What the adjustment is for: points a capture after the purchase earns, or points a refund or the order's
 * cancelation takes back; `redeem` takes the points spent on the order (docs/redeem-points.md), `redeem_return`
 * gives them back after a refund or a cancelation.
 */
export const ADJUSTMENT_CAUSES = ["capture", "refund", "cancel", "redeem", "redeem_return"] as const
export type AdjustmentCause = (typeof ADJUSTMENT_CAUSES)[number]

/**
 * One change to a customer's WoowUp points made after the purchase (`POST /multiusers/points`), e.g. the points a
 * later partial capture earns. `redeem` takes the points a customer spent on the order (docs/redeem-points.md);
 * `redeem_return` gives them back after a refund or a cancelation. WoowUp de-duplicates none of these, so the intent is written here before the call,
 * and its `token` (unique per order and cause) goes into the call's description: when an outcome is unknown, the
 * customer's WoowUp transactions say whether it was applied.
 */
const WoowupPointsAdjustment = model
  .define("woowup_points_adjustment", {
    id: model.id({ prefix: "wupadj" }).primaryKey(),
    order_id: model.text(),
    cause: model.enum([...ADJUSTMENT_CAUSES]),
    token: model.text(),
    /** Positive adds points, negative takes them back. */
    points: model.number(),
    status: model.enum([...ADJUSTMENT_STATUSES]).default("pending"),
    identifier: model.text(),
    identity: model.text(),
    description: model.text(),
    reason: model.text().nullable(),
    error_code: model.text().nullable(),
    /** Also the claim's token: each claim adds one, and only the claim's owner may write. */
    attempts: model.number().default(0),
    last_attempt_at: model.dateTime().nullable(),
    /** The claim's owner writes this while it works; a claim whose heartbeat stopped belongs to a dead process. */
    heartbeat_at: model.dateTime().nullable(),
    /**
     * Set just before the first call to WoowUp: from then on the points may be in WoowUp whatever the answer, so
     * the adjustment is only sent again once a search of the customer's transactions says it is not there.
     */
    sent_at: model.dateTime().nullable(),
    /** A call that failed in a way worth retrying is not tried again before this. */
    next_attempt_at: model.dateTime().nullable(),
    applied_at: model.dateTime().nullable(),
    /** The WoowUp account it was written for (see the reward's `account`): another account's never counts here. */
    account: model.text().nullable(),
  })
  .indexes([
    { on: ["order_id", "token"], unique: true },
    { on: ["status"] },
    // The job finds pending adjustments here, whatever the order's age.
    { name: "IDX_woowup_points_adjustment_pending", on: ["order_id"], where: "deleted_at IS NULL AND status = 'pending'" },
  ])

export default WoowupPointsAdjustment
