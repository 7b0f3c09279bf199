import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import type { InferTypeOf } from "@medusajs/framework/types"
import { generateEntityId } from "@medusajs/framework/utils"
import { attemptDueSql, deadClaimSql, OWN_CLAIM_SQL, staleSql } from "../claim-sql"
import type WoowupCustomerSync from "../models/woowup-customer-sync"
import type { CustomerSyncTrigger } from "../models/woowup-customer-sync"
import { planRetry } from "../rules"

/** Customer syncs: one record per customer with an account (see models/woowup-customer-sync.ts). */

export type CustomerSyncRecord = InferTypeOf<typeof WoowupCustomerSync>
/** A claimed customer sync: its id, `attempts` as the claim's token, and the failures in a row before it. */
export type CustomerSyncClaim = Pick<CustomerSyncRecord, "id" | "attempts" | "failed_attempts">

/** What came of syncing one customer with WoowUp. */
export type CustomerSyncOutcome =
  /** WoowUp holds `body_hash`'s data under `identity`; `sent`: a call was made (else it already had it). */
  | { status: "synced"; identity: { field: string; value: string }; body_hash: string; sent: boolean; created: boolean }
  | { status: "skipped"; reason: string }
  | { status: "failed"; reason: string; error_code: string; retryable: boolean }

/**
 * Takes the customer's sync, atomically: creates its record, or takes one that is synced or skipped (the
 * customer changed since), failed for good (the cause may be fixed now), failed with a retryable error whose
 * next attempt is due (any failure with `force`), or pending with a dead owner. Returns null when a live sync
 * holds it, or a retryable failure is not due yet: then {@link markCustomerSyncDirty}.
 */
export async function claimCustomerSync(
  manager: SqlEntityManager,
  input: { customer_id: string; trigger: CustomerSyncTrigger; force?: boolean }
): Promise<CustomerSyncRecord | null> {
  const rows: CustomerSyncRecord[] = await manager.execute(
    `INSERT INTO woowup_customer_sync AS s
       (id, customer_id, status, trigger, attempts, last_attempt_at, heartbeat_at, created_at, updated_at)
     VALUES (?, ?, 'pending', ?, 1, now(), now(), now(), now())
     ON CONFLICT (customer_id) WHERE deleted_at IS NULL DO UPDATE SET
       status = 'pending', trigger = EXCLUDED.trigger, dirty = false, attempts = s.attempts + 1,
       last_attempt_at = now(), heartbeat_at = now(), updated_at = now()
     WHERE s.status IN ('synced', 'skipped')
        OR (s.status = 'failed' AND (? OR NOT s.retryable OR ${attemptDueSql("s")}))
        OR ${deadClaimSql("s")}
     RETURNING *`,
    [generateEntityId(undefined, "wucus"), input.customer_id, input.trigger, Boolean(input.force)]
  )
  return rows[0] ?? null
}

/**
 * The customer changed while their sync is held (a live owner, or a retryable failure waiting for its next
 * attempt): marks the record so the owner syncs once more with the data of then (the job does, for a failure).
 * False when the record is in neither state any more (claim it instead).
 */
export async function markCustomerSyncDirty(manager: SqlEntityManager, customerId: string): Promise<boolean> {
  const rows = await manager.execute(
    `UPDATE woowup_customer_sync s SET dirty = true, updated_at = now()
     WHERE s.customer_id = ? AND s.deleted_at IS NULL
       AND ((s.status = 'pending' AND NOT ${staleSql("s")})
         OR (s.status = 'failed' AND s.retryable AND s.next_attempt_at > now()))
     RETURNING s.id`,
    [customerId]
  )
  return rows.length > 0
}

/**
 * Writes the outcome of a customer sync if the claim is still this sync's (else null), in one guarded statement.
 * A retryable failure gets its next attempt time (1 minute, then 2, 4... per failure in a row), or becomes
 * permanent at `maxAttempts` failures in a row.
 */
