import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import { redemptionUnsettledSql } from "./redemptions"
import type { InferTypeOf } from "@medusajs/framework/types"
import { generateEntityId } from "@medusajs/framework/utils"
import { otherAccountSql, thisAccountSql } from "../account"
import { attemptDueSql, deadClaimSql, OWN_CLAIM_SQL, staleSql } from "../engine/claims"
import type { WoowupErrorJSON } from "../client"
import type WoowupReward from "../models/woowup-reward"
import type { RewardTrigger } from "../models/woowup-reward"
import { failureFields } from "../engine/failures"
import type { RewardSend, RewardSkip } from "../rules"
import {
  ORDER_PAYMENTS_SQL,
  rawAmount,
  rewardConvergedSql,
  unsettledAdjustmentSql,
  type OrderPayments,
} from "./convergence"

/**
 * The reward records: one per order, what WoowUp holds for it and how the last send went. Each claim is one atomic
 * statement, so any number of paths and processes can work on the same order and exactly one sends.
 */

export type RewardRecord = InferTypeOf<typeof WoowupReward>

/** A claimed reward: its id, and `attempts` as the claim's token. */
export type RewardClaim = Pick<RewardRecord, "id" | "attempts">

export type OrderSyncState = {
  reward: RewardRecord | null
  payments: OrderPayments
  /** WoowUp holds what the order wants: nothing to do. */
  converged: boolean
  /** The record was written for another WoowUp account: left alone but by an admin's resync of those records. */
  other_account: boolean
}

export type RecordRewardSkipInput = {
  order_id: string
  trigger: RewardTrigger
  skip: RewardSkip
  payments: OrderPayments
  /** An admin's resync of another account's records: the record becomes this account's. */
  other_account?: boolean
}

/** What came of sending one order's purchase to WoowUp. */
export type PurchaseOutcome =
  /** `points`: what WoowUp holds for the purchase; `points_unknown` when WoowUp had it and could not say. */
  | { status: "synced"; customer_created: boolean; points: number | null; points_unknown: boolean }
  | { status: "skipped"; reason: string }
  | { status: "failed"; reason: string; error: WoowupErrorJSON; retryable: boolean; customer_created: boolean }

export type ClaimRewardInput = {
  order_id: string
  trigger: RewardTrigger
  plan: RewardSend
  /** An admin's resync of named orders may also take a permanently failed record. */
  force?: boolean
  /** An admin's resync: a retryable failure is taken now, not at its next attempt time. */
  retry_now?: boolean
  /** An admin's resync of another account's records: such a record is taken, whatever its state, for this one. */
  other_account?: boolean
}

/**
 * The order's reward record, its payments as they are now, and whether WoowUp already holds what the order
 * wants (`converged`): then a run for the order has nothing to do and stops before loading the order. One query.
 */
export async function getOrderSyncState(
  manager: SqlEntityManager,
  account: string,
  orderId: string
): Promise<OrderSyncState | null> {
  const [row] = await manager.execute(
    `WITH target AS (${ORDER_PAYMENTS_SQL} WHERE o.id = ? AND o.deleted_at IS NULL GROUP BY o.id)
     SELECT to_jsonb(r) AS reward, t.captured::text AS captured_amount, t.refunded::text AS refunded_amount,
            t.canceled, (${rewardConvergedSql("t", account)} AND NOT ${redemptionUnsettledSql("t")}) AS converged,
            (r.id IS NOT NULL AND ${otherAccountSql("r", account)}) AS other_account
     FROM target t
     LEFT JOIN woowup_reward r ON r.order_id = t.id AND r.deleted_at IS NULL`,
    [orderId]
  )
  if (!row) {
    return null
  }
  return {
    reward: (row.reward as RewardRecord | null) ?? null,
    payments: { captured_amount: row.captured_amount, refunded_amount: row.refunded_amount, canceled: row.canceled },
    converged: row.converged === true,
    other_account: row.other_account === true,
  }
}

/**
 * Notes on the record that WoowUp holds what the order wants, as the order was (`payments`): the job passes the
 * order by until its payments change. Only when nothing is left to do (synced, points known, no adjustment
 * pending or failed: a refused one is owed still).
 */
