import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import type { Context, InferTypeOf, Logger } from "@medusajs/framework/types"
import {
  generateEntityId,
  InjectManager,
  InjectTransactionManager,
  MedusaContext,
  MedusaService,
} from "@medusajs/framework/utils"
import { accountFingerprint, otherAccountSql, thisAccountSql } from "./account"
import { staleSql } from "./claim-sql"
import { createWoowupClient, type WoowupClient, type WoowupErrorJSON } from "./client"
import WoowupPointsAdjustment, {
  type AdjustmentCause,
  type AdjustmentStatus,
} from "./models/woowup-points-adjustment"
import WoowupCustomerSync, { type CustomerSyncTrigger } from "./models/woowup-customer-sync"
import WoowupIdentityProof from "./models/woowup-identity-proof"
import * as identityProofs from "./identity-proofs"
import WoowupReconcileRun from "./models/woowup-reconcile-run"
import WoowupReward, { REWARD_STATUSES, type RewardStatus, type RewardTrigger } from "./models/woowup-reward"
import { CLAIM_STALE_MS } from "./claim-timing"
import { parseWoowupOptions, type WoowupOptions } from "./options"
import { gaveUpReason, planRetry, type RewardSend, type RewardSkip } from "./rules"
import { adjustmentWorkSql, findHeldClaims, findWorkDue, rewardWorkSql, type HeldClaim } from "./work-due"
import { adjustmentMark } from "./rules/movements"

export { CLAIM_HEARTBEAT_MS, CLAIM_STALE_MS } from "./claim-timing"

type InjectedDependencies = {
  logger: Logger
}

export type RewardRecord = InferTypeOf<typeof WoowupReward>
export type PointsAdjustmentRecord = InferTypeOf<typeof WoowupPointsAdjustment>
export type ReconcileRunRecord = InferTypeOf<typeof WoowupReconcileRun>
export type CustomerSyncRecord = InferTypeOf<typeof WoowupCustomerSync>
/** A claimed customer sync: its id, `attempts` as the claim's token, and the failures in a row before it. */
export type CustomerSyncClaim = Pick<CustomerSyncRecord, "id" | "attempts" | "failed_attempts">

/** What came of syncing one customer with WoowUp. */
export type CustomerSyncOutcome =
  /** WoowUp holds `body_hash`'s data under `identity`; `sent`: a call was made (else it already had it). */
  | { status: "synced"; identity: { field: string; value: string }; body_hash: string; sent: boolean; created: boolean }
  | { status: "skipped"; reason: string }
  | { status: "failed"; reason: string; error_code: string; retryable: boolean }

/** A claimed reward or adjustment: its id, and `attempts` as the claim's token. */
export type RewardClaim = Pick<RewardRecord, "id" | "attempts">
export type AdjustmentClaim = Pick<PointsAdjustmentRecord, "id" | "attempts">

/** What the order wants from WoowUp, as its payments say (amounts as exact decimal strings). */
export type OrderPayments = { captured_amount: string; refunded_amount: string; canceled: boolean }

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

export type RecordPointsAdjustmentInput = {
  order_id: string
  target_points: number
  /** The order's payments the target was planned on: nothing is recorded if they changed since. */
  payments: OrderPayments
  /** What takes points back when the target is below what WoowUp holds. */
  cause: Exclude<AdjustmentCause, "capture">
}

/** What came of one points adjustment call. */
export type AdjustmentOutcome =
  | { status: "applied" }
  /** WoowUp refused it: not applied. */
  | { status: "refused"; reason: string; error_code: string }
  /** Worth trying again, or not known whether it was applied: stays pending. */
  | { status: "retry"; reason: string; error_code: string }

export type FindOrdersToReconcileInput =
  /** `other_account`: only those whose record was written for another WoowUp account. */
  | { order_ids: string[]; other_account?: boolean }
  | {
      /** Exclusive lower bound (the previous page's cursor, or the window's start). */
      after_id: string
      /** Exclusive upper bound. */
      to_id: string
      /** Orders looked at in this page. */
      scan: number
      only_failed?: boolean
      /** An admin's resync: failures are due now, not at their next attempt time. */
      ignore_spacing?: boolean
    }

/**
 * The plugin's records: one reward per order (what WoowUp holds for it and how the last send went), the points
 * adjustments made after the purchase, and the reconcile runs. Claims on them are atomic statements, so any
 * number of paths and processes can work on the same order and exactly one sends. The WoowUp calls themselves
 * are made by the workflow steps, through `client`.
 */
