import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import type { InferTypeOf } from "@medusajs/framework/types"
import { generateEntityId } from "@medusajs/framework/utils"
import { thisAccountSql } from "../account"
import { attemptDueSql, OWN_CLAIM_SQL, staleSql } from "../engine/claims"
import type WoowupPointsAdjustment from "../models/woowup-points-adjustment"
import type { AdjustmentCause, AdjustmentStatus } from "../models/woowup-points-adjustment"
import { failureFields } from "../engine/failures"
import { adjustmentMark } from "../rules/movements"
import { ORDER_PAYMENTS_SQL, type OrderPayments } from "./convergence"

/** Points adjustments: later captures add, refunds and cancelations take back. */

export type PointsAdjustmentRecord = InferTypeOf<typeof WoowupPointsAdjustment>

/** A claimed adjustment: its id, and `attempts` as the claim's token. */
export type AdjustmentClaim = Pick<PointsAdjustmentRecord, "id" | "attempts">

export type RecordPointsAdjustmentInput = {
  order_id: string
  target_points: number
  /** The order's payments the target was planned on: nothing is recorded if they changed since. */
  payments: OrderPayments
  /** What takes points back when the target is below what WoowUp holds. */
  cause: Exclude<AdjustmentCause, "capture" | "redeem" | "redeem_return">
}

/** What came of one points adjustment call. */
export type AdjustmentOutcome =
  | { status: "applied" }
  /** WoowUp refused it: not applied. */
  | { status: "refused"; reason: string; error_code: string }
  /** Worth trying again, or not known whether it was applied: stays pending. */
  | { status: "retry"; reason: string; error_code: string }

const ADJUSTMENT_WORDS: Record<AdjustmentCause, string> = {
  capture: "points for a later capture",
  refund: "points taken back for a refund",
  cancel: "points taken back, order canceled",
  redeem: "points spent on the order",
  redeem_return: "points spent on the order, given back",
}

/**
 * Records, under a lock on the order, the points adjustment that takes what WoowUp holds for the order (the
 * purchase's points and every adjustment not refused) to `target_points`: positive for a later capture, negative
 * for a refund or a cancelation. Computed from the rows inside the lock, so concurrent runs converge on the
 * target instead of adding up, and only if the order's payments are still those the target was planned on (a run
 * that planned on older payments must not undo a newer one's points). Nothing is recorded while an adjustment of
 * the order was refused by WoowUp (an admin's resync opens it again) or while the purchase's points are unknown.
 * Returns the new adjustment, or null. `manager` must be a transaction's: the lock lasts until it ends.
 */
export async function recordPointsAdjustment(
  manager: SqlEntityManager,
  account: string,
  input: RecordPointsAdjustmentInput
): Promise<PointsAdjustmentRecord | null> {
  await manager.execute("SELECT pg_advisory_xact_lock(hashtext(?))", [`woowup_points:${input.order_id}`])
  const [reward] = await manager.execute(
    `SELECT status, points, points_unknown, invoice_number, identifier, identity
     FROM woowup_reward r WHERE order_id = ? AND deleted_at IS NULL AND ${thisAccountSql("r", account)}`,
    [input.order_id]
  )
  if (!reward || reward.status !== "synced" || reward.points == null || reward.points_unknown) {
    return null
  }
  const { payments } = input
  const [current] = await manager.execute(
    `${ORDER_PAYMENTS_SQL} WHERE o.id = ? GROUP BY o.id
     HAVING COALESCE(SUM(pc.captured_amount), 0) = ?::numeric AND COALESCE(SUM(pc.refunded_amount), 0) = ?::numeric
        AND (o.canceled_at IS NOT NULL OR o.status = 'canceled') = ?`,
    [input.order_id, payments.captured_amount, payments.refunded_amount, payments.canceled]
  )
  if (!current) {
    return null
  }
  // Another account's adjustments went to that account: they count for nothing here (their tokens stay taken). The
  // points spent on the order (redeem, redeem_return) are its redemption's, settled apart (records/redemptions.ts).
  const thisAccount = thisAccountSql("a", account)
  const [{ held, refused, count }] = await manager.execute(
    `SELECT COALESCE(SUM(points) FILTER (WHERE status <> 'failed' AND ${thisAccount} AND cause NOT IN ('redeem', 'redeem_return')), 0)::int AS held,
            COUNT(*) FILTER (WHERE status = 'failed' AND ${thisAccount})::int AS refused, COUNT(*)::int AS count
     FROM woowup_points_adjustment a WHERE order_id = ? AND deleted_at IS NULL`,
    [input.order_id]
  )
  const owed = input.target_points - (reward.points + held)
  if (owed === 0 || refused > 0) {
    return null
  }
  const cause: AdjustmentCause = owed > 0 ? "capture" : input.cause
  const token = `${cause}-${count + 1}`
  return await insertAdjustment(manager, account, {
    order_id: input.order_id,
    cause,
    token,
    points: owed,
    identifier: reward.identifier!,
    identity: reward.identity!,
    description: `${adjustmentMark(input.order_id, token)} Medusa ${reward.invoice_number}: ${ADJUSTMENT_WORDS[cause]}`,
  })
}

