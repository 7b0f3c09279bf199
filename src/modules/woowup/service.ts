import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import type { Context, InferTypeOf, Logger } from "@medusajs/framework/types"
import {
  generateEntityId,
  InjectManager,
  InjectTransactionManager,
  MedusaContext,
  MedusaService,
} from "@medusajs/framework/utils"
import { isWoowupError, WOOWUP_API_CODES, WoowupClient, WOOWUP_CLIENT_CODES, type WoowupErrorJSON } from "./client"
import WoowupPointsAdjustment from "./models/woowup-points-adjustment"
import WoowupReconcileRun from "./models/woowup-reconcile-run"
import WoowupReward, { type RewardTrigger } from "./models/woowup-reward"
import { parseWoowupOptions, type WoowupOptions } from "./options"
import type { RewardSend, RewardSkip } from "./rules"
import { secondaryIdentifiers, withoutSecondaryIdentifiers } from "./rules/identity"

type InjectedDependencies = {
  logger: Logger
}

export type RewardRecord = InferTypeOf<typeof WoowupReward>

/** A claimed reward: its id, and `attempts` as the claim's token. */
export type RewardClaim = Pick<RewardRecord, "id" | "attempts">

export type RecordRewardSkipInput = { order_id: string; trigger: RewardTrigger; skip: RewardSkip }

/** What came of sending one order's purchase to WoowUp. */
export type PurchaseOutcome =
  /** `points`: what WoowUp holds for the purchase (see `pointsAlreadyThere`). */
  | { status: "synced"; customer_created: boolean; points: number | null }
  | { status: "skipped"; reason: string }
  | { status: "failed"; reason: string; error: WoowupErrorJSON; retryable: boolean; customer_created: boolean }

export type PointsAdjustmentRecord = InferTypeOf<typeof WoowupPointsAdjustment>

// How far back a customer's WoowUp transactions are searched for an adjustment whose outcome was unknown.
const TRANSACTION_PAGES_SEARCHED = 10

export type ClaimRewardInput = {
  order_id: string
  trigger: RewardTrigger
  plan: RewardSend
  /** An admin's resync may also take a permanently failed record. */
  force?: boolean
}

export default class WoowupModuleService extends MedusaService({ WoowupReward, WoowupPointsAdjustment, WoowupReconcileRun }) {
  protected readonly options_: WoowupOptions
  protected readonly client_: WoowupClient
  protected readonly logger_: Logger

  constructor(container: InjectedDependencies, options: unknown) {
    super(...arguments)
    this.options_ = parseWoowupOptions(options)
    this.logger_ = container.logger
    this.client_ = new WoowupClient({
      apiKey: this.options_.apiKey,
      apiUrl: this.options_.apiUrl,
      timeoutMs: this.options_.timeoutMs,
      maxRetries: this.options_.maxRetries,
      requestsPerMinute: this.options_.requestsPerMinute,
      retryBaseDelayMs: this.options_.retryBaseDelayMs,
      retryMaxDelayMs: this.options_.retryMaxDelayMs,
      logger: {
        debug: (m) => this.logger_.debug(m),
        info: (m) => this.logger_.info(m),
        warn: (m) => this.logger_.warn(m),
        error: (m) => this.logger_.error(m),
      },
    })
  }

  /** The WoowUp client, for the steps that orchestrate WoowUp calls. It never exposes the API key. */
  get client(): WoowupClient {
    return this.client_
  }

  /** The validated options, for the rules; the API key stays inside the module. */
  async getOptions(): Promise<Omit<WoowupOptions, "apiKey">> {
    const { apiKey: _apiKey, ...options } = this.options_
    return options
  }

  /**
   * A claim (of a reward or a points adjustment) left unfinished longer than this belongs to a process that died:
   * it may be taken again. Longer than the slowest send can take: up to four calls (purchase, customer, purchase,
   * read back), each with all its retries at the longest wait, plus room for the rate limiter's queue.
   */
  get staleClaimMs(): number {
    const { timeoutMs, maxRetries, retryMaxDelayMs } = this.options_
    const slowestCall = (maxRetries + 1) * timeoutMs + maxRetries * Math.max(retryMaxDelayMs, 60_000)
    return 4 * slowestCall + 10 * 60_000
  }

