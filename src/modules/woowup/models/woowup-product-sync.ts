import { model } from "@medusajs/framework/utils"

export const PRODUCT_SYNC_STATUSES = ["pending", "synced", "skipped", "failed"] as const
export type ProductSyncStatus = (typeof PRODUCT_SYNC_STATUSES)[number]

export const PRODUCT_SYNC_TRIGGERS = ["product_changed", "reconcile", "resync"] as const
export type ProductSyncTrigger = (typeof PRODUCT_SYNC_TRIGGERS)[number]

/**
 * One row per product variant the catalog feed has looked at: what WoowUp was last sent for it (one WoowUp product
 * per variant, under the SKU its purchases carry) and how the last sync went. Claimed like every feed's record
 * (see engine/feed-records.ts): one sync at a time per variant, and a change during a sync marks it `dirty`.
 */
const WoowupProductSync = model
  .define("woowup_product_sync", {
    id: model.id({ prefix: "wuprd" }).primaryKey(),
    variant_id: model.text().unique(),
    /** The variant's product, kept so a deleted product's variants can still be found. */
    product_id: model.text().nullable(),
    status: model.enum([...PRODUCT_SYNC_STATUSES]).default("pending"),
    trigger: model.enum([...PRODUCT_SYNC_TRIGGERS]),
    /** Why it was skipped or failed, in words (never a secret). */
    reason: model.text().nullable(),
    error_code: model.text().nullable(),
    retryable: model.boolean().default(false),
    /** The WoowUp SKU the product was last sent under (the purchases' encoding of the variant's SKU). */
    sku: model.text().nullable(),
    /** Whether WoowUp was last told the product is available. */
    available: model.boolean().nullable(),
    /** SHA-256 of the last body WoowUp accepted: an unchanged variant costs no call. */
    body_hash: model.text().nullable(),
    /** The variant changed while a sync was running: its owner syncs once more (or the job does). */
    dirty: model.boolean().default(false),
    /** Also the claim's token: each claim adds one, and only the claim's owner may write its outcome. */
    attempts: model.number().default(0),
    /** Failed attempts in a row, for the spacing of retries and `reconcile.maxAttempts`; 0 after a success. */
    failed_attempts: model.number().default(0),
    last_attempt_at: model.dateTime().nullable(),
    heartbeat_at: model.dateTime().nullable(),
    next_attempt_at: model.dateTime().nullable(),
    /** When WoowUp last accepted the variant's data. */
    synced_at: model.dateTime().nullable(),
    /** The WoowUp account that accepted it (see account.ts). */
    account: model.text().nullable(),
  })
  .indexes([{ on: ["status"] }, { on: ["status", "next_attempt_at"] }, { on: ["product_id"] }])

export default WoowupProductSync
