import { model } from "@medusajs/framework/utils"

export const ADJUSTMENT_STATUSES = ["pending", "applied", "failed"] as const
export type AdjustmentStatus = (typeof ADJUSTMENT_STATUSES)[number]

/** What the adjustment is for: the points a capture after the purchase earns. */
export const ADJUSTMENT_CAUSES = ["capture"] as const
export type AdjustmentCause = (typeof ADJUSTMENT_CAUSES)[number]

/**
 * One change to a customer's WoowUp points made after the purchase (`POST /multiusers/points`), e.g. the points a
 * later partial capture earns. WoowUp de-duplicates none of these, so the intent is written here before the call,
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
    attempts: model.number().default(0),
    last_attempt_at: model.dateTime().nullable(),
    applied_at: model.dateTime().nullable(),
  })
  .indexes([
    { on: ["order_id", "token"], unique: true },
    { on: ["status"] },
  ])

export default WoowupPointsAdjustment