  /**
   * Takes the order's reward for sending, atomically: creates its record, or takes one that was skipped,
   * failed with a retryable error (any failure when `force`), or was left pending by a dead process.
   * Returns null when another path holds it or it is already synced: then there is nothing to send.
   */
  @InjectManager()
  async claimReward(
    input: ClaimRewardInput,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<RewardRecord | null> {
    const { plan } = input
    const rows: RewardRecord[] = await sharedContext.manager!.execute(
      `INSERT INTO woowup_reward AS r
         (id, order_id, status, trigger, invoice_number, identifier, identity, points, amount, raw_amount,
          currency_code, attempts, last_attempt_at, created_at, updated_at)
       VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?::jsonb, ?, 1, now(), now(), now())
       ON CONFLICT (order_id) WHERE deleted_at IS NULL DO UPDATE SET
         status = 'pending', trigger = EXCLUDED.trigger, reason = NULL, error_code = NULL, retryable = false,
         invoice_number = EXCLUDED.invoice_number, identifier = EXCLUDED.identifier, identity = EXCLUDED.identity,
         points = EXCLUDED.points, amount = EXCLUDED.amount, raw_amount = EXCLUDED.raw_amount,
         currency_code = EXCLUDED.currency_code, attempts = r.attempts + 1, last_attempt_at = now(), updated_at = now()
       WHERE r.status = 'skipped'
          OR (r.status = 'failed' AND (r.retryable OR ?))
          OR (r.status = 'pending' AND r.last_attempt_at < now() - (? * interval '1 millisecond'))
       RETURNING *`,
      [
        generateEntityId(undefined, "wurew"),
        input.order_id,
        input.trigger,
        plan.invoice_number,
        plan.identity.field,
        plan.identity.value,
        plan.points,
        plan.amount,
        rawAmount(plan.amount),
        plan.currency_code,
        Boolean(input.force),
        this.staleClaimMs,
      ]
    )
    return rows[0] ?? null
  }

  /**
   * Records that the rules give this order nothing to send (yet). Never overwrites a record that is pending,
   * synced or failed: a skip decided on stale data must not hide a real outcome.
   */
  @InjectManager()
  async recordRewardSkip(
    input: RecordRewardSkipInput,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<RewardRecord | null> {
    const { skip } = input
    const rows: RewardRecord[] = await sharedContext.manager!.execute(
      `INSERT INTO woowup_reward AS r
         (id, order_id, status, trigger, reason, invoice_number, identifier, identity, amount, raw_amount,
          currency_code, created_at, updated_at)
       VALUES (?, ?, 'skipped', ?, ?, ?, ?, ?, ?, ?::jsonb, ?, now(), now())
       ON CONFLICT (order_id) WHERE deleted_at IS NULL DO UPDATE SET
         trigger = EXCLUDED.trigger, reason = EXCLUDED.reason, invoice_number = EXCLUDED.invoice_number,
         identifier = EXCLUDED.identifier, identity = EXCLUDED.identity, amount = EXCLUDED.amount,
         raw_amount = EXCLUDED.raw_amount, currency_code = EXCLUDED.currency_code, updated_at = now()
       WHERE r.status = 'skipped'
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
      ]
    )
    return rows[0] ?? null
  }

  /**
   * Writes the outcome of a send on the record, if the claim is still this send's: `claim` is the record as
   * claimed, and its `attempts` is the claim's token. A send that outlived its claim (taken over as stale) must
   * not overwrite the story of the one that took it. Returns the record as it is.
   */
  async recordPurchaseOutcome(claim: RewardClaim, outcome: PurchaseOutcome): Promise<RewardRecord> {
    await this.updateWoowupRewards({
      selector: { id: claim.id, status: "pending", attempts: claim.attempts },
      data: { last_attempt_at: new Date(), ...outcomeFields(outcome) },
    })
    return (await this.retrieveWoowupReward(claim.id))
  }

  /**
   * Hands a claim back as a retryable failure when the run that took it failed before recording an outcome.
   * Only the claim's own record: a reward synced meanwhile (or claimed again) is left as it is.
   */
  async releaseRewardClaim(claim: RewardClaim): Promise<void> {
    await this.updateWoowupRewards({
      selector: { id: claim.id, status: "pending", attempts: claim.attempts },
      data: {
        status: "failed",
        retryable: true,
        error_code: "interrupted",
        reason: "The send was interrupted before its outcome was recorded",
      },
    })
  }

  /**
   * Sends the order's purchase with as few calls as possible: the purchase first (a returning customer costs
   * one call); on `user_not_found` the customer is created and the purchase sent again. A duplicate invoice
   * number means WoowUp already has it. Never throws for a WoowUp failure: it is the outcome.
   */
  async sendPurchase(plan: RewardSend): Promise<PurchaseOutcome> {
    let customerCreated = false
    try {
      let result
      try {
        result = await this.client_.createPurchase(plan.purchase)
      } catch (e) {
        if (!isWoowupError(e) || e.code !== WOOWUP_API_CODES.USER_NOT_FOUND) {
          throw e
        }
        if (!this.options_.createCustomers) {
          return { status: "skipped", reason: "customer_not_in_woowup" }
        }
        await this.createCustomer(plan)
        customerCreated = true
        result = await this.client_.createPurchase(plan.purchase)
      }
      if (result.outcome === "duplicate") {
        return { status: "synced", customer_created: customerCreated, points: await this.pointsAlreadyThere(plan) }
      }
      return { status: "synced", customer_created: customerCreated, points: plan.points }
    } catch (e) {
      if (!isWoowupError(e)) {
        throw e
      }
      // WoowUp may take a moment to know a customer it just created: that `user_not_found` is worth a retry.
      const retryable = e.retryable || (customerCreated && e.code === WOOWUP_API_CODES.USER_NOT_FOUND)
      return { status: "failed", reason: e.message, error: e.toJSON(), retryable, customer_created: customerCreated }
    }
  }

  /**
   * A purchase WoowUp already had may have been sent by an earlier attempt, planned on less captured (a process
   * that died mid-send before a later capture). Its points, as WoowUp holds them, go on the record, so that the
   * top-up of later captures counts from what the customer really got. When WoowUp's answer has no points, the
   * plan's are the best knowledge; when it cannot be read, the send is a retryable failure.
   */
  private async pointsAlreadyThere(plan: RewardSend): Promise<number | null> {
    if (plan.points == null) {
      return null
    }
    const purchase = await this.client_.findPurchase(plan.invoice_number)
    return typeof purchase?.points === "number" ? purchase.points : plan.points
  }

  /**
   * WoowUp matches customers on any identifier, so "already exists" may be about a secondary one (a phone shared by
   * a household): then the customer is created again without them, names and address kept (one more call, only
   * in that case). When only the identity is left, another path created this customer at the same moment: as
   * good as created. Purchases carry only the identity, so they never land on the customer owning the phone.
   */
  private async createCustomer(plan: RewardSend) {
    const exists = (e: unknown) => isWoowupError(e) && e.code === WOOWUP_CLIENT_CODES.CUSTOMER_EXISTS
    try {
      await this.client_.createCustomer(plan.customer)
      return
    } catch (e) {
      if (!exists(e)) {
        throw e
      }
      if (!secondaryIdentifiers(plan.customer, plan.identity).length) {
        return
      }
    }
    try {
      await this.client_.createCustomer(withoutSecondaryIdentifiers(plan.customer, plan.identity))
    } catch (e) {
      if (!exists(e)) {
        throw e
      }
    }
  }

  /**
   * Records, under a lock on the order, the points a later capture earns: `target_points` (what everything captured
   * so far earns) minus what the customer already got (the purchase's points and earlier top-ups). Computed from the
   * rows inside the lock, so concurrent runs for the same order converge on the target instead of adding up.
   * Returns the adjustment to apply, or null when nothing is owed.
   */
  @InjectManager()
  async recordCapturedPointsTopUp(
    input: { order_id: string; target_points: number },
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<PointsAdjustmentRecord | null> {
    return await this.recordCapturedPointsTopUp_(input, sharedContext)
  }

  @InjectTransactionManager()
  protected async recordCapturedPointsTopUp_(
    input: { order_id: string; target_points: number },
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<PointsAdjustmentRecord | null> {
    const manager = sharedContext.transactionManager!
    await manager.execute("SELECT pg_advisory_xact_lock(hashtext(?))", [`woowup_points:${input.order_id}`])
    const [reward] = await manager.execute(
      `SELECT status, points, invoice_number, identifier, identity FROM woowup_reward WHERE order_id = ? AND deleted_at IS NULL`,
      [input.order_id]
    )
    if (!reward || reward.status !== "synced" || reward.points == null) {
      return null
    }
    // A failed adjustment gave nothing: what it should have given is owed again, under a new token.
    const [{ topped_up, count }] = await manager.execute(
      `SELECT COALESCE(SUM(points) FILTER (WHERE status <> 'failed'), 0)::int AS topped_up, COUNT(*)::int AS count
       FROM woowup_points_adjustment WHERE order_id = ? AND cause = 'capture' AND deleted_at IS NULL`,
      [input.order_id]
    )
    const owed = input.target_points - (reward.points + topped_up)
    if (owed <= 0) {
      return null
    }
    const token = `capture-${count + 1}-to-${input.target_points}`
    const [row] = await manager.execute(
      `INSERT INTO woowup_points_adjustment
         (id, order_id, cause, token, points, status, identifier, identity, description, created_at, updated_at)
       VALUES (?, ?, 'capture', ?, ?, 'pending', ?, ?, ?, now(), now())
       ON CONFLICT (order_id, token) WHERE deleted_at IS NULL DO NOTHING
       RETURNING *`,
      [
        generateEntityId(undefined, "wupadj"),
        input.order_id,
        token,
        owed,
        reward.identifier,
        reward.identity,
        `${adjustmentMark(input.order_id, token)} Medusa ${reward.invoice_number}: points for a later capture`,
      ]
    )
    return (row as PointsAdjustmentRecord | undefined) ?? null
  }

  /**
   * Applies the order's pending points adjustments in WoowUp. Each is taken atomically (two processes never send
   * the same one), and one whose earlier attempt ended without a clear answer is first looked for in the
   * customer's WoowUp transactions, by the mark in its description: WoowUp de-duplicates no points call.
   */
  async applyPendingAdjustments(orderId: string): Promise<PointsAdjustmentRecord[]> {
    const applied: PointsAdjustmentRecord[] = []
    const runStartedAt = new Date()
    let adjustment: PointsAdjustmentRecord | null
    while ((adjustment = await this.claimNextAdjustment(orderId, runStartedAt))) {
      applied.push(await this.applyAdjustment(adjustment))
    }
    return applied
  }

  /**
   * Takes one of the order's pending adjustments that nobody is sending: never tried, ended with an error before
   * this run, or left by a process that died mid-call. One at a time, so that each claim is fresh when its call
   * starts.
   */
  @InjectTransactionManager()
  protected async claimNextAdjustment(
    orderId: string,
    runStartedAt: Date,
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<PointsAdjustmentRecord | null> {
    const [row] = await sharedContext.transactionManager!.execute(
      `UPDATE woowup_points_adjustment
       SET attempts = attempts + 1, last_attempt_at = now(), error_code = NULL, updated_at = now()
       WHERE id = (
         SELECT id FROM woowup_points_adjustment
         WHERE order_id = ? AND status = 'pending' AND deleted_at IS NULL
           AND (last_attempt_at IS NULL
                OR (error_code IS NOT NULL AND last_attempt_at < ?)
                OR last_attempt_at < now() - (? * interval '1 millisecond'))
         ORDER BY created_at
         LIMIT 1
         FOR UPDATE SKIP LOCKED
       )
       RETURNING *`,
      [orderId, runStartedAt, this.staleClaimMs]
    )
    return (row as PointsAdjustmentRecord | undefined) ?? null
  }

  protected async applyAdjustment(adjustment: PointsAdjustmentRecord): Promise<PointsAdjustmentRecord> {
    const identity = { [adjustment.identifier]: adjustment.identity }
    try {
      const alreadyApplied =
        adjustment.attempts > 1 &&
        (await this.hasTransaction(identity, adjustmentMark(adjustment.order_id, adjustment.token)))
      if (!alreadyApplied) {
        await this.client_.addPoints({
          ...identity,
          points: adjustment.points,
          concept: "purchase",
          description: adjustment.description,
        })
      }
      return await this.updateWoowupPointsAdjustments({
        id: adjustment.id,
        status: "applied",
        applied_at: new Date(),
        reason: null,
        error_code: null,
      })
    } catch (e) {
      if (!isWoowupError(e)) {
        throw e
      }
      // Worth retrying (or maybe applied): stays pending, with the error, for the next run to check and retry.
      return await this.updateWoowupPointsAdjustments({
        id: adjustment.id,
        status: e.retryable ? "pending" : "failed",
        reason: e.message,
        error_code: e.code,
      })
    }
  }

  protected async hasTransaction(identity: Record<string, string>, mark: string): Promise<boolean> {
    for (let page = 0; page < TRANSACTION_PAGES_SEARCHED; page++) {
      const transactions = await this.client_.listTransactions(identity, { page, limit: 100 })
      if (transactions.some((t) => t.description?.includes(mark))) {
        return true
      }
      if (transactions.length < 100) {
        return false
      }
    }
    return false
  }

  /** A real, read-only call to WoowUp: proves the URL and key work. */
  async ping(): Promise<{ ok: true; ms: number }> {
    const started = Date.now()
    await this.client_.customerExists({ email: "medusa-plugin-woowup-ping@example.com" })
    return { ok: true, ms: Date.now() - started }
  }

  __hooks = {
    onApplicationShutdown: async () => {
      await this.client_.close()
    },
  }
}

/** The unique mark an adjustment carries in its WoowUp description, to find it among the customer's transactions. */
function adjustmentMark(orderId: string, token: string): string {
  return `[${orderId}:${token}]`
}

function outcomeFields(outcome: PurchaseOutcome) {
  const created = "customer_created" in outcome && outcome.customer_created ? { customer_created: true } : {}
  switch (outcome.status) {
    case "synced":
      return {
        status: "synced" as const,
        synced_at: new Date(),
        reason: null,
        error_code: null,
        retryable: false,
        ...created,
        points: outcome.points,
      }
    case "skipped":
      return { status: "skipped" as const, reason: outcome.reason, error_code: null, retryable: false }
    case "failed":
      return { status: "failed" as const, reason: outcome.reason, error_code: outcome.error.code, retryable: outcome.retryable, ...created }
  }
}

// Medusa keeps a bigNumber column's exact value beside it, as JSON.
function rawAmount(amount: number): string {
  return JSON.stringify({ value: String(amount), precision: 20 })
}
