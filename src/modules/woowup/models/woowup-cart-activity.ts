import { model } from "@medusajs/framework/utils"

/**
 * One row per cart the store's events told of while the abandoned-cart feed was on: when it last changed, when it
 * was completed, and which of those its last sync took. The job finds abandoned carts here, on the partial indexes
 * below, never by scanning Medusa's cart table. Written by one statement per event (records/cart-activity.ts).
 */
const WoowupCartActivity = model
  .define("woowup_cart_activity", {
    id: model.id({ prefix: "wucact" }).primaryKey(),
    cart_id: model.text().unique(),
    /** The last cart event: created, email or customer set, items added, changed or removed. */
    changed_at: model.dateTime(),
    /** When an order was placed from the cart. */
    completed_at: model.dateTime().nullable(),
    /**
     * The change (or completion) the cart's last sync took: a cart changed or completed after it is looked at again,
     * one taken as it is is not.
     */
    taken_at: model.dateTime().nullable(),
  })
  .indexes([
    // The job's page of carts that may be abandoned: open, and changed since their last sync.
    {
      name: "IDX_woowup_cart_activity_open_changed_at",
      on: ["changed_at", "cart_id"],
      where: "deleted_at IS NULL AND completed_at IS NULL AND (taken_at IS NULL OR changed_at > taken_at)",
    },
    // Completed carts whose completion no sync has looked at yet (a sent cart is then told recovered).
    {
      name: "IDX_woowup_cart_activity_completed_untaken",
      on: ["completed_at", "cart_id"],
      where: "deleted_at IS NULL AND completed_at IS NOT NULL AND (taken_at IS NULL OR completed_at > taken_at)",
    },
  ])

export default WoowupCartActivity
