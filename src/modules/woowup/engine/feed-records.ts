import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import { generateEntityId } from "@medusajs/framework/utils"
import { attemptDueSql, deadClaimSql, OWN_CLAIM_SQL, staleSql } from "./claims"
import { failureFields } from "./failures"
import { FEED_TABLES, type FeedName } from "./feed-tables"

/**
 * A feed's records: one per Medusa entity (a customer, a product variant), claimed atomically so one sync runs at
 * a time per entity across processes, with the hash of what WoowUp last accepted so an unchanged entity costs no
 * call. Every feed's records are written here, the same way.
 */

/** The columns every feed's record has. */
export type FeedSyncRecord = {
  id: string
  status: "pending" | "synced" | "skipped" | "failed"
  trigger: string
  reason: string | null
  error_code: string | null
  retryable: boolean
  body_hash: string | null
  dirty: boolean
  attempts: number
  failed_attempts: number
  last_attempt_at: Date | null
  heartbeat_at: Date | null
  next_attempt_at: Date | null
  synced_at: Date | null
  account: string | null
  created_at: Date
  updated_at: Date
  [column: string]: unknown
}

/** A customer's sync record (feed `customers`). */
export type CustomerSyncRecord = FeedSyncRecord & {
  customer_id: string
  identifier: string | null
  identity: string | null
  customer_created: boolean
}

/** A claimed record: its id, `attempts` as the claim's token, and the failures in a row before it. */
export type FeedSyncClaim = Pick<FeedSyncRecord, "id" | "attempts" | "failed_attempts">

/** What came of one sync of an entity with WoowUp. */
export type FeedSyncOutcome =
  /**
   * WoowUp holds `body_hash`'s data; `sent`: a call was made (else it already had it); `columns`: the feed's own
   * columns to write (see feed-tables.ts).
   */
  | { status: "synced"; body_hash: string; sent: boolean; columns?: Record<string, string | boolean | null> }
  | { status: "skipped"; reason: string }
  | { status: "failed"; reason: string; error_code: string; retryable: boolean }

/**
 * Takes the entity's sync, atomically: creates its record, or takes one that is synced or skipped (the entity
 * changed since), failed for good (the cause may be fixed now), failed with a retryable error whose next attempt is
 * due (any failure with `force`), or pending with a dead owner. Null when a live sync holds it, or a retryable
 * failure is not due yet: then {@link markFeedSyncDirty}.
 */
export async function claimFeedSync(
  manager: SqlEntityManager,
  feed: FeedName,
  input: { entity_id: string; trigger: string; force?: boolean }
): Promise<FeedSyncRecord | null> {
  const { table, key, prefix } = FEED_TABLES[feed]
  const rows: FeedSyncRecord[] = await manager.execute(
    `INSERT INTO ${table} AS s
       (id, ${key}, status, trigger, attempts, last_attempt_at, heartbeat_at, created_at, updated_at)
     VALUES (?, ?, 'pending', ?, 1, now(), now(), now(), now())
     ON CONFLICT (${key}) WHERE deleted_at IS NULL DO UPDATE SET
       status = 'pending', trigger = EXCLUDED.trigger, dirty = false, attempts = s.attempts + 1,
       last_attempt_at = now(), heartbeat_at = now(), updated_at = now()
     WHERE s.status IN ('synced', 'skipped')
        OR (s.status = 'failed' AND (? OR NOT s.retryable OR ${attemptDueSql("s")}))
        OR ${deadClaimSql("s")}
     RETURNING *`,
    [generateEntityId(undefined, prefix), input.entity_id, input.trigger, Boolean(input.force)]
  )
  return rows[0] ?? null
}

/**
 * The entity changed while its sync is held (a live owner, or a retryable failure waiting for its next attempt):
 * marks the record so the owner syncs once more with the data of then (the job does, for a failure). False when
 * the record is in neither state any more (claim it instead).
 */
export async function markFeedSyncDirty(manager: SqlEntityManager, feed: FeedName, entityId: string): Promise<boolean> {
  const { table, key } = FEED_TABLES[feed]
  const rows = await manager.execute(
    `UPDATE ${table} s SET dirty = true, updated_at = now()
     WHERE s.${key} = ? AND s.deleted_at IS NULL
       AND ((s.status = 'pending' AND NOT ${staleSql("s")})
         OR (s.status = 'failed' AND s.retryable AND s.next_attempt_at > now()))
     RETURNING s.id`,
    [entityId]
  )
  return rows.length > 0
}

