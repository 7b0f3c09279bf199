import { model } from "@medusajs/framework/utils"
import { FEED_SYNC_INDEXES, FEED_SYNC_STATUSES, feedSyncColumns } from "./feed-sync-columns"

export const PRODUCT_SYNC_STATUSES = FEED_SYNC_STATUSES
export type ProductSyncStatus = (typeof PRODUCT_SYNC_STATUSES)[number]

export const PRODUCT_SYNC_TRIGGERS = ["product_changed", "reconcile", "resync"] as const
export type ProductSyncTrigger = (typeof PRODUCT_SYNC_TRIGGERS)[number]

/**
 * One row per product variant the catalog feed has looked at: what WoowUp was last sent for it (one WoowUp product
 * per variant, under the SKU its purchases carry) and how the last sync went, claimed as every feed's record is
 * (feed-sync-columns.ts).
 */
const WoowupProductSync = model
  .define("woowup_product_sync", {
    id: model.id({ prefix: "wuprd" }).primaryKey(),
    variant_id: model.text().unique(),
    /** The variant's product, kept so a deleted product's variants can still be found. */
    product_id: model.text().nullable(),
    /** The WoowUp SKU the product was last sent under (the purchases' encoding of the variant's SKU). */
    sku: model.text().nullable(),
    /** Whether WoowUp was last told the product is available. */
    available: model.boolean().nullable(),
    ...feedSyncColumns(PRODUCT_SYNC_TRIGGERS),
  })
  .indexes([...FEED_SYNC_INDEXES, { on: ["product_id" as const] }])

export default WoowupProductSync
