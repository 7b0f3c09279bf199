import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import type { Context, Logger } from "@medusajs/framework/types"
import { InjectManager, InjectTransactionManager, MedusaContext, MedusaService } from "@medusajs/framework/utils"
import { accountFingerprint } from "./account"
import { heartbeatClaim, releaseClaim, type ClaimTable, type ClaimToken } from "./engine/claims"
import { createWoowupClient, type WoowupClient } from "./client"
import * as identityProofs from "./identity-proofs"
import WoowupBranch from "./models/woowup-branch"
import WoowupCustomerSync from "./models/woowup-customer-sync"
import WoowupIdentityProof from "./models/woowup-identity-proof"
import WoowupPointsAdjustment from "./models/woowup-points-adjustment"
import WoowupProductSync from "./models/woowup-product-sync"
import WoowupReconcileRun from "./models/woowup-reconcile-run"
import WoowupReward, { type RewardTrigger } from "./models/woowup-reward"
import { parseWoowupOptions, type WoowupOptions } from "./options"
import * as adjustments from "./records/adjustments"
import * as branches from "./records/branches"
import { syncActivity, type SyncActivity } from "./records/sync-activity"
import * as feedRecords from "./engine/feed-records"
import type { FeedName } from "./engine/feed-tables"
import { findChangedVariants } from "./records/catalog-changes"
import { feedStatuses, type FeedStatus, type StatusFeedName } from "./engine/feed-status"
import { findMissingIds } from "./records/missing"
import * as reconcileQuery from "./records/reconcile-query"
import * as rewardCounts from "./records/reward-counts"
import * as rewards from "./records/rewards"
import * as runs from "./records/runs"
import { findHeldClaims, findWorkDue, type HeldClaim } from "./work-due"

import type { OrderPayments } from "./records/convergence"
import type { ClaimRewardInput, OrderSyncState, PurchaseOutcome, RecordRewardSkipInput } from "./records/rewards"
import type { RewardClaim, RewardRecord } from "./records/rewards"
import type { AdjustmentClaim, AdjustmentOutcome, PointsAdjustmentRecord } from "./records/adjustments"
import type { RecordPointsAdjustmentInput } from "./records/adjustments"
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
export type { FeedFailure, FeedStatus, StatusFeedName } from "./engine/feed-status"

type InjectedDependencies = { logger: Logger }

type Ctx = Context<SqlEntityManager>
/** What a statement of identity-proofs.ts takes besides the manager. */
type ProofInput<K extends "proveIdentity" | "revokeIdentityProof" | "startVerification" | "confirmVerification"> =
  Parameters<(typeof identityProofs)[K]>[1]

/**
 * The plugin's records: one reward per order (what WoowUp holds for it and how the last send went), the points
 * adjustments made after the purchase, each feed's syncs (customers, product variants), the reconcile runs and the
 * proven identities. Claims on them are atomic statements, so any number of paths and processes can work on the
 * same entity and exactly one sends. The statements live with their concern (engine/ for what every record shares,
 * records/, identity-proofs.ts, work-due.ts); the WoowUp calls are made by the workflow steps, through `client`.
 */
