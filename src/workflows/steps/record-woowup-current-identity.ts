import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import type { WoowupIdentity } from "../../modules/woowup/rules"
import type WoowupModuleService from "../../modules/woowup/service"

export const recordWoowupCurrentIdentityStepId = "record-woowup-current-identity"
/**
 * This step notes on the record the order's own identity when it is no longer the one its purchase was sent under
 * (an admin corrected the order's email after the first send), or clears it when they agree again. Only a note:
 * the purchase and its points stay with the customer they were sent to.
 */
export const recordWoowupCurrentIdentityStep = createStep(
  recordWoowupCurrentIdentityStepId,
  async (input: { order_id: string; identity: WoowupIdentity | null }, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    await woowup.recordCurrentIdentity(input)
    return new StepResponse(input.identity)
  }
)
