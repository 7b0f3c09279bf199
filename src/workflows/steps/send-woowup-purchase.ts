import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import type { RewardSend } from "../../modules/woowup/rules"
import type WoowupModuleService from "../../modules/woowup/service"
import type { RewardClaim } from "../../modules/woowup/service"

export type SendWoowupPurchaseStepInput = { claim: RewardClaim; plan: RewardSend }

export const sendWoowupPurchaseStepId = "send-woowup-purchase"
/**
 * This step records the order's purchase, with its points, in WoowUp (creating the customer when WoowUp does not
 * know them), then writes the outcome on the reward record. A WoowUp failure is an outcome, not an error: the
 * record says whether a retry can help (a later run for the order takes those again).
 *
 * No compensation: a purchase cannot be taken back from WoowUp, and sending it again is safe (WoowUp
 * de-duplicates on the invoice number).
 */
export const sendWoowupPurchaseStep = createStep(
  sendWoowupPurchaseStepId,
  async (input: SendWoowupPurchaseStepInput, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const outcome = await woowup.sendPurchase(input.plan)
    return new StepResponse(await woowup.recordPurchaseOutcome(input.claim, outcome))
  }
)