/**
 * Writes the outcome of a sync if the claim is still this sync's (else null), in one guarded statement. A
 * retryable failure gets its next attempt time, or becomes permanent at `maxAttempts` failures in a row.
 * `last_attempt_at` stays the claim's time: the entity was read after it, so a change made while the call ran is
 * newer than it, and the job's discovery (changed since the last attempt) still finds it.
 */
export async function recordFeedSyncOutcome(
  manager: SqlEntityManager,
  feed: FeedName,
  account: string,
  claim: FeedSyncClaim,
  outcome: FeedSyncOutcome,
  maxAttempts: number
): Promise<FeedSyncRecord | null> {
  const { table, subject, columns } = FEED_TABLES[feed]
  const failedAttempts = outcome.status === "failed" ? claim.failed_attempts + 1 : 0
  const failure =
    outcome.status === "failed" ? failureFields({ attempt: failedAttempts, maxAttempts, subject, ...outcome }) : null
  const synced = outcome.status === "synced" ? outcome : null
  const own = Object.entries(synced?.columns ?? {}).filter(([column]) => (columns as readonly string[]).includes(column))
  const [row] = await manager.execute(
    `UPDATE ${table} SET
       status = ?, reason = ?, error_code = ?, retryable = ?, next_attempt_at = ?, failed_attempts = ?,
       ${own.map(([column]) => `${column} = ?, `).join("")}
       body_hash = CASE WHEN ? THEN ? ELSE body_hash END,
       synced_at = CASE WHEN ? THEN now() ELSE synced_at END,
       account = CASE WHEN ? THEN ? ELSE account END,
       heartbeat_at = NULL, updated_at = now()
     WHERE ${OWN_CLAIM_SQL}
     RETURNING *`,
    [
      outcome.status,
      failure?.reason ?? (outcome.status === "skipped" ? outcome.reason : null),
      failure?.error_code ?? null,
      failure?.retryable ?? false,
      failure?.next_attempt_at ?? null,
      failedAttempts,
      ...own.map(([, value]) => value),
      !!synced,
      synced?.body_hash ?? null,
      !!synced?.sent,
      !!synced,
      account,
      claim.id,
      claim.attempts,
    ]
  )
  return (row as FeedSyncRecord | undefined) ?? null
}

/**
 * One page of a feed's entities to sync, by id after `after_id`, and the cursor of the next page (null at the end):
 * - `due`: the job's: failed with a retryable error whose next attempt is due, or pending with a dead owner;
 * - `failed`: an admin's resync of the failed ones: every failure, due or not, retryable or not;
 * - `all`: every entity of the feed (the feed's own table).
 */
export async function findFeedSyncs(
  manager: SqlEntityManager,
  feed: FeedName,
  input: { scope: "due" | "failed" | "all"; after_id: string; limit: number }
): Promise<{ ids: string[]; cursor: string | null }> {
  const { table, key, all } = FEED_TABLES[feed]
  const sql =
    input.scope === "all"
      ? `SELECT e.id AS cursor, e.id AS entity_id FROM (${all}) e ORDER BY e.id`
      : `SELECT s.id AS cursor, s.${key} AS entity_id FROM ${table} s
         WHERE s.id > ? AND s.deleted_at IS NULL AND ${
           input.scope === "failed"
             ? "s.status = 'failed'"
             : `((s.status = 'failed' AND s.retryable AND ${attemptDueSql("s")}) OR ${deadClaimSql("s")})`
         }
         ORDER BY s.id LIMIT ?`
  const rows = await manager.execute(sql, [input.after_id, input.limit])
  return {
    ids: rows.map((r) => r.entity_id as string),
    cursor: rows.length < input.limit ? null : (rows[rows.length - 1].cursor as string),
  }
}

/** How many entities a resync of `all` (or of the failed ones) looks at. */
export async function countFeedSyncs(manager: SqlEntityManager, feed: FeedName, scope: "failed" | "all"): Promise<number> {
  const { table, countAll } = FEED_TABLES[feed]
  const [row] = await manager.execute(
    scope === "all" ? countAll : `SELECT COUNT(*)::int AS count FROM ${table} WHERE deleted_at IS NULL AND status = 'failed'`
  )
  return row?.count ?? 0
}

/** The record of an entity (or, `by: "id"`, the record of that id), or null. */
export async function retrieveFeedSync(
  manager: SqlEntityManager,
  feed: FeedName,
  value: string,
  by: "entity" | "id" = "entity"
): Promise<FeedSyncRecord | null> {
  const { table, key } = FEED_TABLES[feed]
  const [row] = await manager.execute(`SELECT * FROM ${table} WHERE ${by === "id" ? "id" : key} = ? AND deleted_at IS NULL`, [
    value,
  ])
  return (row as FeedSyncRecord | undefined) ?? null
}
