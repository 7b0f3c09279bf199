import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ensureWoowupBranch } from "../utils/woowup-branch"
import { WOOWUP_MODULE } from "../../modules/woowup"
import { isWoowupError, WOOWUP_API_CODES, type WoowupClient } from "../../modules/woowup/client"
import { sendAs, type RewardSend, type SentPurchase } from "../../modules/woowup/rules"
import type WoowupModuleService from "../../modules/woowup/service"
import type { PurchaseOutcome, RewardClaim, RewardRecord } from "../../modules/woowup/service"
import { forgetStorefrontPoints } from "../utils/forget-storefront-points"
import { keepClaimAlive } from "../engine/keep-claim-alive"
import { createWoowupCustomer } from "../utils/woowup-customer"

export type SendWoowupPurchaseStepInput = {
  claim: RewardClaim
  plan: RewardSend
  /** What the claimed record says the purchase was first sent under: a retry sends exactly that. */
  sent?: SentPurchase | null
}

export type SendWoowupPurchaseStepOutput = {
  reward: RewardRecord
  /** This run created the purchase in WoowUp (not "already there", not a failure). */
  created: boolean
}

export const sendWoowupPurchaseStepId = "send-woowup-purchase"
/**
 * This step records the order's purchase, with its points, in WoowUp (creating the customer when WoowUp does not
 * know them), then writes the outcome on the reward record, while a heartbeat keeps the claim alive. A WoowUp
 * failure is an outcome, not an error: the record says whether and when a retry can help.
 *
 * No compensation: a purchase cannot be taken back from WoowUp, and sending it again is safe (WoowUp
 * de-duplicates on the invoice number).
 */
export const sendWoowupPurchaseStep = createStep(
  sendWoowupPurchaseStepId,
  async (input: SendWoowupPurchaseStepInput, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const { createCustomers } = await woowup.getOptions()
    const plan = sendAs(input.plan, input.sent ?? null)
    const outcome = await keepClaimAlive(
      () => woowup.heartbeatClaim("woowup_reward", input.claim),
      (signal) => sendPurchase(woowup, plan, { createCustomers, signal })
    )
    const reward = await woowup.recordPurchaseOutcome(input.claim, outcome)
    if (outcome.status === "synced") {
      await forgetStorefrontPoints(container, woowup, plan.identity)
    }
    const output: SendWoowupPurchaseStepOutput = { reward, created: outcome.status === "synced" && !!outcome.created }
    return new StepResponse(output)
  }
)

/**
 * The purchase with as few calls as possible: the purchase first (a returning customer costs one call); on
 * `user_not_found` the customer is created and the purchase sent again. A duplicate invoice number means WoowUp
 * already has it. Never throws for a WoowUp failure: it is the outcome.
 */
async function sendPurchase(
  woowup: WoowupModuleService,
  plan: RewardSend,
  options: { createCustomers: boolean; signal: AbortSignal }
): Promise<PurchaseOutcome & { created?: boolean }> {
  const { signal } = options
  const client = woowup.client
  let customerCreated = false
  try {
    // The purchase's branch first (one call the first time a branch is met, none after).
    const { branch_name, channel } = plan.purchase
    await ensureWoowupBranch(woowup, { name: branch_name, is_web: channel !== "in-store" }, signal)
    let result
    try {
      result = await client.createPurchase(plan.purchase, { signal })
    } catch (e) {
      if (!isWoowupError(e) || e.code !== WOOWUP_API_CODES.USER_NOT_FOUND) {
        throw e
      }
      if (!options.createCustomers) {
        return { status: "skipped", reason: "customer_not_in_woowup" }
      }
      // Created, or there already (another path created them at the same moment): the purchase goes again.
      await createWoowupCustomer(client, plan.customer, plan.identity, signal)
      customerCreated = true
      result = await client.createPurchase(plan.purchase, { signal })
    }
    if (result.outcome === "duplicate") {
      return { status: "synced", created: false, customer_created: customerCreated, ...(await pointsHeld(client, plan, signal)) }
    }
    return { status: "synced", created: true, customer_created: customerCreated, points: plan.points, points_unknown: false }
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
 * A purchase WoowUp already had may have been sent by an earlier attempt planned on other payments (less captured,
 * or before a refund). What WoowUp holds for it is what later adjustments count from: read back from the purchase.
 * When it cannot be known, the record says so and a later run finds out before adjusting anything.
 */
async function pointsHeld(
  client: WoowupClient,
  plan: RewardSend,
  signal: AbortSignal
): Promise<{ points: number | null; points_unknown: boolean }> {
  if (plan.points == null) {
    return { points: null, points_unknown: false }
  }
  const points = await findPurchasePoints(client, plan.invoice_number, signal)
  return points == null ? { points: null, points_unknown: true } : { points, points_unknown: false }
}

/** The points WoowUp holds on a purchase, or null when it cannot say. */
export async function findPurchasePoints(
  client: WoowupClient,
  invoiceNumber: string,
  signal?: AbortSignal
): Promise<number | null> {
  try {
    const purchase = await client.findPurchase(invoiceNumber, { signal })
    return typeof purchase?.points === "number" ? purchase.points : null
  } catch (e) {
    if (isWoowupError(e)) {
      return null
    }
    throw e
  }
}