export async function recordRewardConverged(
  manager: SqlEntityManager,
  account: string,
  input: { order_id: string; payments: OrderPayments }
): Promise<void> {
  const { payments } = input
  await manager.execute(
    `UPDATE woowup_reward r
     SET captured_amount = ?::numeric, raw_captured_amount = ?::jsonb, refunded_amount = ?::numeric,
         raw_refunded_amount = ?::jsonb, canceled = ?, updated_at = now()
     WHERE r.order_id = ? AND r.deleted_at IS NULL AND r.status = 'synced' AND NOT r.points_unknown
       AND ${thisAccountSql("r", account)} AND NOT ${unsettledAdjustmentSql("r", account)}`,
    [
      payments.captured_amount,
      rawAmount(payments.captured_amount),
      payments.refunded_amount,
      rawAmount(payments.refunded_amount),
      payments.canceled,
      input.order_id,
    ]
  )
}

/**
 * Whether an admin's resync of another account's records (one parameter: whether this is one) may take the record
 * `alias` of another account for this one: any record but a pending one whose owner is alive.
 */
function otherAccountTakeoverSql(alias: string, account: string): string {
  return `(? AND ${otherAccountSql(alias, account)} AND (${alias}.status <> 'pending' OR ${staleSql(alias)}))`
}

/**
 * Whether the record `alias` may be taken again by a claim: failed with a retryable error whose next attempt is due,
 * or any failure when forced; or pending with a dead owner. Two parameters: force, then "due now".
 */
function retakableSql(alias: string): string {
  return `((${alias}.status = 'failed' AND (? OR (${alias}.retryable AND (? OR ${attemptDueSql(alias)}))))
    OR ${deadClaimSql(alias)})`
}

/**
 * Takes the order's reward for sending, atomically: creates its record, or takes one that was skipped, failed
 * with a retryable error whose next attempt is due (any failure when `force`), or was left pending by a process
 * whose heartbeat stopped. Returns null when another path holds it or it is already synced. A record a send was
 * attempted on (failed, or pending) keeps its identity and invoice number: WoowUp may hold the purchase under
 * them (see `SentPurchase`); `current_identity` notes the order's own when it moved.
 */
export async function claimReward(
  manager: SqlEntityManager,
  account: string,
  input: ClaimRewardInput
): Promise<RewardRecord | null> {
  const { plan } = input
  // A send was attempted: WoowUp may hold the purchase under this identity and invoice number (SentPurchase).
  // Only in this account: a purchase sent to another WoowUp account is not in this one.
  const sent = `(${thisAccountSql("r", account)} AND r.status IN ('pending', 'failed')
    AND r.identity IS NOT NULL AND r.invoice_number IS NOT NULL)`
  const rows: RewardRecord[] = await manager.execute(
    `INSERT INTO woowup_reward AS r
       (id, order_id, status, trigger, invoice_number, identifier, identity, current_identifier, current_identity,
        points, amount, raw_amount, currency_code, historical, account, attempts, last_attempt_at, heartbeat_at,
        created_at, updated_at)
     VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, '${account}', 1, now(), now(), now(), now())
     ON CONFLICT (order_id) WHERE deleted_at IS NULL DO UPDATE SET
       status = 'pending', trigger = EXCLUDED.trigger, reason = NULL, error_code = NULL, retryable = false,
       invoice_number = CASE WHEN ${sent} THEN r.invoice_number ELSE EXCLUDED.invoice_number END,
       identifier = CASE WHEN ${sent} THEN r.identifier ELSE EXCLUDED.identifier END,
       identity = CASE WHEN ${sent} THEN r.identity ELSE EXCLUDED.identity END,
       current_identifier = EXCLUDED.current_identifier, current_identity = EXCLUDED.current_identity,
       points = EXCLUDED.points, points_unknown = false, amount = EXCLUDED.amount, raw_amount = EXCLUDED.raw_amount,
       currency_code = EXCLUDED.currency_code, account = EXCLUDED.account, attempts = r.attempts + 1,
       historical = CASE WHEN ${sent} THEN r.historical ELSE EXCLUDED.historical END,
       last_attempt_at = now(), heartbeat_at = now(), next_attempt_at = NULL, updated_at = now()
     WHERE (${thisAccountSql("r", account)} AND (r.status = 'skipped' OR ${retakableSql("r")}))
        OR ${otherAccountTakeoverSql("r", account)}
     RETURNING *`,
    [
      generateEntityId(undefined, "wurew"),
      input.order_id,
      input.trigger,
      plan.invoice_number,
      plan.identity.field,
      plan.identity.value,
      plan.current_identity?.field ?? null,
      plan.current_identity?.value ?? null,
      plan.points,
      plan.amount,
      rawAmount(plan.amount),
      plan.currency_code,
      Boolean(plan.historical),
      Boolean(input.force),
      Boolean(input.force || input.retry_now),
      Boolean(input.other_account),
    ]
  )
  return rows[0] ?? null
}

