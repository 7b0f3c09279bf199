import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import { thisAccountSql } from "./account"
import { attemptDueSql, staleSql } from "./engine/claims"

/**
 * The work the plugin's own records already know about, whatever the order's age: the reconcile job's look-back
 * window bounds the orders it discovers (no record yet, payments changed), never this. Each kind is on a partial
 * index of the plugin's tables holding only the records not at rest, so finding them costs the same however many
 * orders the store has.
 */

type Spacing = { ignore_spacing?: boolean }

/**
 * SQL: the reward `r` (this account's) has work due: a retryable failure whose next attempt is due; a pending
 * claim (a dead owner's is taken; a live one's is revisited by the run); synced with its purchase's points unknown.
 * Implies the predicate of `IDX_woowup_reward_work`.
 */
export function rewardWorkSql(r: string, input: Spacing, account: string): string {
  const due = input.ignore_spacing ? "" : ` AND ${attemptDueSql(r)}`
  return `(${r}.deleted_at IS NULL AND (${r}.status IN ('pending', 'failed') OR ${r}.points_unknown)
    AND ${thisAccountSql(r, account)}
    AND ((${r}.status = 'failed' AND ${r}.retryable${due}) OR ${r}.status = 'pending'
      OR (${r}.status = 'synced' AND ${r}.points_unknown)))`
}

/**
 * SQL: the points adjustment `a` (this account's) is pending and either due (its next attempt time passed) or
 * held by a live claim (revisited by the run). Implies the predicate of `IDX_woowup_points_adjustment_pending`.
 */
export function adjustmentWorkSql(a: string, input: Spacing, account: string): string {
  const due = input.ignore_spacing ? "true" : attemptDueSql(a)
  return `(${a}.deleted_at IS NULL AND ${a}.status = 'pending' AND ${thisAccountSql(a, account)}
    AND (${due} OR (${a}.heartbeat_at IS NOT NULL AND NOT ${staleSql(a, "heartbeat_at")})))`
}

/**
 * One page of orders with work due (see above), by order id after `after_id`, outside `[skip_from, skip_to)` (the
 * window the run pages through anyway), and the cursor of the next page (null at the end). Two index scans in
 * order-id order, merged.
 */
export async function findWorkDue(
  manager: SqlEntityManager,
  account: string,
  input: { after_id: string; skip_from: string; skip_to: string; limit: number }
): Promise<{ order_ids: string[]; cursor: string | null }> {
  const outside = (alias: string) => `(${alias}.order_id < ? OR ${alias}.order_id >= ?)`
  const rows = await manager.execute(
    `SELECT order_id FROM (
       (SELECT r.order_id FROM woowup_reward r
        WHERE r.order_id > ? AND ${outside("r")} AND ${rewardWorkSql("r", {}, account)}
        ORDER BY r.order_id LIMIT ?)
       UNION
       (SELECT DISTINCT a.order_id FROM woowup_points_adjustment a
        WHERE a.order_id > ? AND ${outside("a")} AND ${adjustmentWorkSql("a", {}, account)}
          AND NOT EXISTS (SELECT 1 FROM woowup_reward r WHERE r.order_id = a.order_id AND r.deleted_at IS NULL
                          AND NOT ${thisAccountSql("r", account)})
        ORDER BY a.order_id LIMIT ?)
     ) w ORDER BY order_id LIMIT ?`,
    [
      input.after_id,
      input.skip_from,
      input.skip_to,
      input.limit,
      input.after_id,
      input.skip_from,
      input.skip_to,
      input.limit,
      input.limit,
    ]
  )
  const order_ids = rows.map((row) => row.order_id as string)
  return { order_ids, cursor: order_ids.length < input.limit ? null : order_ids[order_ids.length - 1] }
}

/** A live claim another run holds on an order: its owner's last heartbeat. */
export type HeldClaim = { order_id: string; heartbeat_ms: number }

/**
 * Which of `orderIds` a live claim holds now (a pending reward or points adjustment whose owner's heartbeat is
 * fresh), with the newest heartbeat: a run revisits the order once it is gone, and stops waiting when the
 * heartbeat moves (the owner is alive and finishes the order itself).
 */
export async function findHeldClaims(manager: SqlEntityManager, orderIds: string[]): Promise<HeldClaim[]> {
  if (!orderIds.length) {
    return []
  }
  const rows = await manager.execute(
    `SELECT order_id, (extract(epoch FROM max(at)) * 1000)::float8 AS heartbeat_ms FROM (
       SELECT r.order_id, COALESCE(r.heartbeat_at, r.last_attempt_at) AS at FROM woowup_reward r
       WHERE r.order_id = ANY(string_to_array(?, ',')) AND r.deleted_at IS NULL AND r.status = 'pending'
         AND NOT ${staleSql("r")}
       UNION ALL
       SELECT a.order_id, a.heartbeat_at AS at FROM woowup_points_adjustment a
       WHERE a.order_id = ANY(string_to_array(?, ',')) AND a.deleted_at IS NULL AND a.status = 'pending'
         AND a.heartbeat_at IS NOT NULL AND NOT ${staleSql("a", "heartbeat_at")}
     ) held GROUP BY order_id`,
    [orderIds.join(","), orderIds.join(",")]
  )
  return rows.map((row) => ({ order_id: row.order_id as string, heartbeat_ms: Number(row.heartbeat_ms) }))
}