export async function recordCustomerSyncOutcome(
  manager: SqlEntityManager,
  account: string,
  claim: CustomerSyncClaim,
  outcome: CustomerSyncOutcome,
  maxAttempts: number
): Promise<CustomerSyncRecord | null> {
  let reason: string | null = null
  let errorCode: string | null = null
  let retryable = false
  let nextAttemptAt: Date | null = null
  let failedAttempts = 0
  if (outcome.status === "skipped") {
    reason = outcome.reason
  } else if (outcome.status === "failed") {
    failedAttempts = claim.failed_attempts + 1
    const retry = planRetry({ attempt: failedAttempts, retryable: outcome.retryable, maxAttempts })
    retryable = retry.retryable
    nextAttemptAt = retry.next_attempt_at
    reason =
      !retry.retryable && retry.gave_up
        ? `Gave up after ${failedAttempts} attempts (resync the customer once the cause is fixed). Last error: ${outcome.reason}`
        : outcome.reason
    errorCode = outcome.error_code
  }
  const synced = outcome.status === "synced" ? outcome : null
  const [row] = await manager.execute(
    `UPDATE woowup_customer_sync SET
       status = ?, reason = ?, error_code = ?, retryable = ?, next_attempt_at = ?, failed_attempts = ?,
       identifier = CASE WHEN ? THEN ? ELSE identifier END, identity = CASE WHEN ? THEN ? ELSE identity END,
       body_hash = CASE WHEN ? THEN ? ELSE body_hash END,
       synced_at = CASE WHEN ? THEN now() ELSE synced_at END, customer_created = customer_created OR ?,
       account = CASE WHEN ? THEN '${account}' ELSE account END,
       heartbeat_at = NULL, last_attempt_at = now(), updated_at = now()
     WHERE ${OWN_CLAIM_SQL}
     RETURNING *`,
    [
      outcome.status,
      reason,
      errorCode,
      retryable,
      nextAttemptAt,
      failedAttempts,
      !!synced,
      synced?.identity.field ?? null,
      !!synced,
      synced?.identity.value ?? null,
      !!synced,
      synced?.body_hash ?? null,
      !!synced?.sent,
      !!synced?.created,
      !!synced,
      claim.id,
      claim.attempts,
    ]
  )
  return (row as CustomerSyncRecord | undefined) ?? null
}

/**
 * One page of customers to sync, by id after `after_id`, and the cursor of the next page (null at the end):
 * - `due`: the job's: failed with a retryable error whose next attempt is due, or pending with a dead owner (on
 *   the record's `(status, next_attempt_at)` and `status` indexes);
 * - `failed`: an admin's resync of the failed ones: every failure, due or not, retryable or not;
 * - `all`: every customer with an account (on the customer table's primary key).
 */
export async function findCustomersToSync(
  manager: SqlEntityManager,
  input: { scope: "due" | "failed" | "all"; after_id: string; limit: number }
): Promise<{ customer_ids: string[]; cursor: string | null }> {
  const sql =
    input.scope === "all"
      ? `SELECT c.id AS cursor, c.id AS customer_id FROM customer c
         WHERE c.id > ? AND c.deleted_at IS NULL AND c.has_account ORDER BY c.id LIMIT ?`
      : `SELECT s.id AS cursor, s.customer_id FROM woowup_customer_sync s
         WHERE s.id > ? AND s.deleted_at IS NULL AND ${
           input.scope === "failed"
             ? "s.status = 'failed'"
             : `((s.status = 'failed' AND s.retryable AND ${attemptDueSql("s")}) OR ${deadClaimSql("s")})`
         }
         ORDER BY s.id LIMIT ?`
  const rows = await manager.execute(sql, [input.after_id, input.limit])
  return {
    customer_ids: rows.map((r) => r.customer_id as string),
    cursor: rows.length < input.limit ? null : (rows[rows.length - 1].cursor as string),
  }
}

/** How many customers a resync of `all` (or of the failed ones) looks at. */
export async function countCustomersToSync(manager: SqlEntityManager, scope: "failed" | "all"): Promise<number> {
  const [row] = await manager.execute(
    scope === "all"
      ? `SELECT COUNT(*)::int AS count FROM customer WHERE deleted_at IS NULL AND has_account`
      : `SELECT COUNT(*)::int AS count FROM woowup_customer_sync WHERE deleted_at IS NULL AND status = 'failed'`
  )
  return row?.count ?? 0
}