export default class WoowupModuleService extends MedusaService({
  WoowupReward,
  WoowupPointsAdjustment,
  WoowupReconcileRun,
  WoowupCustomerSync,
  WoowupIdentityProof,
}) {
  /** The options without the API key: it lives only inside the client (a #private field), never on the service. */
  protected readonly options_: Omit<WoowupOptions, "apiKey">
  protected readonly client_: WoowupClient
  protected readonly logger_: Logger
  /** This WoowUp account's fingerprint (see account.ts), written on every record. */
  protected readonly account_: string

  constructor(container: InjectedDependencies, options: unknown) {
    super(...arguments)
    const { apiKey, ...rest } = parseWoowupOptions(options)
    this.options_ = rest
    this.account_ = accountFingerprint(rest.apiUrl, apiKey)
    this.logger_ = container.logger
    // One place builds the client: the rate limit shared through Redis when there is one (see create-client.ts).
    this.client_ = createWoowupClient({ ...rest, apiKey }, this.logger_)
  }

  /** The WoowUp client, for the steps that orchestrate WoowUp calls. It never exposes the API key. */
  get client(): WoowupClient {
    return this.client_
  }

  /** The fingerprint of the WoowUp account the records are written for (a hash: never the key). */
  get account(): string {
    return this.account_
  }

  /** The validated options, for the rules; the API key stays inside the module. */
  async getOptions(): Promise<Omit<WoowupOptions, "apiKey">> {
    return this.options_
  }

  // -------------------------------------------------------------------------------------------------------------
  // What WoowUp holds for an order, and whether it matches the order as it is now

  /**
   * The order's reward record, its payments as they are now, and whether WoowUp already holds what the order
   * wants (`converged`): then a run for the order has nothing to do and stops before loading the order. One query.
   */
  @InjectManager()
  async getOrderSyncState(
    orderId: string,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<OrderSyncState | null> {
    const [row] = await sharedContext.manager!.execute(
      `WITH target AS (${ORDER_PAYMENTS_SQL} WHERE o.id = ? AND o.deleted_at IS NULL GROUP BY o.id)
       SELECT to_jsonb(r) AS reward, t.captured::text AS captured_amount, t.refunded::text AS refunded_amount,
              t.canceled, (${rewardConvergedSql("t", this.account_)}) AS converged,
              (r.id IS NOT NULL AND ${otherAccountSql("r", this.account_)}) AS other_account
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
  @InjectManager()
  async recordRewardConverged(
    input: { order_id: string; payments: OrderPayments },
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<void> {
    const { payments } = input
    await sharedContext.manager!.execute(
      `UPDATE woowup_reward r
       SET captured_amount = ?::numeric, raw_captured_amount = ?::jsonb, refunded_amount = ?::numeric,
           raw_refunded_amount = ?::jsonb, canceled = ?, updated_at = now()
       WHERE r.order_id = ? AND r.deleted_at IS NULL AND r.status = 'synced' AND NOT r.points_unknown
         AND ${thisAccountSql("r", this.account_)} AND NOT ${unsettledAdjustmentSql("r", this.account_)}`,
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

  // -------------------------------------------------------------------------------------------------------------
  // The reward record and its claim

  /**
   * Takes the order's reward for sending, atomically: creates its record, or takes one that was skipped, failed
   * with a retryable error whose next attempt is due (any failure when `force`), or was left pending by a process
   * whose heartbeat stopped. Returns null when another path holds it or it is already synced. A record a send was
   * attempted on (failed, or pending) keeps its identity and invoice number: WoowUp may hold the purchase under
   * them (see `SentPurchase`); `current_identity` notes the order's own when it moved.
   */
  @InjectManager()
  async claimReward(
    input: ClaimRewardInput,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<RewardRecord | null> {
    const { plan } = input
    // A send was attempted: WoowUp may hold the purchase under this identity and invoice number (SentPurchase).
    // Only in this account: a purchase sent to another WoowUp account is not in this one.
    const sent = `(${thisAccountSql("r", this.account_)} AND r.status IN ('pending', 'failed')
      AND r.identity IS NOT NULL AND r.invoice_number IS NOT NULL)`
    const rows: RewardRecord[] = await sharedContext.manager!.execute(
      `INSERT INTO woowup_reward AS r
         (id, order_id, status, trigger, invoice_number, identifier, identity, current_identifier, current_identity,
          points, amount, raw_amount, currency_code, account, attempts, last_attempt_at, heartbeat_at, created_at,
          updated_at)
       VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, '${this.account_}', 1, now(), now(), now(), now())
       ON CONFLICT (order_id) WHERE deleted_at IS NULL DO UPDATE SET
         status = 'pending', trigger = EXCLUDED.trigger, reason = NULL, error_code = NULL, retryable = false,
         invoice_number = CASE WHEN ${sent} THEN r.invoice_number ELSE EXCLUDED.invoice_number END,
         identifier = CASE WHEN ${sent} THEN r.identifier ELSE EXCLUDED.identifier END,
         identity = CASE WHEN ${sent} THEN r.identity ELSE EXCLUDED.identity END,
         current_identifier = EXCLUDED.current_identifier, current_identity = EXCLUDED.current_identity,
         points = EXCLUDED.points, points_unknown = false, amount = EXCLUDED.amount, raw_amount = EXCLUDED.raw_amount,
         currency_code = EXCLUDED.currency_code, account = EXCLUDED.account, attempts = r.attempts + 1,
         last_attempt_at = now(), heartbeat_at = now(), next_attempt_at = NULL, updated_at = now()
       WHERE (${thisAccountSql("r", this.account_)} AND (r.status = 'skipped' OR ${retakableSql("r")}))
          OR (? AND ${otherAccountSql("r", this.account_)} AND (r.status <> 'pending' OR ${staleSql("r")}))
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
  @InjectManager()
  async claimRewardCheck(
    input: { order_id: string; trigger: RewardTrigger; force?: boolean; retry_now?: boolean },
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<RewardRecord | null> {
    const rows: RewardRecord[] = await sharedContext.manager!.execute(
      `UPDATE woowup_reward r SET status = 'pending', trigger = ?, attempts = r.attempts + 1, last_attempt_at = now(),
         heartbeat_at = now(), next_attempt_at = NULL, updated_at = now()
       WHERE r.order_id = ? AND r.deleted_at IS NULL AND ${thisAccountSql("r", this.account_)} AND ${retakableSql("r")}
       RETURNING *`,
      [input.trigger, input.order_id, Boolean(input.force), Boolean(input.force || input.retry_now)]
    )
    return rows[0] ?? null
  }

  /**
   * Notes on a record whose purchase was sent the order's own identity when it is no longer the one the purchase
   * was sent under (null when they agree again). Points never follow it: see `SentPurchase`.
   */
  @InjectManager()
  async recordCurrentIdentity(
    input: { order_id: string; identity: { field: string; value: string } | null },
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<void> {
    const field = input.identity?.field ?? null
    const value = input.identity?.value ?? null
    await sharedContext.manager!.execute(
      `UPDATE woowup_reward SET current_identifier = ?, current_identity = ?, updated_at = now()
       WHERE order_id = ? AND deleted_at IS NULL AND status IN ('pending', 'failed', 'synced')
         AND (current_identifier IS DISTINCT FROM ? OR current_identity IS DISTINCT FROM ?)`,
      [field, value, input.order_id, field, value]
    )
  }

  /** Keeps a claim alive while its owner works. False when the claim is no longer this owner's. */
  @InjectManager()
  async heartbeatReward(
    claim: RewardClaim,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<boolean> {
    return await heartbeat(sharedContext.manager!, "woowup_reward", claim)
  }

  /**
   * Records that the rules give this order nothing to send (yet), with the payments it was decided on. Never
   * overwrites a record that is pending, synced or failed: a skip decided on stale data must not hide a real
   * outcome.
   */
  @InjectManager()
  async recordRewardSkip(
    input: RecordRewardSkipInput,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<RewardRecord | null> {
    const { skip, payments } = input
    const rows: RewardRecord[] = await sharedContext.manager!.execute(
      `INSERT INTO woowup_reward AS r
         (id, order_id, status, trigger, reason, invoice_number, identifier, identity, amount, raw_amount,
          currency_code, captured_amount, raw_captured_amount, refunded_amount, raw_refunded_amount, canceled,
          account, created_at, updated_at)
       VALUES (?, ?, 'skipped', ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::numeric, ?::jsonb, ?::numeric, ?::jsonb, ?,
               '${this.account_}', now(), now())
       ON CONFLICT (order_id) WHERE deleted_at IS NULL DO UPDATE SET
         trigger = EXCLUDED.trigger, reason = EXCLUDED.reason, invoice_number = EXCLUDED.invoice_number,
         identifier = EXCLUDED.identifier, identity = EXCLUDED.identity, amount = EXCLUDED.amount,
         raw_amount = EXCLUDED.raw_amount, currency_code = EXCLUDED.currency_code,
         captured_amount = EXCLUDED.captured_amount, raw_captured_amount = EXCLUDED.raw_captured_amount,
         refunded_amount = EXCLUDED.refunded_amount, raw_refunded_amount = EXCLUDED.raw_refunded_amount,
         canceled = EXCLUDED.canceled, account = EXCLUDED.account, updated_at = now()
       WHERE (r.status = 'skipped' AND ${thisAccountSql("r", this.account_)})
          OR (? AND ${otherAccountSql("r", this.account_)} AND (r.status <> 'pending' OR ${staleSql("r")}))
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
   * Writes the outcome of a send on the record, if the claim is still this send's (`attempts` is its token), in
   * one guarded statement: a send that outlived its claim must not overwrite the story of the one that took it.
   * A retryable failure gets its next attempt time, or becomes permanent at `reconcile.maxAttempts`.
   * Returns the record as it is.
   */
  @InjectManager()
  async recordPurchaseOutcome(
    claim: RewardClaim,
    outcome: PurchaseOutcome,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<RewardRecord> {
    const fields = this.outcomeFields(claim, outcome)
    const [row] = await sharedContext.manager!.execute(
      `UPDATE woowup_reward SET
         status = ?, reason = ?, error_code = ?, retryable = ?, next_attempt_at = ?,
         synced_at = CASE WHEN ? = 'synced' THEN now() ELSE synced_at END,
         customer_created = customer_created OR ?,
         points = CASE WHEN ? THEN ? ELSE points END, points_unknown = ?,
         heartbeat_at = NULL, last_attempt_at = now(), updated_at = now()
       WHERE id = ? AND status = 'pending' AND attempts = ? AND deleted_at IS NULL
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
    return (row as RewardRecord | undefined) ?? (await this.retrieveWoowupReward(claim.id))
  }

  private outcomeFields(claim: RewardClaim, outcome: PurchaseOutcome) {
    const customer_created = "customer_created" in outcome && outcome.customer_created
    switch (outcome.status) {
      case "synced":
        return {
          status: "synced",
          reason: null,
          error_code: null,
          retryable: false,
          next_attempt_at: null,
          customer_created,
          points: outcome.points,
          points_unknown: outcome.points_unknown,
        }
      case "skipped":
        return {
          status: "skipped",
          reason: outcome.reason,
          error_code: null,
          retryable: false,
          next_attempt_at: null,
          customer_created,
          points: undefined,
          points_unknown: false,
        }
      case "failed": {
        const retry = planRetry({
          attempt: claim.attempts,
          retryable: outcome.retryable,
          maxAttempts: this.options_.reconcile.maxAttempts,
        })
        return {
          status: "failed",
          reason: !retry.retryable && retry.gave_up ? gaveUpReason(claim.attempts, outcome.reason) : outcome.reason,
          error_code: outcome.error.code,
          retryable: retry.retryable,
          next_attempt_at: retry.next_attempt_at,
          customer_created,
          points: undefined,
          points_unknown: false,
        }
      }
    }
  }

  /**
   * Hands a claim back as a retryable failure, due at once, when the run that took it failed before recording an
   * outcome. Only the claim's own record: a reward synced meanwhile (or claimed again) is left as it is.
   */
  @InjectManager()
  async releaseRewardClaim(
    claim: RewardClaim,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<void> {
    await sharedContext.manager!.execute(
      `UPDATE woowup_reward SET status = 'failed', retryable = true, error_code = 'interrupted',
         reason = 'The send was interrupted before its outcome was recorded', heartbeat_at = NULL,
         next_attempt_at = NULL, updated_at = now()
       WHERE id = ? AND status = 'pending' AND attempts = ? AND deleted_at IS NULL`,
      [claim.id, claim.attempts]
    )
  }

  /** The points WoowUp holds for the order's purchase, once found out after they could not be read. */
  @InjectManager()
  async recordPurchasePoints(
    input: { order_id: string; points: number },
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<void> {
    await sharedContext.manager!.execute(
      `UPDATE woowup_reward SET points = ?, points_unknown = false, updated_at = now()
       WHERE order_id = ? AND status = 'synced' AND points_unknown AND deleted_at IS NULL`,
      [input.points, input.order_id]
    )
  }

  // -------------------------------------------------------------------------------------------------------------
  // Points adjustments: later captures add, refunds and cancelations take back

  /**
   * Records, under a lock on the order, the points adjustment that takes what WoowUp holds for the order (the
   * purchase's points and every adjustment not refused) to `target_points`: positive for a later capture, negative
   * for a refund or a cancelation. Computed from the rows inside the lock, so concurrent runs converge on the
   * target instead of adding up, and only if the order's payments are still those the target was planned on (a run
   * that planned on older payments must not undo a newer one's points). Nothing is recorded while an adjustment of
   * the order was refused by WoowUp (an admin's resync opens it again) or while the purchase's points are unknown.
   * Returns the new adjustment, or null.
   */
  @InjectManager()
  async recordPointsAdjustment(
    input: RecordPointsAdjustmentInput,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<PointsAdjustmentRecord | null> {
    return await this.recordPointsAdjustment_(input, sharedContext)
  }

  @InjectTransactionManager()
  protected async recordPointsAdjustment_(
    input: RecordPointsAdjustmentInput,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<PointsAdjustmentRecord | null> {
    const manager = sharedContext.transactionManager!
    await manager.execute("SELECT pg_advisory_xact_lock(hashtext(?))", [`woowup_points:${input.order_id}`])
    const [reward] = await manager.execute(
      `SELECT status, points, points_unknown, invoice_number, identifier, identity
       FROM woowup_reward r WHERE order_id = ? AND deleted_at IS NULL AND ${thisAccountSql("r", this.account_)}`,
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
    // Another account's adjustments went to that account: they count for nothing here (their tokens stay taken).
    const thisAccount = thisAccountSql("a", this.account_)
    const [{ held, refused, count }] = await manager.execute(
      `SELECT COALESCE(SUM(points) FILTER (WHERE status <> 'failed' AND ${thisAccount}), 0)::int AS held,
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
    const [row] = await manager.execute(
      `INSERT INTO woowup_points_adjustment
         (id, order_id, cause, token, points, status, identifier, identity, description, account, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, '${this.account_}', now(), now())
       ON CONFLICT (order_id, token) WHERE deleted_at IS NULL DO NOTHING
       RETURNING *`,
      [
        generateEntityId(undefined, "wupadj"),
        input.order_id,
        cause,
        token,
        owed,
        reward.identifier,
        reward.identity,
        `${adjustmentMark(input.order_id, token)} Medusa ${reward.invoice_number}: ${ADJUSTMENT_WORDS[cause]}`,
      ]
    )
    return (row as PointsAdjustmentRecord | undefined) ?? null
  }

  /** An admin's resync: adjustments WoowUp refused (or that were given up on) are tried again. */
  @InjectManager()
  async reopenFailedAdjustments(
    orderId: string,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<number> {
    const rows = await sharedContext.manager!.execute(
      `UPDATE woowup_points_adjustment a SET status = 'pending', next_attempt_at = NULL, heartbeat_at = NULL, updated_at = now()
       WHERE order_id = ? AND status = 'failed' AND deleted_at IS NULL AND ${thisAccountSql("a", this.account_)}
       RETURNING id`,
      [orderId]
    )
    return rows.length
  }

  /**
   * Takes one of the order's pending adjustments that nobody is working on and whose next attempt is due (any,
   * with `force`). One at a time, so that each claim is fresh when its call starts.
   */
  @InjectManager()
  async claimNextAdjustment(
    input: { order_id: string; force?: boolean },
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<PointsAdjustmentRecord | null> {
    const [row] = await sharedContext.manager!.execute(
      `UPDATE woowup_points_adjustment
       SET attempts = attempts + 1, last_attempt_at = now(), heartbeat_at = now(), updated_at = now()
       WHERE id = (
         SELECT id FROM woowup_points_adjustment a
         WHERE a.order_id = ? AND a.status = 'pending' AND a.deleted_at IS NULL AND ${thisAccountSql("a", this.account_)}
           AND (a.heartbeat_at IS NULL OR ${staleSql("a", "heartbeat_at")})
           AND (? OR a.next_attempt_at IS NULL OR a.next_attempt_at <= now())
         ORDER BY a.created_at
         LIMIT 1
         FOR UPDATE SKIP LOCKED
       )
       RETURNING *`,
      [input.order_id, Boolean(input.force)]
    )
    return (row as PointsAdjustmentRecord | undefined) ?? null
  }

  @InjectManager()
  async heartbeatAdjustment(
    claim: AdjustmentClaim,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<boolean> {
    return await heartbeat(sharedContext.manager!, "woowup_points_adjustment", claim)
  }

  /**
   * Marks, as the call leaves (the client's `beforeSend`), that the adjustment may from now on be in WoowUp whatever
   * the answer, and proves the claim alive. Only on a claim that is this owner's and fresh: a call that waited (for
   * the rate limit, a retry, a stalled process) while another run took the claim over is never sent.
   */
  @InjectManager()
  async markAdjustmentSent(
    claim: AdjustmentClaim,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<boolean> {
    const rows = await sharedContext.manager!.execute(
      `UPDATE woowup_points_adjustment SET sent_at = COALESCE(sent_at, now()), heartbeat_at = now(), updated_at = now()
       WHERE id = ? AND status = 'pending' AND attempts = ? AND deleted_at IS NULL
         AND NOT ${staleSql("woowup_points_adjustment", "heartbeat_at")}
       RETURNING id`,
      [claim.id, claim.attempts]
    )
    return rows.length > 0
  }

  /**
   * Writes what came of an adjustment, if the claim is still this run's: applied; refused by WoowUp (`failed`);
   * or still pending (an error worth retrying, or an outcome not known yet) with its next attempt time, until
   * `reconcile.maxAttempts`.
   */
  @InjectManager()
  async recordAdjustmentOutcome(
    claim: AdjustmentClaim,
    outcome: AdjustmentOutcome,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<PointsAdjustmentRecord> {
    let status: AdjustmentStatus = "applied"
    let reason: string | null = null
    let errorCode: string | null = null
    let nextAttemptAt: Date | null = null
    if (outcome.status === "refused") {
      status = "failed"
      reason = outcome.reason
      errorCode = outcome.error_code
    } else if (outcome.status === "retry") {
      const retry = planRetry({ attempt: claim.attempts, retryable: true, maxAttempts: this.options_.reconcile.maxAttempts })
      status = retry.retryable ? "pending" : "failed"
      reason = retry.retryable ? outcome.reason : gaveUpReason(claim.attempts, outcome.reason)
      errorCode = outcome.error_code
      nextAttemptAt = retry.next_attempt_at
    }
    const [row] = await sharedContext.manager!.execute(
      `UPDATE woowup_points_adjustment SET status = ?, reason = ?, error_code = ?, next_attempt_at = ?,
         applied_at = CASE WHEN ? = 'applied' THEN now() ELSE applied_at END, heartbeat_at = NULL, updated_at = now()
       WHERE id = ? AND status = 'pending' AND attempts = ? AND deleted_at IS NULL
       RETURNING *`,
      [status, reason, errorCode, nextAttemptAt, status, claim.id, claim.attempts]
    )
    return (row as PointsAdjustmentRecord | undefined) ?? (await this.retrieveWoowupPointsAdjustment(claim.id))
  }

  // -------------------------------------------------------------------------------------------------------------
  // The reconcile job's search

  /**
   * One page of orders to reconcile: among the next `scan` orders (by id, so by creation time) after `after_id`
   * and before `to_id`, those with something captured whose record does not say WoowUp holds what they want (see
   * the README, "How the job finds orders"). Or, with `order_ids`, those of these orders that are not converged.
   * One index-backed query on the order's primary key, whatever the size of the store.
   */
  @InjectManager()
  async findOrdersToReconcile(
    input: FindOrdersToReconcileInput,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<{ order_ids: string[]; cursor: string | null }> {
    const byIds = "order_ids" in input
    const page = byIds
      ? `SELECT o.id, (o.canceled_at IS NOT NULL OR o.status = 'canceled') AS canceled FROM "order" o
         WHERE o.id = ANY(string_to_array(?, ',')) AND o.deleted_at IS NULL`
      : `SELECT o.id, (o.canceled_at IS NOT NULL OR o.status = 'canceled') AS canceled FROM "order" o
         WHERE o.id > ? AND o.id < ? AND o.deleted_at IS NULL AND o.is_draft_order = false
         ORDER BY o.id LIMIT ?`
    const due = byIds
      ? `NOT (${rewardConvergedSql("p", this.account_)})${input.other_account ? ` AND ${otherAccountSql("r", this.account_)}` : ""}`
      : reconcileDueSql(input, this.account_)
    // Ids are joined, not passed as an array: the driver would spread an array into a list of parameters.
    const params = byIds ? [input.order_ids.join(",")] : [input.after_id, input.to_id, input.scan]
    // Each order's payments and record through LATERAL subqueries: index lookups per order of the page, whatever
    // the tables' size. As plain joins, PostgreSQL 18 hashed the whole link table (or the reward table) for every
    // page instead: a sequential scan per page, 35 to 50 ms a page at 100,000 orders and growing with the table
    // (measured by `npm run bench`). `LIMIT 1` (one record per order) keeps the planner from flattening it back.
    const [row] = await sharedContext.manager!.execute(
      `WITH page AS (${page}),
       paid AS (
         SELECT page.id, page.canceled, COALESCE(t.captured, 0) AS captured, COALESCE(t.refunded, 0) AS refunded
         FROM page
         LEFT JOIN LATERAL (
           SELECT SUM(pc.captured_amount) AS captured, SUM(pc.refunded_amount) AS refunded
           FROM order_payment_collection opc
           JOIN payment_collection pc ON pc.id = opc.payment_collection_id AND pc.deleted_at IS NULL
           WHERE opc.order_id = page.id AND opc.deleted_at IS NULL
         ) t ON true
       )
       SELECT (SELECT max(id) FROM page) AS cursor,
              COALESCE(array_agg(p.id ORDER BY p.id) FILTER (WHERE p.captured > 0 AND (${due})), '{}') AS order_ids
       FROM paid p
       LEFT JOIN LATERAL (
         SELECT * FROM woowup_reward r WHERE r.order_id = p.id AND r.deleted_at IS NULL LIMIT 1
       ) r ON true`,
      params
    )
    return { order_ids: row?.order_ids ?? [], cursor: row?.cursor ?? null }
  }

  /**
   * One page of the orders whose records have work due whatever the order's age (see work-due.ts), outside the
   * window `[skip_from, skip_to)` of order ids that the job pages through anyway.
   */
  @InjectManager()
  async findOrdersWithWorkDue(
    input: { after_id: string; skip_from: string; skip_to: string; limit: number },
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<{ order_ids: string[]; cursor: string | null }> {
    return await findWorkDue(sharedContext.manager!, this.account_, input)
  }

  /** Which of these orders a live claim holds now, with its owner's last heartbeat. */
  @InjectManager()
  async findHeldOrders(
    orderIds: string[],
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<HeldClaim[]> {
    return await findHeldClaims(sharedContext.manager!, orderIds)
  }

  /** One page (by id) of the orders whose reward record was written for another WoowUp account. */
  @InjectManager()
  async findOtherAccountOrders(
    input: { after_id: string; limit: number },
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<{ order_ids: string[]; cursor: string | null }> {
    const rows = await sharedContext.manager!.execute(
      `SELECT r.order_id FROM woowup_reward r
       WHERE r.deleted_at IS NULL AND r.account IS NOT NULL AND ${otherAccountSql("r", this.account_)} AND r.order_id > ?
       ORDER BY r.order_id LIMIT ?`,
      [input.after_id, input.limit]
    )
    const order_ids = rows.map((r) => r.order_id as string)
    return { order_ids, cursor: order_ids.length < input.limit ? null : order_ids[order_ids.length - 1] }
  }

  /** The ids among `orderIds` that name no order. */
  @InjectManager()
  async findMissingOrders(
    orderIds: string[],
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<string[]> {
    const rows = await sharedContext.manager!.execute(
      `SELECT id FROM unnest(string_to_array(?, ',')) AS wanted(id)
       WHERE NOT EXISTS (SELECT 1 FROM "order" o WHERE o.id = wanted.id AND o.deleted_at IS NULL)`,
      [orderIds.join(",")]
    )
    return rows.map((r) => r.id as string)
  }

  /**
   * How many of this account's orders there are in each status, as the admin shows them (`orderWoowupStatus`): a
   * synced purchase with a failed points adjustment counts as failed. Two index-backed counts (the adjustments' on
   * `status`). Another account's: {@link countOtherAccountRewards}.
   */
  @InjectManager()
  async countRewardsByStatus(
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<Record<RewardStatus, number>> {
    const manager = sharedContext.manager!
    const rows = await manager.execute(
      `SELECT status, COUNT(*)::int AS count FROM woowup_reward r
       WHERE deleted_at IS NULL AND ${thisAccountSql("r", this.account_)} GROUP BY status`
    )
    const counts = Object.fromEntries(REWARD_STATUSES.map((s) => [s, 0])) as Record<RewardStatus, number>
    for (const row of rows) {
      counts[row.status as RewardStatus] = row.count
    }
    const [{ count: adjustmentFailed }] = await manager.execute(
      `SELECT COUNT(DISTINCT a.order_id)::int AS count FROM woowup_points_adjustment a
       JOIN woowup_reward r ON r.order_id = a.order_id AND r.status = 'synced' AND r.deleted_at IS NULL
         AND ${thisAccountSql("r", this.account_)}
       WHERE a.status = 'failed' AND a.deleted_at IS NULL`
    )
    counts.synced -= adjustmentFailed
    counts.failed += adjustmentFailed
    return counts
  }

  /** How many reward records were written for another WoowUp account (on `IDX_woowup_reward_account`). */
  @InjectManager()
  async countOtherAccountRewards(@MedusaContext() sharedContext: Context<SqlEntityManager> = {}): Promise<number> {
    const [row] = await sharedContext.manager!.execute(
      `SELECT COUNT(*)::int AS count FROM woowup_reward r
       WHERE r.deleted_at IS NULL AND r.account IS NOT NULL AND ${otherAccountSql("r", this.account_)}`
    )
    return row?.count ?? 0
  }

  /**
   * The orders whose synced purchase has a failed points adjustment, with the oldest failed one's reason: the admin
   * shows them failed (see order-status.ts). Few (WoowUp rarely refuses), found on the adjustments' `status` index.
   */
  @InjectManager()
  async listOrdersWithFailedAdjustments(
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<Map<string, { reason: string | null; error_code: string | null }>> {
    const rows = await sharedContext.manager!.execute(
      `SELECT DISTINCT ON (a.order_id) a.order_id, a.reason, a.error_code FROM woowup_points_adjustment a
       JOIN woowup_reward r ON r.order_id = a.order_id AND r.status = 'synced' AND r.deleted_at IS NULL
         AND ${thisAccountSql("r", this.account_)}
       WHERE a.status = 'failed' AND a.deleted_at IS NULL
       ORDER BY a.order_id, a.created_at`
    )
    return new Map(rows.map((r) => [r.order_id as string, { reason: r.reason ?? null, error_code: r.error_code ?? null }]))
  }

  /** Job runs left queued or running by a process that died: failed, with the reason. */
  @InjectManager()
  async closeInterruptedJobRuns(@MedusaContext() sharedContext: Context<SqlEntityManager> = {}): Promise<void> {
    await sharedContext.manager!.execute(
      `UPDATE woowup_reconcile_run SET status = 'failed', finished_at = now(), updated_at = now(),
         error = 'Interrupted: the process running it stopped'
       WHERE kind = 'job' AND status IN ('queued', 'running') AND deleted_at IS NULL`
    )
  }

  /** Keeps the newest `keep` run records. */
  @InjectManager()
  async pruneReconcileRuns(
    keep: number,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<void> {
    await sharedContext.manager!.execute(
      `DELETE FROM woowup_reconcile_run WHERE id IN (
         SELECT id FROM woowup_reconcile_run ORDER BY created_at DESC OFFSET ?)`,
      [keep]
    )
  }

  // -------------------------------------------------------------------------------------------------------------
  // Proven identities: the statements are in identity-proofs.ts

  @InjectManager()
  async retrieveIdentityProof(
    customerId: string,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<identityProofs.IdentityProofRecord | null> {
    return await identityProofs.findIdentityProof(sharedContext.manager!, customerId)
  }

  @InjectManager()
  async proveIdentity(
    input: Parameters<typeof identityProofs.proveIdentity>[1],
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ) {
    return await identityProofs.proveIdentity(sharedContext.manager!, input)
  }

  @InjectManager()
  async revokeIdentityProof(
    input: Parameters<typeof identityProofs.revokeIdentityProof>[1],
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ) {
    return await identityProofs.revokeIdentityProof(sharedContext.manager!, input)
  }

  @InjectManager()
  async startIdentityVerification(
    input: Parameters<typeof identityProofs.startVerification>[1],
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ) {
    return await identityProofs.startVerification(sharedContext.manager!, input)
  }

  @InjectManager()
  async dropVerificationCode(
    customerId: string,
    codeHash: string,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<void> {
    await identityProofs.dropVerificationCode(sharedContext.manager!, customerId, codeHash)
  }

  @InjectManager()
  async takeVerificationAttempt(
    customerId: string,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ) {
    return await identityProofs.takeVerificationAttempt(sharedContext.manager!, customerId)
  }

  @InjectManager()
  async confirmVerification(
    input: Parameters<typeof identityProofs.confirmVerification>[1],
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ) {
    return await identityProofs.confirmVerification(sharedContext.manager!, input)
  }

  // -------------------------------------------------------------------------------------------------------------
  // Customer syncs: one record per customer with an account (see models/woowup-customer-sync.ts)

  /**
   * Takes the customer's sync, atomically: creates its record, or takes one that is synced or skipped (the
   * customer changed since), failed for good (the cause may be fixed now), failed with a retryable error whose
   * next attempt is due (any failure with `force`), or pending with a dead owner. Returns null when a live sync
   * holds it, or a retryable failure is not due yet: then {@link markCustomerSyncDirty}.
   */
  @InjectManager()
  async claimCustomerSync(
    input: { customer_id: string; trigger: CustomerSyncTrigger; force?: boolean },
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<CustomerSyncRecord | null> {
    const rows: CustomerSyncRecord[] = await sharedContext.manager!.execute(
      `INSERT INTO woowup_customer_sync AS s
         (id, customer_id, status, trigger, attempts, last_attempt_at, heartbeat_at, created_at, updated_at)
       VALUES (?, ?, 'pending', ?, 1, now(), now(), now(), now())
       ON CONFLICT (customer_id) WHERE deleted_at IS NULL DO UPDATE SET
         status = 'pending', trigger = EXCLUDED.trigger, dirty = false, attempts = s.attempts + 1,
         last_attempt_at = now(), heartbeat_at = now(), updated_at = now()
       WHERE s.status IN ('synced', 'skipped')
          OR (s.status = 'failed' AND (? OR NOT s.retryable OR s.next_attempt_at IS NULL OR s.next_attempt_at <= now()))
          OR (s.status = 'pending' AND ${staleSql("s")})
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
  @InjectManager()
  async markCustomerSyncDirty(
    customerId: string,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<boolean> {
    const rows = await sharedContext.manager!.execute(
      `UPDATE woowup_customer_sync s SET dirty = true, updated_at = now()
       WHERE s.customer_id = ? AND s.deleted_at IS NULL
         AND ((s.status = 'pending' AND NOT ${staleSql("s")})
           OR (s.status = 'failed' AND s.retryable AND s.next_attempt_at > now()))
       RETURNING s.id`,
      [customerId]
    )
    return rows.length > 0
  }

  /** Keeps a customer sync's claim alive while its owner works. False when the claim is no longer this owner's. */
  @InjectManager()
  async heartbeatCustomerSync(
    claim: Pick<CustomerSyncClaim, "id" | "attempts">,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<boolean> {
    return await heartbeat(sharedContext.manager!, "woowup_customer_sync", claim)
  }

  /**
   * Writes the outcome of a customer sync, if the claim is still this sync's, in one guarded statement. A retryable
   * failure gets its next attempt time (1 minute, then 2, 4... per failure in a row), or becomes permanent at
   * `reconcile.maxAttempts` failures in a row. Returns the record as it is (`dirty` says whether to sync again).
   */
  @InjectManager()
  async recordCustomerSyncOutcome(
    claim: CustomerSyncClaim,
    outcome: CustomerSyncOutcome,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<CustomerSyncRecord> {
    let reason: string | null = null
    let errorCode: string | null = null
    let retryable = false
    let nextAttemptAt: Date | null = null
    let failedAttempts = 0
    if (outcome.status === "skipped") {
      reason = outcome.reason
    } else if (outcome.status === "failed") {
      failedAttempts = claim.failed_attempts + 1
      const retry = planRetry({
        attempt: failedAttempts,
        retryable: outcome.retryable,
        maxAttempts: this.options_.reconcile.maxAttempts,
      })
      retryable = retry.retryable
      nextAttemptAt = retry.next_attempt_at
      reason =
        !retry.retryable && retry.gave_up
          ? `Gave up after ${failedAttempts} attempts (resync the customer once the cause is fixed). Last error: ${outcome.reason}`
          : outcome.reason
      errorCode = outcome.error_code
    }
    const synced = outcome.status === "synced" ? outcome : null
    const [row] = await sharedContext.manager!.execute(
      `UPDATE woowup_customer_sync SET
         status = ?, reason = ?, error_code = ?, retryable = ?, next_attempt_at = ?, failed_attempts = ?,
         identifier = CASE WHEN ? THEN ? ELSE identifier END, identity = CASE WHEN ? THEN ? ELSE identity END,
         body_hash = CASE WHEN ? THEN ? ELSE body_hash END,
         synced_at = CASE WHEN ? THEN now() ELSE synced_at END, customer_created = customer_created OR ?,
         account = CASE WHEN ? THEN '${this.account_}' ELSE account END,
         heartbeat_at = NULL, last_attempt_at = now(), updated_at = now()
       WHERE id = ? AND status = 'pending' AND attempts = ? AND deleted_at IS NULL
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
    return (row as CustomerSyncRecord | undefined) ?? (await this.retrieveWoowupCustomerSync(claim.id))
  }

  /** Hands a customer sync's claim back as a retryable failure, due at once, when its run failed unexpectedly. */
  @InjectManager()
  async releaseCustomerSyncClaim(
    claim: Pick<CustomerSyncClaim, "id" | "attempts">,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<void> {
    await sharedContext.manager!.execute(
      `UPDATE woowup_customer_sync SET status = 'failed', retryable = true, error_code = 'interrupted',
         reason = 'The sync was interrupted before its outcome was recorded', heartbeat_at = NULL,
         next_attempt_at = NULL, updated_at = now()
       WHERE id = ? AND status = 'pending' AND attempts = ? AND deleted_at IS NULL`,
      [claim.id, claim.attempts]
    )
  }

  /**
   * One page of customers to sync, by id after `after_id`, and the cursor of the next page (null at the end):
   * - `due`: the job's: failed with a retryable error whose next attempt is due, or pending with a dead owner (on
   *   the record's `(status, next_attempt_at)` and `status` indexes);
   * - `failed`: an admin's resync of the failed ones: every failure, due or not, retryable or not;
   * - `all`: every customer with an account (on the customer table's primary key).
   */
  @InjectManager()
  async findCustomersToSync(
    input: { scope: "due" | "failed" | "all"; after_id: string; limit: number },
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<{ customer_ids: string[]; cursor: string | null }> {
    const sql =
      input.scope === "all"
        ? `SELECT c.id AS cursor, c.id AS customer_id FROM customer c
           WHERE c.id > ? AND c.deleted_at IS NULL AND c.has_account ORDER BY c.id LIMIT ?`
        : `SELECT s.id AS cursor, s.customer_id FROM woowup_customer_sync s
           WHERE s.id > ? AND s.deleted_at IS NULL AND ${
             input.scope === "failed"
               ? "s.status = 'failed'"
               : `((s.status = 'failed' AND s.retryable AND (s.next_attempt_at IS NULL OR s.next_attempt_at <= now()))
                   OR (s.status = 'pending' AND ${staleSql("s")}))`
           }
           ORDER BY s.id LIMIT ?`
    const rows = await sharedContext.manager!.execute(sql, [input.after_id, input.limit])
    return {
      customer_ids: rows.map((r) => r.customer_id as string),
      cursor: rows.length < input.limit ? null : (rows[rows.length - 1].cursor as string),
    }
  }

  /** How many customers a resync of `all` (or of the failed ones) looks at. */
  @InjectManager()
  async countCustomersToSync(
    scope: "failed" | "all",
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<number> {
    const [row] = await sharedContext.manager!.execute(
      scope === "all"
        ? `SELECT COUNT(*)::int AS count FROM customer WHERE deleted_at IS NULL AND has_account`
        : `SELECT COUNT(*)::int AS count FROM woowup_customer_sync WHERE deleted_at IS NULL AND status = 'failed'`
    )
    return row?.count ?? 0
  }

  /** The ids among `customerIds` that name no customer. */
  @InjectManager()
  async findMissingCustomers(
    customerIds: string[],
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<string[]> {
    const rows = await sharedContext.manager!.execute(
      `SELECT id FROM unnest(string_to_array(?, ',')) AS wanted(id)
       WHERE NOT EXISTS (SELECT 1 FROM customer c WHERE c.id = wanted.id AND c.deleted_at IS NULL)`,
      [customerIds.join(",")]
    )
    return rows.map((r) => r.id as string)
  }

  __hooks = {
    onApplicationShutdown: async () => {
      await this.client_.close()
    },
  }
}

/** Proves a claim's owner alive; false when the claim (its token, `attempts`) is no longer the caller's. */
async function heartbeat(
  manager: SqlEntityManager,
  table: "woowup_reward" | "woowup_points_adjustment" | "woowup_customer_sync",
  claim: { id: string; attempts: number }
): Promise<boolean> {
  const rows = await manager.execute(
    `UPDATE ${table} SET heartbeat_at = now()
     WHERE id = ? AND status = 'pending' AND attempts = ? AND deleted_at IS NULL RETURNING id`,
    [claim.id, claim.attempts]
  )
  return rows.length > 0
}

const ADJUSTMENT_WORDS: Record<AdjustmentCause, string> = {
  capture: "points for a later capture",
  refund: "points taken back for a refund",
  cancel: "points taken back, order canceled",
}

export { adjustmentMark }

/**
 * Each order of `o` (an "order" alias, filtered by the caller) with what was captured and refunded on it and
 * whether it was canceled: what the order wants from WoowUp, as Medusa's payment module keeps it.
 */
const ORDER_PAYMENTS_SQL = `
  SELECT o.id, (o.canceled_at IS NOT NULL OR o.status = 'canceled') AS canceled,
         COALESCE(SUM(pc.captured_amount), 0) AS captured, COALESCE(SUM(pc.refunded_amount), 0) AS refunded
  FROM "order" o
  LEFT JOIN order_payment_collection opc ON opc.order_id = o.id AND opc.deleted_at IS NULL
  LEFT JOIN payment_collection pc ON pc.id = opc.payment_collection_id AND pc.deleted_at IS NULL`

/**
 * Whether the record `alias` may be taken again by a claim: failed with a retryable error whose next attempt is due,
 * or any failure when forced; or pending with a dead owner. Two parameters: force, then "due now".
 */
function retakableSql(alias: string): string {
  return `((${alias}.status = 'failed' AND (? OR (${alias}.retryable AND (? OR ${alias}.next_attempt_at IS NULL OR ${alias}.next_attempt_at <= now()))))
    OR (${alias}.status = 'pending' AND ${staleSql(alias)}))`
}

/**
 * Whether WoowUp holds what the order of `p` (with `captured`, `refunded`, `canceled`) wants, by its record `r`:
 * synced (or skipped) on these very payments, points known, no adjustment pending or failed.
 */
function rewardConvergedSql(p: string, account: string): string {
  return `r.id IS NOT NULL AND r.status IN ('synced', 'skipped') AND NOT r.points_unknown
    AND ${thisAccountSql("r", account)}
    AND r.captured_amount = ${p}.captured AND r.refunded_amount = ${p}.refunded AND r.canceled = ${p}.canceled
    AND NOT ${unsettledAdjustmentSql("r", account)}`
}

/**
 * Whether the order of the record `r` has a points adjustment (of this account) WoowUp does not hold: pending, or
 * failed (refused, or given up on). A failed one blocks the order's later adjustments (one could be applied after
 * all by a resync, and take back twice), so the order is owed points until an admin's resync settles it.
 */
function unsettledAdjustmentSql(r: string, account: string, statuses = "'pending', 'failed'"): string {
  return `EXISTS (SELECT 1 FROM woowup_points_adjustment a
    WHERE a.order_id = ${r}.order_id AND a.status IN (${statuses}) AND a.deleted_at IS NULL
      AND ${thisAccountSql("a", account)})`
}

/**
 * Whether the job should take the order of `p` (something captured) through the workflow now: no record (the
 * event never came); skipped on payments that changed since; synced on payments that changed since; work the
 * record already knows about (see work-due.ts), including a claim another run holds: the run revisits it; or a
 * failed adjustment (the run reports the order failed; only an admin's resync of the order sends it again).
 * Another account's records are left alone.
 */
function reconcileDueSql(input: { only_failed?: boolean; ignore_spacing?: boolean }, account: string): string {
  const failedDue = `(${thisAccountSql("r", account)} AND r.status = 'failed' AND r.retryable${
    input.ignore_spacing ? "" : " AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= now())"
  })`
  if (input.only_failed) {
    return `(${failedDue} OR (${thisAccountSql("r", account)} AND r.status = 'synced'
      AND ${unsettledAdjustmentSql("r", account, "'failed'")}))`
  }
  const changed = `(r.captured_amount IS DISTINCT FROM p.captured OR r.refunded_amount IS DISTINCT FROM p.refunded
    OR r.canceled IS DISTINCT FROM p.canceled)`
  // One probe of the adjustments per synced order: failed, or pending, unowned and due.
  return `r.id IS NULL
    OR (${thisAccountSql("r", account)} AND r.status IN ('skipped', 'synced') AND ${changed})
    OR ${rewardWorkSql("r", input, account)}
    OR (${thisAccountSql("r", account)} AND r.status = 'synced' AND EXISTS (
      SELECT 1 FROM woowup_points_adjustment a WHERE a.order_id = r.order_id
        AND (${adjustmentWorkSql("a", input, account)}
          OR (a.status = 'failed' AND a.deleted_at IS NULL AND ${thisAccountSql("a", account)}))))`
}

// Medusa keeps a bigNumber column's exact value beside it, as JSON.
function rawAmount(amount: number | string): string {
  return JSON.stringify({ value: String(amount), precision: 20 })
}
