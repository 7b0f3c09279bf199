import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import { previewCartPoints, type PointsPreview, type PreviewCart } from "../../modules/woowup/rules/store-points"
import type WoowupModuleService from "../../modules/woowup/service"

export type PreviewWoowupCartPointsStepInput = { cart: PreviewCart }

export const previewWoowupCartPointsStepId = "preview-woowup-cart-points"
/** This step applies the plugin's points rules to a cart as if its order were placed and fully captured. */
export const previewWoowupCartPointsStep = createStep(
  previewWoowupCartPointsStepId,
  async (input: PreviewWoowupCartPointsStepInput, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    return new StepResponse<PointsPreview>(previewCartPoints(input.cart, await woowup.getOptions()))
  }
)