/**
 * Takes, for a check, a record whose purchase WoowUp may hold (`failed`, or `pending` with a dead owner) while
 * its order now wants no purchase (canceled, refunded in full, below the minimum): on the same terms as
 * {@link claimReward} (a failure when due, any with `force`), and counted as an attempt, so that a check that
 * keeps failing gives up at `reconcile.maxAttempts`. Nothing on the record is rewritten but the claim.
 * Returns null when another path holds it, or it is not due.
 */
export async function claimRewardCheck(
  manager: SqlEntityManager,
  account: string,
  input: { order_id: string; trigger: RewardTrigger; force?: boolean; retry_now?: boolean }
): Promise<RewardRecord | null> {
  const rows: RewardRecord[] = await manager.execute(
    `UPDATE woowup_reward r SET status = 'pending', trigger = ?, attempts = r.attempts + 1, last_attempt_at = now(),
       heartbeat_at = now(), next_attempt_at = NULL, updated_at = now()
     WHERE r.order_id = ? AND r.deleted_at IS NULL AND ${thisAccountSql("r", account)} AND ${retakableSql("r")}
     RETURNING *`,
    [input.trigger, input.order_id, Boolean(input.force), Boolean(input.force || input.retry_now)]
  )
  return rows[0] ?? null
}

/**
 * Notes on a record whose purchase was sent the order's own identity when it is no longer the one the purchase
 * was sent under (null when they agree again). Points never follow it: see `SentPurchase`.
 */
export async function recordCurrentIdentity(
  manager: SqlEntityManager,
  input: { order_id: string; identity: { field: string; value: string } | null }
): Promise<void> {
  const field = input.identity?.field ?? null
  const value = input.identity?.value ?? null
  await manager.execute(
    `UPDATE woowup_reward SET current_identifier = ?, current_identity = ?, updated_at = now()
     WHERE order_id = ? AND deleted_at IS NULL AND status IN ('pending', 'failed', 'synced')
       AND (current_identifier IS DISTINCT FROM ? OR current_identity IS DISTINCT FROM ?)`,
    [field, value, input.order_id, field, value]
  )
}

/**
 * Records that the rules give this order nothing to send (yet), with the payments it was decided on. Never
 * overwrites a record that is pending, synced or failed: a skip decided on stale data must not hide a real
 * outcome.
 */
