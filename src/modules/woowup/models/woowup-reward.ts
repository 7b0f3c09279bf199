import { model } from "@medusajs/framework/utils"

export const REWARD_STATUSES = ["pending", "synced", "skipped", "failed"] as const
export type RewardStatus = (typeof REWARD_STATUSES)[number]

export const REWARD_TRIGGERS = ["payment_captured", "order_placed", "payment_refunded", "order_canceled", "reconcile", "resync", "import"] as const
export type RewardTrigger = (typeof REWARD_TRIGGERS)[number]

/**
 * One row per order: what was (or will be) sent to WoowUp for it, and how that went.
 * Everything an admin needs to understand an order's reward without reading logs.
 */
const WoowupReward = model
  .define("woowup_reward", {
    id: model.id({ prefix: "wurew" }).primaryKey(),
    order_id: model.text().unique(),
    status: model.enum([...REWARD_STATUSES]).default("pending"),
    /** Why it was skipped or failed, in words (never a secret). */
    reason: model.text().nullable(),
    /** WoowUp's error code (or ours: timeout, network_error...) of the last failure. */
    error_code: model.text().nullable(),
    /** Whether the last failure is worth retrying: a later run for the order takes it again. */
    retryable: model.boolean().default(false),
    trigger: model.enum([...REWARD_TRIGGERS]),
    invoice_number: model.text().nullable(),
    /** The identity field the customer was matched on (email, document, telephone, service_uid) and its value. */
    identifier: model.text().nullable(),
    identity: model.text().nullable(),
    /**
     * The order's own identity (field and value) when it is no longer the one the purchase was sent under, e.g. an
     * admin corrected the order's email after the first send. The purchase and its points stay with `identity`:
     * moving them is an admin's decision.
     */
    current_identifier: model.text().nullable(),
    current_identity: model.text().nullable(),
    customer_created: model.boolean().default(false),
    /** Points sent with the purchase (null when WoowUp's own rules award them). */
    points: model.number().nullable(),
    /** The amount points were computed on, and its currency. */
    amount: model.bigNumber().nullable(),
    currency_code: model.text().nullable(),
    /** Also the claim's token: each claim adds one, and only the claim's owner may write its outcome. */
    attempts: model.number().default(0),
    last_attempt_at: model.dateTime().nullable(),
    /** A pending claim's owner writes this while it works; a claim whose heartbeat stopped belongs to a dead process. */
    heartbeat_at: model.dateTime().nullable(),
    /** A retryable failure is not taken again by the job before this (spaced retries). */
    next_attempt_at: model.dateTime().nullable(),
    synced_at: model.dateTime().nullable(),
    /** WoowUp answered "already there" but its points for the purchase could not be read: found out before a top-up. */
    points_unknown: model.boolean().default(false),
    /** The order as it was when WoowUp last matched it (captured, refunded, canceled): the job compares them. */
    captured_amount: model.bigNumber().nullable(),
    refunded_amount: model.bigNumber().nullable(),
    canceled: model.boolean().default(false),
    /**
     * The WoowUp account the record was written for (see account.ts; never the key). NULL: written before the
     * plugin kept it, taken as this account's. A record of another account is left alone but by an admin's resync.
     */
    account: model.text().nullable(),
    /**
     * Sent by an import without points (history): WoowUp holds the purchase with 0 points, and nothing is ever
     * taken back for it, since nothing was given.
     */
    historical: model.boolean().default(false),
  })
  .indexes([
    { on: ["status"] },
    { on: ["status", "next_attempt_at"] },
    // The job finds the work it knows about here, whatever the order's age: the few records not at rest.
    {
      name: "IDX_woowup_reward_work",
      on: ["order_id"],
      where: "deleted_at IS NULL AND (status IN ('pending', 'failed') OR points_unknown)",
    },
    { name: "IDX_woowup_reward_account", on: ["account"], where: "deleted_at IS NULL AND account IS NOT NULL" },
  ])

export default WoowupReward