export default class WoowupModuleService extends MedusaService({
  WoowupReward,
  WoowupPointsAdjustment,
  WoowupReconcileRun,
  WoowupCustomerSync,
  WoowupProductSync,
  WoowupIdentityProof,
  WoowupBranch,
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

  // The account's branches (records/branches.ts)

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

  /**
   * Keeps a claim (a reward's, a points adjustment's, a feed sync's) alive while its owner works. False when the
   * claim is no longer this owner's (engine/claims.ts).
   */
  @InjectManager()
  async heartbeatClaim(table: ClaimTable, claim: ClaimToken, @MedusaContext() sharedContext: Ctx = {}): Promise<boolean> {
    return await heartbeatClaim(sharedContext.manager!, table, claim)
  }

  /** Hands a claim back as a retryable failure, due at once, when its run failed before recording an outcome. */
  @InjectManager()
  async releaseClaim(
    table: Exclude<ClaimTable, "woowup_points_adjustment">,
    claim: ClaimToken,
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<void> {
    await releaseClaim(sharedContext.manager!, table, claim, "Interrupted before its outcome was recorded")
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

  /** Each feed's counts per status and latest failures, this account's (engine/feed-status.ts). */
  @InjectManager()
  async feedStatuses(@MedusaContext() sharedContext: Ctx = {}): Promise<Record<StatusFeedName, FeedStatus>> {
    return await feedStatuses(sharedContext.manager!, this.account_)
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

  /** Whether the catalog was never sent nor a backfill asked for (`catalog.backfillOnStart`). */
  @InjectManager()
  async catalogNeverSynced(@MedusaContext() sharedContext: Ctx = {}): Promise<boolean> {
    return await runs.catalogNeverSynced(sharedContext.manager!)
  }

  /** Keeps the newest `keep` run records. */
  @InjectManager()
  async pruneReconcileRuns(keep: number, @MedusaContext() sharedContext: Ctx = {}): Promise<void> {
    await runs.pruneReconcileRuns(sharedContext.manager!, keep)
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

  // Feed syncs: one record per customer, product variant... claimed and written the same way (engine/)

  /** Takes the entity's sync, atomically; null when it is held or not due (then markFeedSyncDirty). */
  @InjectManager()
  async claimFeedSync(
    feed: FeedName,
    input: { entity_id: string; trigger: string; force?: boolean },
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<FeedSyncRecord | null> {
    return await feedRecords.claimFeedSync(sharedContext.manager!, feed, input)
  }

  /** The entity changed while its sync is held: the owner syncs once more. False when not held. */
  @InjectManager()
  async markFeedSyncDirty(feed: FeedName, entityId: string, @MedusaContext() sharedContext: Ctx = {}): Promise<boolean> {
    return await feedRecords.markFeedSyncDirty(sharedContext.manager!, feed, entityId)
  }

  /** Writes a sync's outcome if the claim is still its own; the record as it is (`dirty`: sync again). */
  @InjectManager()
  async recordFeedSyncOutcome(
    feed: FeedName,
    claim: FeedSyncClaim,
    outcome: FeedSyncOutcome,
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<FeedSyncRecord> {
    const manager = sharedContext.manager!
    const maxAttempts = this.options_.reconcile.maxAttempts
    const row = await feedRecords.recordFeedSyncOutcome(manager, feed, this.account_, claim, outcome, maxAttempts)
    return row ?? (await feedRecords.retrieveFeedSync(manager, feed, String(claim.id), "id"))!
  }

  /** One page of a feed's entities to sync (`due`, `failed` or `all`), and the next page's cursor. */
  @InjectManager()
  async findFeedSyncs(
    feed: FeedName,
    input: { scope: "due" | "failed" | "all"; after_id: string; limit: number },
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<{ ids: string[]; cursor: string | null }> {
    return await feedRecords.findFeedSyncs(sharedContext.manager!, feed, input)
  }

  /** How many entities a resync of `all` (or of the failed ones) looks at. */
  @InjectManager()
  async countFeedSyncs(feed: FeedName, scope: "failed" | "all", @MedusaContext() sharedContext: Ctx = {}): Promise<number> {
    return await feedRecords.countFeedSyncs(sharedContext.manager!, feed, scope)
  }

  /** One page of product variants that changed since their last sync, without an event having said so. */
  @InjectManager()
  async findChangedVariants(
    input: { after_id: string; limit: number; since: Date },
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<{ ids: string[]; cursor: string | null }> {
    return await findChangedVariants(sharedContext.manager!, input)
  }

  /** The ids among `ids` that name no order, customer or product (a resync of named ones says which). */
  @InjectManager()
  async findMissing(
    entity: "order" | "customer" | "product",
    ids: string[],
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<string[]> {
    return await findMissingIds(sharedContext.manager!, entity === "order" ? '"order"' : entity, ids)
  }

  __hooks = {
    onApplicationShutdown: async () => {
      await this.client_.close()
    },
  }
}
