import { model } from "@medusajs/framework/utils"
import { FEED_SYNC_INDEXES, FEED_SYNC_STATUSES, feedSyncColumns } from "./feed-sync-columns"

export const CUSTOMER_SYNC_STATUSES = FEED_SYNC_STATUSES
export type CustomerSyncStatus = (typeof CUSTOMER_SYNC_STATUSES)[number]

export const CUSTOMER_SYNC_TRIGGERS = ["customer_created", "customer_updated", "reconcile", "resync"] as const
export type CustomerSyncTrigger = (typeof CUSTOMER_SYNC_TRIGGERS)[number]

/**
 * One row per customer with an account: what WoowUp was last sent for them (`POST /users` or `PUT /multiusers`) and
 * how the last sync went, claimed as every feed's record is (feed-sync-columns.ts).
 */
const WoowupCustomerSync = model
  .define("woowup_customer_sync", {
    id: model.id({ prefix: "wucus" }).primaryKey(),
    customer_id: model.text().unique(),
    /** The identity field the customer is known under in WoowUp (email, document, telephone, service_uid) and its value. */
    identifier: model.text().nullable(),
    identity: model.text().nullable(),
    /** The plugin created the customer in WoowUp (rather than updating one WoowUp already had). */
    customer_created: model.boolean().default(false),
    ...feedSyncColumns(CUSTOMER_SYNC_TRIGGERS),
  })
  .indexes(FEED_SYNC_INDEXES)

export default WoowupCustomerSync
