import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import type { Context, Logger } from "@medusajs/framework/types"
import { InjectManager, MedusaContext, MedusaService } from "@medusajs/framework/utils"
import { accountFingerprint } from "../account"
import { createWoowupClient, type WoowupClient } from "../client"
import WoowupBranch from "../models/woowup-branch"
import WoowupCartActivity from "../models/woowup-cart-activity"
import WoowupCartSync from "../models/woowup-cart-sync"
import WoowupCustomerSync from "../models/woowup-customer-sync"
import WoowupIdentityProof from "../models/woowup-identity-proof"
import WoowupPointsAdjustment from "../models/woowup-points-adjustment"
import WoowupPointsHold from "../models/woowup-points-hold"
import WoowupProductSync from "../models/woowup-product-sync"
import WoowupReconcileRun from "../models/woowup-reconcile-run"
import WoowupReward from "../models/woowup-reward"
import WoowupRunFailure from "../models/woowup-run-failure"
import WoowupInstallation from "../models/woowup-installation"
import { parseWoowupOptions, type WoowupOptions } from "../options"
import * as cartActivity from "../records/cart-activity"
import { findChangedVariants } from "../records/catalog-changes"
import { findMissingIds } from "../records/missing"
import * as runs from "../records/runs"
import { heartbeatClaim, releaseClaim, type ClaimTable, type ClaimToken } from "./claims"
import * as feedRecords from "./feed-records"
import type { FeedSyncClaim, FeedSyncOutcome, FeedSyncRecord } from "./feed-records"
import { feedStatuses, type FeedStatus, type StatusFeedName } from "./feed-status"
import type { FeedName } from "./feed-tables"

type InjectedDependencies = { logger: Logger }

export type Ctx = Context<SqlEntityManager>

/**
 * The part of the module service every feed shares: the options, the client and the account, every record's claim
 * (heartbeat, release), each feed's sync records and what the job discovers for it, and the admin's counts. The
 * orders' rewards, adjustments, runs and proofs are in `service.ts`, which extends it.
 */
export class WoowupFeedService extends MedusaService({
  WoowupReward,
  WoowupPointsAdjustment,
  WoowupReconcileRun,
  WoowupCustomerSync,
  WoowupProductSync,
  WoowupCartSync,
  WoowupCartActivity,
  WoowupIdentityProof,
  WoowupBranch,
  WoowupRunFailure,
  WoowupInstallation,
  WoowupPointsHold,
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

  /** Each feed's counts per status and latest failures, this account's (engine/feed-status.ts). */
  @InjectManager()
  async feedStatuses(@MedusaContext() sharedContext: Ctx = {}): Promise<Record<StatusFeedName, FeedStatus>> {
    return await feedStatuses(sharedContext.manager!, this.account_)
  }

  /** Whether the catalog was never sent nor a backfill asked for (`catalog.backfillOnStart`). */
  @InjectManager()
  async catalogNeverSynced(@MedusaContext() sharedContext: Ctx = {}): Promise<boolean> {
    return await runs.catalogNeverSynced(sharedContext.manager!)
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

  // Cart activity, for the abandoned-cart feed (records/cart-activity.ts)

  /** A cart event: one statement, no read of the cart. */
  @InjectManager()
  async recordCartChanged(cartId: string, @MedusaContext() sharedContext: Ctx = {}): Promise<void> {
    await cartActivity.recordCartChanged(sharedContext.manager!, cartId)
  }

  /** An order was placed from the cart; false when the plugin never saw the cart. */
  @InjectManager()
  async recordCartCompleted(cartId: string, @MedusaContext() sharedContext: Ctx = {}): Promise<boolean> {
    return await cartActivity.recordCartCompleted(sharedContext.manager!, cartId)
  }

  /** A cart's sync takes its activity as it is now (a later change makes it due again). */
  @InjectManager()
  async takeCartActivity(cartId: string, @MedusaContext() sharedContext: Ctx = {}) {
    return await cartActivity.takeCartActivity(sharedContext.manager!, cartId)
  }

  /** One page of the job's carts: abandoned and changed since their last sync, or completed since. */
  @InjectManager()
  async findAbandonedCarts(input: cartActivity.FindAbandonedCartsInput, @MedusaContext() sharedContext: Ctx = {}) {
    return await cartActivity.findAbandonedCarts(sharedContext.manager!, input)
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
