import { model } from "@medusajs/framework/utils"

export const FEED_SYNC_STATUSES = ["pending", "synced", "skipped", "failed"] as const

/**
 * The columns every feed's sync record has (customers, product variants...), which the engine claims and writes
 * the same way (engine/feed-records.ts). A feed's model adds its entity column and its own outcome columns.
 */
export function feedSyncColumns<T extends string>(triggers: readonly T[]) {
  return {
    status: model.enum([...FEED_SYNC_STATUSES]).default("pending"),
    /** What started the last sync. */
    trigger: model.enum([...triggers]),
    /** Why it was skipped or failed, in words (never a secret). */
    reason: model.text().nullable(),
    /** WoowUp's error code (or ours: timeout, network_error...) of the last failure. */
    error_code: model.text().nullable(),
    /** Whether the last failure is worth retrying: the reconcile job takes it again at `next_attempt_at`. */
    retryable: model.boolean().default(false),
    /** SHA-256 of the last body WoowUp accepted: a sync of the same data costs no call. */
    body_hash: model.text().nullable(),
    /** The entity changed while a sync was running: its owner syncs once more (or the job does). */
    dirty: model.boolean().default(false),
    /** Also the claim's token: each claim adds one, and only the claim's owner may write its outcome. */
    attempts: model.number().default(0),
    /** Failed attempts in a row, for the spacing of retries and `reconcile.maxAttempts`; 0 after a success. */
    failed_attempts: model.number().default(0),
    /** When the last sync claimed the record (and so read the entity). */
    last_attempt_at: model.dateTime().nullable(),
    /** A pending claim's owner writes this while it works; a claim whose heartbeat stopped belongs to a dead process. */
    heartbeat_at: model.dateTime().nullable(),
    /** A retryable failure is not taken again before this (spaced retries). */
    next_attempt_at: model.dateTime().nullable(),
    /** When WoowUp last accepted the entity's data. */
    synced_at: model.dateTime().nullable(),
    /**
     * The WoowUp account that accepted it (see account.ts; NULL: before the plugin kept it, taken as this one's).
     * Another account's `body_hash` says nothing of this one: the next sync sends.
     */
    account: model.text().nullable(),
  }
}

/** The indexes the engine's searches use (due failures, counts per status). */
export const FEED_SYNC_INDEXES = [{ on: ["status" as const] }, { on: ["status" as const, "next_attempt_at" as const] }]
