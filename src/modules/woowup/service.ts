import { InjectManager, InjectTransactionManager, MedusaContext } from "@medusajs/framework/utils"
import type { Ctx } from "./engine/feed-service"
import { WoowupRunService } from "./run-service"
import * as identityProofs from "./identity-proofs"
import type { RewardTrigger } from "./models/woowup-reward"
import * as adjustments from "./records/adjustments"
import * as branches from "./records/branches"
import { syncActivity, type SyncActivity } from "./records/sync-activity"
import * as reconcileQuery from "./records/reconcile-query"
import * as redemptions from "./records/redemptions"
import * as rewardCounts from "./records/reward-counts"
import * as rewards from "./records/rewards"
import * as runs from "./records/runs"
import { findHeldClaims, findWorkDue, type HeldClaim } from "./work-due"

import type { OrderPayments } from "./records/convergence"
import type { ClaimRewardInput, OrderSyncState, PurchaseOutcome, RecordRewardSkipInput } from "./records/rewards"
import type { RewardClaim, RewardRecord } from "./records/rewards"
import type { AdjustmentClaim, AdjustmentOutcome, PointsAdjustmentRecord } from "./records/adjustments"
import type { RecordPointsAdjustmentInput } from "./records/adjustments"
import type { FeedName } from "./engine/feed-tables"
import type { FeedSyncClaim, FeedSyncOutcome, FeedSyncRecord } from "./engine/feed-records"
import type { FindOrdersToReconcileInput } from "./records/reconcile-query"
import type { ReconcileRunRecord } from "./records/runs"

// What callers import from here; each lives with its concern.
export { CLAIM_HEARTBEAT_MS, CLAIM_STALE_MS } from "./engine/claim-timing"
export { adjustmentMark } from "./rules/movements"
export type { OrderPayments, ClaimRewardInput, OrderSyncState, PurchaseOutcome, RecordRewardSkipInput, RewardClaim }
export type { RewardRecord, AdjustmentClaim, AdjustmentOutcome, PointsAdjustmentRecord, RecordPointsAdjustmentInput }
export type { FeedName, FeedSyncClaim, FeedSyncOutcome, FeedSyncRecord, ReconcileRunRecord }
export type { CustomerSyncRecord } from "./engine/feed-records"
export type { FindOrdersToReconcileInput }
export type { SyncActivity } from "./records/sync-activity"
export type { HistoryOrder } from "./records/history-orders"
export type { RunAction, RunProgress } from "./records/resumable-runs"
export type { PointsHoldRecord, HoldPointsInput } from "./records/redemptions"
export type { FeedFailure, FeedStatus, StatusFeedName } from "./engine/feed-status"

/** What a statement of identity-proofs.ts takes besides the manager. */
type ProofInput<K extends "proveIdentity" | "revokeIdentityProof" | "startVerification" | "confirmVerification"> =
  Parameters<(typeof identityProofs)[K]>[1]

/**
 * The plugin's records: one reward per order (what WoowUp holds for it and how the last send went), the points
 * adjustments made after the purchase, the reconcile runs and the proven identities; the runs that survive their
 * process come from run-service.ts, each feed's syncs and what every record shares from engine/feed-service.ts. Claims on them are atomic statements, so any number of paths and
 * processes can work on the same entity and exactly one sends. The statements live with their concern (engine/,
 * records/, identity-proofs.ts, work-due.ts); the WoowUp calls are made by the workflow steps, through `client`.
 */
export default class WoowupModuleService extends WoowupRunService {
  // What WoowUp holds for an order, and whether it matches the order as it is now (records/rewards.ts)

  /** The order's reward record, its payments now, and whether WoowUp already holds what it wants. */
  @InjectManager()
  async getOrderSyncState(orderId: string, @MedusaContext() sharedContext: Ctx = {}): Promise<OrderSyncState | null> {
    return await rewards.getOrderSyncState(sharedContext.manager!, this.account_, orderId)
  }

