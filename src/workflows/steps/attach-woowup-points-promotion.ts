import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import type WoowupModuleService from "../../modules/woowup/service"

export type AttachWoowupPointsPromotionStepInput = { hold_id: string; promotion_id: string; promotion_code: string }

export const attachWoowupPointsPromotionStepId = "attach-woowup-points-promotion"
/** This step notes on the hold the promotion that carries its discount: completion checks the two still match. */
export const attachWoowupPointsPromotionStep = createStep(
  attachWoowupPointsPromotionStepId,
  async (input: AttachWoowupPointsPromotionStepInput, { container }) => {
    await container.resolve<WoowupModuleService>(WOOWUP_MODULE).setPointsHoldPromotion(input)
    return new StepResponse(input)
  }
)