export async function recordRewardSkip(
  manager: SqlEntityManager,
  account: string,
  input: RecordRewardSkipInput
): Promise<RewardRecord | null> {
  const { skip, payments } = input
  const rows: RewardRecord[] = await manager.execute(
    `INSERT INTO woowup_reward AS r
       (id, order_id, status, trigger, reason, invoice_number, identifier, identity, amount, raw_amount,
        currency_code, captured_amount, raw_captured_amount, refunded_amount, raw_refunded_amount, canceled,
        account, created_at, updated_at)
     VALUES (?, ?, 'skipped', ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::numeric, ?::jsonb, ?::numeric, ?::jsonb, ?,
             '${account}', now(), now())
     ON CONFLICT (order_id) WHERE deleted_at IS NULL DO UPDATE SET
       trigger = EXCLUDED.trigger, reason = EXCLUDED.reason, invoice_number = EXCLUDED.invoice_number,
       identifier = EXCLUDED.identifier, identity = EXCLUDED.identity, amount = EXCLUDED.amount,
       raw_amount = EXCLUDED.raw_amount, currency_code = EXCLUDED.currency_code,
       captured_amount = EXCLUDED.captured_amount, raw_captured_amount = EXCLUDED.raw_captured_amount,
       refunded_amount = EXCLUDED.refunded_amount, raw_refunded_amount = EXCLUDED.raw_refunded_amount,
       canceled = EXCLUDED.canceled, account = EXCLUDED.account, updated_at = now()
     WHERE (r.status = 'skipped' AND ${thisAccountSql("r", account)})
        OR ${otherAccountTakeoverSql("r", account)}
     RETURNING *`,
    [
      generateEntityId(undefined, "wurew"),
      input.order_id,
      input.trigger,
      skip.reason,
      skip.invoice_number,
      skip.identity?.field ?? null,
      skip.identity?.value ?? null,
      skip.amount,
      rawAmount(skip.amount),
      skip.currency_code,
      payments.captured_amount,
      rawAmount(payments.captured_amount),
      payments.refunded_amount,
      rawAmount(payments.refunded_amount),
      payments.canceled,
      Boolean(input.other_account),
    ]
  )
  return rows[0] ?? null
}

/**
 * Writes the outcome of a send on the record if the claim is still this send's, in one guarded statement; null
 * when it is not (the caller reads the record as it is). A retryable failure gets its next attempt time, or becomes
 * permanent at `maxAttempts`.
 */
export async function recordPurchaseOutcome(
  manager: SqlEntityManager,
  claim: RewardClaim,
  outcome: PurchaseOutcome,
  maxAttempts: number
): Promise<RewardRecord | null> {
  const fields = outcomeFields(claim, outcome, maxAttempts)
  const [row] = await manager.execute(
    `UPDATE woowup_reward SET
       status = ?, reason = ?, error_code = ?, retryable = ?, next_attempt_at = ?,
       synced_at = CASE WHEN ? = 'synced' THEN now() ELSE synced_at END,
       customer_created = customer_created OR ?,
       points = CASE WHEN ? THEN ? ELSE points END, points_unknown = ?,
       heartbeat_at = NULL, last_attempt_at = now(), updated_at = now()
     WHERE ${OWN_CLAIM_SQL}
     RETURNING *`,
    [
      fields.status,
      fields.reason,
      fields.error_code,
      fields.retryable,
      fields.next_attempt_at,
      fields.status,
      fields.customer_created,
      fields.points !== undefined,
      fields.points ?? null,
      fields.points_unknown,
      claim.id,
      claim.attempts,
    ]
  )
  return (row as RewardRecord | undefined) ?? null
}

function outcomeFields(claim: RewardClaim, outcome: PurchaseOutcome, maxAttempts: number) {
  const customer_created = "customer_created" in outcome && outcome.customer_created
  const settled = { error_code: null, retryable: false, next_attempt_at: null, customer_created }
  switch (outcome.status) {
    case "synced":
      return {
        ...settled,
        status: "synced",
        reason: null,
        points: outcome.points,
        points_unknown: outcome.points_unknown,
      }
    case "skipped":
      return { ...settled, status: "skipped", reason: outcome.reason, points: undefined, points_unknown: false }
    case "failed":
      return {
        status: "failed",
        ...failureFields({
          attempt: claim.attempts,
          retryable: outcome.retryable,
          maxAttempts,
          reason: outcome.reason,
          error_code: outcome.error.code,
          subject: "order",
        }),
        customer_created,
        points: undefined,
        points_unknown: false,
      }
  }
}

/** The points WoowUp holds for the order's purchase, once found out after they could not be read. */
export async function recordPurchasePoints(
  manager: SqlEntityManager,
  input: { order_id: string; points: number }
): Promise<void> {
  await manager.execute(
    `UPDATE woowup_reward SET points = ?, points_unknown = false, updated_at = now()
     WHERE order_id = ? AND status = 'synced' AND points_unknown AND deleted_at IS NULL`,
    [input.points, input.order_id]
  )
}