  /** Notes on the record that WoowUp holds what the order wants, as the order was (`payments`). */
  @InjectManager()
  async recordRewardConverged(
    input: { order_id: string; payments: OrderPayments },
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<void> {
    await rewards.recordRewardConverged(sharedContext.manager!, this.account_, input)
  }

  // The reward record and its claim (records/rewards.ts)

  /** Takes the order's reward for sending, atomically; null when another path holds it or it is synced. */
  @InjectManager()
  async claimReward(input: ClaimRewardInput, @MedusaContext() sharedContext: Ctx = {}): Promise<RewardRecord | null> {
    return await rewards.claimReward(sharedContext.manager!, this.account_, input)
  }

  /** Takes, for a check, a record whose purchase WoowUp may hold while its order now wants none. */
  @InjectManager()
  async claimRewardCheck(
    input: { order_id: string; trigger: RewardTrigger; force?: boolean; retry_now?: boolean },
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<RewardRecord | null> {
    return await rewards.claimRewardCheck(sharedContext.manager!, this.account_, input)
  }

  /** Notes the order's own identity when it is no longer the one its purchase was sent under. */
  @InjectManager()
  async recordCurrentIdentity(
    input: { order_id: string; identity: { field: string; value: string } | null },
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<void> {
    await rewards.recordCurrentIdentity(sharedContext.manager!, input)
  }

  /** Records that the rules give this order nothing to send (yet); never over a real outcome. */
  @InjectManager()
  async recordRewardSkip(
    input: RecordRewardSkipInput,
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<RewardRecord | null> {
    return await rewards.recordRewardSkip(sharedContext.manager!, this.account_, input)
  }

  /** Writes a send's outcome if the claim is still its own (`attempts`); returns the record as it is. */
  @InjectManager()
  async recordPurchaseOutcome(
    claim: RewardClaim,
    outcome: PurchaseOutcome,
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<RewardRecord> {
    const maxAttempts = this.options_.reconcile.maxAttempts
    const row = await rewards.recordPurchaseOutcome(sharedContext.manager!, claim, outcome, maxAttempts)
    return row ?? (await this.retrieveWoowupReward(claim.id))
  }

  /** The points WoowUp holds for the order's purchase, once found out after they could not be read. */
  @InjectManager()
  async recordPurchasePoints(
    input: { order_id: string; points: number },
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<void> {
    await rewards.recordPurchasePoints(sharedContext.manager!, input)
  }

  // Points adjustments: later captures add, refunds and cancelations take back (records/adjustments.ts)

  /** Records, under a lock on the order, the adjustment that takes its points to `target_points` (or null). */
  @InjectManager()
  async recordPointsAdjustment(
    input: RecordPointsAdjustmentInput,
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<PointsAdjustmentRecord | null> {
    return await this.recordPointsAdjustment_(input, sharedContext)
  }

  @InjectTransactionManager()
  protected async recordPointsAdjustment_(
    input: RecordPointsAdjustmentInput,
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<PointsAdjustmentRecord | null> {
    return await adjustments.recordPointsAdjustment(sharedContext.transactionManager!, this.account_, input)
  }

  /** An admin's resync: adjustments WoowUp refused (or that were given up on) are tried again. */
  @InjectManager()
  async reopenFailedAdjustments(orderId: string, @MedusaContext() sharedContext: Ctx = {}): Promise<number> {
    return await adjustments.reopenFailedAdjustments(sharedContext.manager!, this.account_, orderId)
  }

  /** Takes one of the order's pending adjustments that nobody works on and whose attempt is due. */
  @InjectManager()
  async claimNextAdjustment(
    input: { order_id: string; force?: boolean },
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<PointsAdjustmentRecord | null> {
    return await adjustments.claimNextAdjustment(sharedContext.manager!, this.account_, input)
  }

  /** As the call leaves: the adjustment may be in WoowUp from now on. False when the claim is not fresh. */
  @InjectManager()
  async markAdjustmentSent(claim: AdjustmentClaim, @MedusaContext() sharedContext: Ctx = {}): Promise<boolean> {
    return await adjustments.markAdjustmentSent(sharedContext.manager!, claim)
  }

  /** Writes what came of an adjustment if the claim is still this run's; returns the record as it is. */
  @InjectManager()
  async recordAdjustmentOutcome(
    claim: AdjustmentClaim,
    outcome: AdjustmentOutcome,
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<PointsAdjustmentRecord> {
    const maxAttempts = this.options_.reconcile.maxAttempts
    const row = await adjustments.recordAdjustmentOutcome(sharedContext.manager!, claim, outcome, maxAttempts)
    return row ?? (await this.retrieveWoowupPointsAdjustment(claim.id))
  }

  // Points spent at checkout: holds on carts, the debit of the order (records/redemptions.ts)

  /** Holds points on a cart under a lock on the customer, unless `refuse` (given what is available) says why not. */
  @InjectTransactionManager()
  async holdPoints(
    input: redemptions.HoldPointsInput,
    refuse: (available: number) => string | null,
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<{ hold: redemptions.PointsHoldRecord } | { problem: string }> {
    return await redemptions.holdPoints(sharedContext.transactionManager!, this.account_, input, refuse)
  }

  /** What the customer's holds on other carts take from their balance. */
  @InjectManager()
  async otherPointsHolds(customerId: string, cartId: string, @MedusaContext() sharedContext: Ctx = {}): Promise<number> {
    return await redemptions.otherHolds(sharedContext.manager!, this.account_, customerId, cartId)
  }

  @InjectManager()
  async findCartPointsHold(cartId: string, @MedusaContext() sharedContext: Ctx = {}) {
    return await redemptions.findCartHold(sharedContext.manager!, cartId)
  }

  @InjectManager()
  async setPointsHoldPromotion(
    input: { hold_id: string; promotion_id: string; promotion_code: string },
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<void> {
    await redemptions.setHoldPromotion(sharedContext.manager!, input)
  }

  @InjectManager()
  async lowerPointsHold(input: { hold_id: string; points: number; value: number }, @MedusaContext() sharedContext: Ctx = {}) {
    await redemptions.lowerHold(sharedContext.manager!, input)
  }

  @InjectManager()
  async releaseCartPointsHold(cartId: string, @MedusaContext() sharedContext: Ctx = {}) {
    return await redemptions.releaseCartHold(sharedContext.manager!, cartId)
  }

  @InjectManager()
  async lapsePointsHolds(@MedusaContext() sharedContext: Ctx = {}): Promise<number> {
    return await redemptions.lapseHolds(sharedContext.manager!)
  }

  /** The order's hold, spent on it (its cart's hold becomes the order's, once); null without one. */
  @InjectManager()
  async spendOrderPointsHold(orderId: string, @MedusaContext() sharedContext: Ctx = {}) {
    return await redemptions.spendOrderHold(sharedContext.manager!, orderId)
  }

  /** Records the adjustment that takes the order's redemption debit to what the order wants now (or null). */
  @InjectTransactionManager()
  async recordRedemptionAdjustment(
    input: { order_id: string; payments: OrderPayments },
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<PointsAdjustmentRecord | null> {
    const invoice_number = `${this.options_.invoicePrefix}${input.order_id}`
    return await redemptions.recordRedemptionAdjustment(sharedContext.transactionManager!, this.account_, { ...input, invoice_number })
  }

  /** Orders that spent points, the points and their value per currency (the WoowUp page). */
  @InjectManager()
  async countRedemptions(@MedusaContext() sharedContext: Ctx = {}): Promise<redemptions.RedemptionCounts> {
    return await redemptions.countRedemptions(sharedContext.manager!, this.account_)
  }

  @InjectManager()
  async recordRedemptionSettled(input: { order_id: string; payments: OrderPayments }, @MedusaContext() sharedContext: Ctx = {}) {
    await redemptions.recordRedemptionSettled(sharedContext.manager!, this.account_, input)
  }

  // The reconcile job's search (records/reconcile-query.ts, work-due.ts) and the admin's counts

  /** One page of orders to reconcile (or, with `order_ids`, those not converged). */
  @InjectManager()
  async findOrdersToReconcile(
    input: FindOrdersToReconcileInput,
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<{ order_ids: string[]; cursor: string | null }> {
    return await reconcileQuery.findOrdersToReconcile(sharedContext.manager!, this.account_, input)
  }

  /** One page of the orders whose records have work due whatever their age, outside `[skip_from, skip_to)`. */
  @InjectManager()
  async findOrdersWithWorkDue(
    input: { after_id: string; skip_from: string; skip_to: string; limit: number },
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<{ order_ids: string[]; cursor: string | null }> {
    return await findWorkDue(sharedContext.manager!, this.account_, input)
  }

  /** Which of these orders a live claim holds now, with its owner's last heartbeat. */
  @InjectManager()
  async findHeldOrders(orderIds: string[], @MedusaContext() sharedContext: Ctx = {}): Promise<HeldClaim[]> {
    return await findHeldClaims(sharedContext.manager!, orderIds)
  }

  /** One page (by id) of the orders whose reward record was written for another WoowUp account. */
  @InjectManager()
  async findOtherAccountOrders(
    input: { after_id: string; limit: number },
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<{ order_ids: string[]; cursor: string | null }> {
    return await reconcileQuery.findOtherAccountOrders(sharedContext.manager!, this.account_, input)
  }

  /** How many reward records were written for another WoowUp account (on `IDX_woowup_reward_account`). */
  @InjectManager()
  async countOtherAccountRewards(@MedusaContext() sharedContext: Ctx = {}): Promise<number> {
    return await rewardCounts.countOtherAccountRewards(sharedContext.manager!, this.account_)
  }

  /** The orders whose synced purchase has a failed points adjustment, with its reason. */
  @InjectManager()
  async listOrdersWithFailedAdjustments(
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<Map<string, { reason: string | null; error_code: string | null }>> {
    return await rewardCounts.listOrdersWithFailedAdjustments(sharedContext.manager!, this.account_)
  }

  // Reconcile runs (records/runs.ts)

  /** Job runs left queued or running by a process that died: failed, with the reason. */
  @InjectManager()
  async closeInterruptedJobRuns(@MedusaContext() sharedContext: Ctx = {}): Promise<void> {
    await runs.closeInterruptedJobRuns(sharedContext.manager!)
  }

  /** Keeps the newest `keep` run records. */
  @InjectManager()
  async pruneReconcileRuns(keep: number, @MedusaContext() sharedContext: Ctx = {}): Promise<void> {
    await runs.pruneReconcileRuns(sharedContext.manager!, keep)
  }

  // The account's branches (records/branches.ts) and what was synced, for WoowUp's integration stats

  /** The names of the branches the plugin knows this account has. */
  @InjectManager()
  async knownBranches(@MedusaContext() sharedContext: Ctx = {}): Promise<string[]> {
    return await branches.knownBranches(sharedContext.manager!, this.account_)
  }

  /** Notes that this account has the branch (once, whatever the number of processes noting it). */
  @InjectManager()
  async rememberBranch(input: { name: string; is_web: boolean }, @MedusaContext() sharedContext: Ctx = {}): Promise<void> {
    await branches.rememberBranch(sharedContext.manager!, this.account_, input)
  }

  /** What the plugin synced in `since`..`until`, per feed (records/sync-activity.ts). */
  @InjectManager()
  async syncActivity(span: { since: Date; until: Date }, @MedusaContext() sharedContext: Ctx = {}): Promise<SyncActivity> {
    return await syncActivity(sharedContext.manager!, this.account_, span)
  }

  // Proven identities: the statements are in identity-proofs.ts

  @InjectManager()
  async retrieveIdentityProof(
    customerId: string,
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<identityProofs.IdentityProofRecord | null> {
    return await identityProofs.findIdentityProof(sharedContext.manager!, customerId)
  }

  @InjectManager()
  async proveIdentity(input: ProofInput<"proveIdentity">, @MedusaContext() sharedContext: Ctx = {}) {
    return await identityProofs.proveIdentity(sharedContext.manager!, input)
  }

  @InjectManager()
  async revokeIdentityProof(input: ProofInput<"revokeIdentityProof">, @MedusaContext() sharedContext: Ctx = {}) {
    return await identityProofs.revokeIdentityProof(sharedContext.manager!, input)
  }

  @InjectManager()
  async startIdentityVerification(input: ProofInput<"startVerification">, @MedusaContext() sharedContext: Ctx = {}) {
    return await identityProofs.startVerification(sharedContext.manager!, input)
  }

  @InjectManager()
  async dropVerificationCode(
    customerId: string,
    codeHash: string,
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<void> {
    await identityProofs.dropVerificationCode(sharedContext.manager!, customerId, codeHash)
  }

  @InjectManager()
  async takeVerificationAttempt(customerId: string, @MedusaContext() sharedContext: Ctx = {}) {
    return await identityProofs.takeVerificationAttempt(sharedContext.manager!, customerId)
  }

  @InjectManager()
  async confirmVerification(input: ProofInput<"confirmVerification">, @MedusaContext() sharedContext: Ctx = {}) {
    return await identityProofs.confirmVerification(sharedContext.manager!, input)
  }
}
