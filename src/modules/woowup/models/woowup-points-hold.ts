import { model } from "@medusajs/framework/utils"

/**
 * `held`: applied to an open cart, counted against the balance until `expires_at`; `spent`: its cart became an order
 * (the debit is that order's, settled by the reward workflow); `released`: taken off the cart; `lapsed`: the cart
 * stayed unpaid past `expires_at`.
 */
export const POINTS_HOLD_STATUSES = ["held", "spent", "released", "lapsed"] as const
export type PointsHoldStatus = (typeof POINTS_HOLD_STATUSES)[number]

/**
 * Points a customer applied to a cart (docs/redeem-points.md). Written, under a lock on the customer, before the
 * store route answers: the customer's carts never hold together more than their WoowUp balance. The discount itself
 * is a single-use Medusa promotion (`promotion_code`) on the cart.
 */
const WoowupPointsHold = model
  .define("woowup_points_hold", {
    id: model.id({ prefix: "wuphold" }).primaryKey(),
    customer_id: model.text(),
    cart_id: model.text(),
    /** The order the cart became (status `spent`). */
    order_id: model.text().nullable(),
    points: model.number(),
    /** What the points pay, in `currency_code`'s main unit. */
    value: model.bigNumber(),
    currency_code: model.text(),
    status: model.enum([...POINTS_HOLD_STATUSES]).default("held"),
    expires_at: model.dateTime(),
    /** The proven identity the points are taken from. */
    identifier: model.text(),
    identity: model.text(),
    /** The WoowUp balance read when the points were applied: the hold was made against it. */
    verified_balance: model.number(),
    promotion_id: model.text().nullable(),
    promotion_code: model.text().nullable(),
    /** The order's payments (`captured|refunded|canceled`) the debit was last settled on. */
    settled_on: model.text().nullable(),
    account: model.text().nullable(),
  })
  .indexes([
    // One live hold per cart.
    { name: "IDX_woowup_points_hold_cart_held", on: ["cart_id"], unique: true, where: "deleted_at IS NULL AND status = 'held'" },
    { on: ["customer_id", "status"] },
    { on: ["order_id"] },
  ])

export default WoowupPointsHold
