import { model } from "@medusajs/framework/utils"
import { FEED_SYNC_INDEXES, feedSyncColumns } from "./feed-sync-columns"

export const CART_SYNC_TRIGGERS = ["cart_completed", "reconcile", "resync"] as const
export type CartSyncTrigger = (typeof CART_SYNC_TRIGGERS)[number]

/**
 * One row per cart the abandoned-cart feed looked at: what WoowUp was last sent for it (`POST
 * /multiusers/abandoned-cart`) and how the last sync went, claimed as every feed's record is (feed-sync-columns.ts).
 */
const WoowupCartSync = model
  .define("woowup_cart_sync", {
    id: model.id({ prefix: "wucrt" }).primaryKey(),
    cart_id: model.text().unique(),
    /** The email the cart was sent under. */
    identity: model.text().nullable(),
    /** WoowUp was told the cart was recovered (completed after it was sent): never again. */
    recovered: model.boolean().default(false),
    /** The cart's email was unknown to WoowUp: the customer was created from the cart (create-only). */
    customer_created: model.boolean().default(false),
    ...feedSyncColumns(CART_SYNC_TRIGGERS),
  })
  .indexes([...FEED_SYNC_INDEXES])

export default WoowupCartSync
