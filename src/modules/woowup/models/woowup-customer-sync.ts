import { model } from "@medusajs/framework/utils"

export const CUSTOMER_SYNC_STATUSES = ["pending", "synced", "skipped", "failed"] as const
export type CustomerSyncStatus = (typeof CUSTOMER_SYNC_STATUSES)[number]

export const CUSTOMER_SYNC_TRIGGERS = ["customer_created", "customer_updated", "reconcile", "resync"] as const
export type CustomerSyncTrigger = (typeof CUSTOMER_SYNC_TRIGGERS)[number]

/**
 * One row per customer with an account: what WoowUp was last sent for them (`POST /users` or `PUT /multiusers`) and
 * how the last sync went. Claimed atomically like a reward (`attempts` is the claim's token), so one sync runs at a
 * time per customer; an update that lands during a sync marks the row `dirty` and the owner syncs once more.
 */
const WoowupCustomerSync = model
  .define("woowup_customer_sync", {
    id: model.id({ prefix: "wucus" }).primaryKey(),
    customer_id: model.text().unique(),
    status: model.enum([...CUSTOMER_SYNC_STATUSES]).default("pending"),
    trigger: model.enum([...CUSTOMER_SYNC_TRIGGERS]),
    /** Why it was skipped or failed, in words (never a secret). */
    reason: model.text().nullable(),
    /** WoowUp's error code (or ours: timeout, network_error...) of the last failure. */
    error_code: model.text().nullable(),
    /** Whether the last failure is worth retrying: the reconcile job takes it again at `next_attempt_at`. */
    retryable: model.boolean().default(false),
    /** The identity field the customer is known under in WoowUp (email, document, telephone, service_uid) and its value. */
    identifier: model.text().nullable(),
    identity: model.text().nullable(),
    /** SHA-256 of the last body WoowUp accepted: a sync of the same data costs no call. */
    body_hash: model.text().nullable(),
    /** The plugin created the customer in WoowUp (rather than updating one WoowUp already had). */
    customer_created: model.boolean().default(false),
    /** The customer changed while a sync was running: its owner syncs once more (or the job does). */
    dirty: model.boolean().default(false),
    /** Also the claim's token: each claim adds one, and only the claim's owner may write its outcome. */
    attempts: model.number().default(0),
    /** Failed attempts in a row, for the spacing of retries and `reconcile.maxAttempts`; 0 after a success. */
    failed_attempts: model.number().default(0),
    last_attempt_at: model.dateTime().nullable(),
    /** A pending claim's owner writes this while it works; a claim whose heartbeat stopped belongs to a dead process. */
    heartbeat_at: model.dateTime().nullable(),
    /** A retryable failure is not taken again before this (spaced retries). */
    next_attempt_at: model.dateTime().nullable(),
    /** When WoowUp last accepted the customer's data. */
    synced_at: model.dateTime().nullable(),
    /**
     * The WoowUp account that accepted it (see account.ts; NULL: before the plugin kept it, taken as this one's).
     * Another account's `body_hash` says nothing of this one: the next sync sends.
     */
    account: model.text().nullable(),
  })
  .indexes([{ on: ["status"] }, { on: ["status", "next_attempt_at"] }])

export default WoowupCustomerSync
