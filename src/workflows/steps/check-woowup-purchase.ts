import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import { isWoowupError, type WoowupClient } from "../../modules/woowup/client"
import type { RewardTrigger } from "../../modules/woowup/models/woowup-reward"
import type { RewardSkip } from "../../modules/woowup/rules"
import type WoowupModuleService from "../../modules/woowup/service"
import type { OrderPayments, PurchaseOutcome, RewardRecord } from "../../modules/woowup/service"
import { keepClaimAlive } from "../engine/keep-claim-alive"

export type CheckWoowupPurchaseStepInput = {
  order_id: string
  trigger: RewardTrigger
  /** Why the order now wants no purchase. */
  skip: RewardSkip
  /** The order's payments the skip was decided on. */
  payments: OrderPayments
  /** An admin's resync of named orders: also a failure judged permanent. */
  force?: boolean
  /** An admin's resync: a failure is checked now, not at its next attempt time. */
  retry_now?: boolean
}

export const checkWoowupPurchaseStepId = "check-woowup-purchase"
/**
 * This step settles a record whose purchase WoowUp may hold (a send failed, or its process died, after WoowUp may
 * have stored it) while the order now wants none: canceled, refunded in full, below the minimum. It claims the
 * record (an attempt, so a check that keeps failing gives up at `reconcile.maxAttempts`) and asks WoowUp for the
 * invoice: there, the record is synced with the points WoowUp holds, and the next step takes them back to what the
 * order wants; not there, the record is skipped with the reason; no answer, the record fails and is checked again.
 * Returns the record, or null when it could not be claimed (another run holds it, or its next attempt is not due).
 */
export const checkWoowupPurchaseStep = createStep(
  checkWoowupPurchaseStepId,
  async (input: CheckWoowupPurchaseStepInput, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const claimed = await woowup.claimRewardCheck(input)
    if (!claimed) {
      return new StepResponse<RewardRecord | null>(null)
    }
    const claim = { id: claimed.id, attempts: claimed.attempts }
    try {
      const outcome = await keepClaimAlive(
        () => woowup.heartbeatClaim("woowup_reward", claim),
        (signal) => findSentPurchase(woowup.client, claimed.invoice_number!, input.skip, signal)
      )
      const reward = await woowup.recordPurchaseOutcome(claim, outcome)
      if (outcome.status === "skipped" && reward.status === "skipped") {
        // With the payments it was decided on: the order then reads converged.
        return new StepResponse<RewardRecord | null>((await woowup.recordRewardSkip(input)) ?? reward)
      }
      return new StepResponse<RewardRecord | null>(reward)
    } catch (e) {
      await woowup.releaseClaim("woowup_reward", claim)
      throw e
    }
  }
)

/** Whether WoowUp holds the purchase, as an outcome for the record. Never throws for a WoowUp failure. */
async function findSentPurchase(
  client: WoowupClient,
  invoiceNumber: string,
  skip: RewardSkip,
  signal: AbortSignal
): Promise<PurchaseOutcome> {
  try {
    const purchase = await client.findPurchase(invoiceNumber, { signal })
    if (!purchase) {
      return { status: "skipped", reason: skip.reason }
    }
    const points = typeof purchase.points === "number" ? purchase.points : null
    return { status: "synced", customer_created: false, points, points_unknown: points == null && skip.target_points != null }
  } catch (e) {
    if (!isWoowupError(e)) {
      throw e
    }
    return { status: "failed", reason: e.message, error: e.toJSON(), retryable: e.retryable, customer_created: false }
  }
}
