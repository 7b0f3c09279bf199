import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import type { Context, Logger } from "@medusajs/framework/types"
import {
  generateEntityId,
  InjectManager,
  MedusaContext,
  MedusaService,
} from "@medusajs/framework/utils"
import { isWoowupError, WoowupClient, WOOWUP_CLIENT_CODES, type WoowupErrorJSON } from "./client"
import WoowupReward, { type RewardTrigger } from "./models/woowup-reward"
import { parseWoowupOptions, type WoowupOptions } from "./options"
import type { RewardSend } from "./rules"

type InjectedDependencies = {
  logger: Logger
}

export type RewardRecord = {
  id: string
  order_id: string
  status: string
  reason: string | null
  error_code: string | null
  retryable: boolean
  trigger: RewardTrigger
  invoice_number: string | null
  identifier: string | null
  identity: string | null
  customer_created: boolean
  points: number | null
  amount: unknown
  currency_code: string | null
  attempts: number
  last_attempt_at: Date | null
  synced_at: Date | null
}

/** What came of sending one order's purchase to WoowUp. */
export type PurchaseOutcome =
  | { status: "synced"; customer_created: boolean; already_there: boolean }
  | { status: "skipped"; reason: string }
  | { status: "failed"; reason: string; error: WoowupErrorJSON; retryable: boolean; customer_created: boolean }

export type ClaimRewardInput = {
  order_id: string
  trigger: RewardTrigger
  plan: RewardSend
  /** An admin's resync may also take a permanently failed record. */
  force?: boolean
}

export default class WoowupModuleService extends MedusaService({ WoowupReward }) {
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

  async getOptions(): Promise<WoowupOptions> {
    return this.options_
  }

  /**
   * A claim left `pending` longer than this belongs to a process that died mid-send: it may be taken again
   * (re-sending is safe, WoowUp de-duplicates on the invoice number). Longer than the slowest send can take.
   */
  get staleClaimMs(): number {
    const { timeoutMs, maxRetries, retryMaxDelayMs } = this.options_
    return 2 * ((maxRetries + 1) * timeoutMs + maxRetries * retryMaxDelayMs) + 60_000
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
        JSON.stringify({ value: String(plan.amount), precision: 20 }),
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
    input: { order_id: string; trigger: RewardTrigger; reason: string },
    @MedusaContext() sharedContext: Context<SqlEntityManager> = {}
  ): Promise<RewardRecord | null> {
    const rows: RewardRecord[] = await sharedContext.manager!.execute(
      `INSERT INTO woowup_reward AS r (id, order_id, status, trigger, reason, created_at, updated_at)
       VALUES (?, ?, 'skipped', ?, ?, now(), now())
       ON CONFLICT (order_id) WHERE deleted_at IS NULL DO UPDATE SET
         trigger = EXCLUDED.trigger, reason = EXCLUDED.reason, updated_at = now()
       WHERE r.status = 'skipped'
       RETURNING *`,
      [generateEntityId(undefined, "wurew"), input.order_id, input.trigger, input.reason]
    )
    return rows[0] ?? null
  }

  /** Writes the outcome of a claimed send on the record. */
  async recordPurchaseOutcome(rewardId: string, outcome: PurchaseOutcome): Promise<RewardRecord> {
    const common = { id: rewardId, last_attempt_at: new Date() }
    const update =
      outcome.status === "synced"
        ? { ...common, status: "synced" as const, synced_at: new Date(), reason: null, error_code: null,
            retryable: false, ...(outcome.customer_created ? { customer_created: true } : {}) }
        : outcome.status === "skipped"
          ? { ...common, status: "skipped" as const, reason: outcome.reason, error_code: null, retryable: false }
          : { ...common, status: "failed" as const, reason: outcome.reason, error_code: outcome.error.code,
              retryable: outcome.retryable, ...(outcome.customer_created ? { customer_created: true } : {}) }
    return (await this.updateWoowupRewards(update)) as unknown as RewardRecord
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
        if (!isWoowupError(e) || e.code !== "user_not_found") {
          throw e
        }
        if (!this.options_.createCustomers) {
          return { status: "skipped", reason: "customer_not_in_woowup" }
        }
        await this.createCustomer(plan)
        customerCreated = true
        result = await this.client_.createPurchase(plan.purchase)
      }
      return { status: "synced", customer_created: customerCreated, already_there: result.outcome === "duplicate" }
    } catch (e) {
      if (!isWoowupError(e)) {
        throw e
      }
      if (e.code === "forbidden") {
        this.logger_.error("woowup: WoowUp refused the API key (forbidden): check the plugin's apiKey option")
      }
      return { status: "failed", reason: e.message, error: e.toJSON(), retryable: e.retryable, customer_created: customerCreated }
    }
  }

  // Another path may create the same customer at the same moment: "already exists" is as good as created.
  private async createCustomer(plan: RewardSend) {
    try {
      await this.client_.createCustomer(plan.customer)
    } catch (e) {
      if (!isWoowupError(e) || e.code !== WOOWUP_CLIENT_CODES.CUSTOMER_EXISTS) {
        throw e
      }
    }
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