/**
 * Writes an adjustment's intent, pending, before anything is sent: its token is unique per order, so a second write
 * of the same adjustment is nothing (null).
 */
export async function insertAdjustment(
  manager: SqlEntityManager,
  account: string,
  input: { order_id: string; cause: string; token: string; points: number; identifier: string; identity: string; description: string }
): Promise<PointsAdjustmentRecord | null> {
  const [row] = await manager.execute(
    `INSERT INTO woowup_points_adjustment
       (id, order_id, cause, token, points, status, identifier, identity, description, account, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, '${account}', now(), now())
     ON CONFLICT (order_id, token) WHERE deleted_at IS NULL DO NOTHING
     RETURNING *`,
    [
      generateEntityId(undefined, "wupadj"),
      input.order_id,
      input.cause,
      input.token,
      input.points,
      input.identifier,
      input.identity,
      input.description,
    ]
  )
  return (row as PointsAdjustmentRecord | undefined) ?? null
}

/** An admin's resync: adjustments WoowUp refused (or that were given up on) are tried again. */
export async function reopenFailedAdjustments(manager: SqlEntityManager, account: string, orderId: string): Promise<number> {
  const rows = await manager.execute(
    `UPDATE woowup_points_adjustment a SET status = 'pending', next_attempt_at = NULL, heartbeat_at = NULL, updated_at = now()
     WHERE order_id = ? AND status = 'failed' AND deleted_at IS NULL AND ${thisAccountSql("a", account)}
     RETURNING id`,
    [orderId]
  )
  return rows.length
}

/**
 * Takes one of the order's pending adjustments that nobody is working on and whose next attempt is due (any,
 * with `force`). One at a time, so that each claim is fresh when its call starts.
 */
export async function claimNextAdjustment(
  manager: SqlEntityManager,
  account: string,
  input: { order_id: string; force?: boolean }
): Promise<PointsAdjustmentRecord | null> {
  const [row] = await manager.execute(
    `UPDATE woowup_points_adjustment
     SET attempts = attempts + 1, last_attempt_at = now(), heartbeat_at = now(), updated_at = now()
     WHERE id = (
       SELECT id FROM woowup_points_adjustment a
       WHERE a.order_id = ? AND a.status = 'pending' AND a.deleted_at IS NULL AND ${thisAccountSql("a", account)}
         AND (a.heartbeat_at IS NULL OR ${staleSql("a", "heartbeat_at")})
         AND (? OR ${attemptDueSql("a")})
       ORDER BY a.created_at
       LIMIT 1
       FOR UPDATE SKIP LOCKED
     )
     RETURNING *`,
    [input.order_id, Boolean(input.force)]
  )
  return (row as PointsAdjustmentRecord | undefined) ?? null
}

/**
 * Marks, as the call leaves (the client's `beforeSend`), that the adjustment may from now on be in WoowUp whatever
 * the answer, and proves the claim alive. Only on a claim that is this owner's and fresh: a call that waited (for
 * the rate limit, a retry, a stalled process) while another run took the claim over is never sent.
 */
export async function markAdjustmentSent(manager: SqlEntityManager, claim: AdjustmentClaim): Promise<boolean> {
  const rows = await manager.execute(
    `UPDATE woowup_points_adjustment SET sent_at = COALESCE(sent_at, now()), heartbeat_at = now(), updated_at = now()
     WHERE ${OWN_CLAIM_SQL} AND NOT ${staleSql("woowup_points_adjustment", "heartbeat_at")}
     RETURNING id`,
    [claim.id, claim.attempts]
  )
  return rows.length > 0
}

/**
 * Writes what came of an adjustment if the claim is still this run's (else null): applied; refused by WoowUp
 * (`failed`); or still pending (an error worth retrying, or an outcome not known yet) with its next attempt time,
 * until `maxAttempts`.
 */
export async function recordAdjustmentOutcome(
  manager: SqlEntityManager,
  claim: AdjustmentClaim,
  outcome: AdjustmentOutcome,
  maxAttempts: number
): Promise<PointsAdjustmentRecord | null> {
  let status: AdjustmentStatus = "applied"
  let reason: string | null = null
  let errorCode: string | null = null
  let nextAttemptAt: Date | null = null
  if (outcome.status === "refused") {
    status = "failed"
    reason = outcome.reason
    errorCode = outcome.error_code
  } else if (outcome.status === "retry") {
    const failure = failureFields({ attempt: claim.attempts, retryable: true, maxAttempts, ...outcome, subject: "order" })
    // A points call worth retrying stays pending (its order's next run sends it); given up, it is failed.
    status = failure.retryable ? "pending" : "failed"
    reason = failure.reason
    errorCode = failure.error_code
    nextAttemptAt = failure.next_attempt_at
  }
  const [row] = await manager.execute(
    `UPDATE woowup_points_adjustment SET status = ?, reason = ?, error_code = ?, next_attempt_at = ?,
       applied_at = CASE WHEN ? = 'applied' THEN now() ELSE applied_at END, heartbeat_at = NULL, updated_at = now()
     WHERE ${OWN_CLAIM_SQL}
     RETURNING *`,
    [status, reason, errorCode, nextAttemptAt, status, claim.id, claim.attempts]
  )
  return (row as PointsAdjustmentRecord | undefined) ?? null
}
