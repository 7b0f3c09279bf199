import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { MedusaError } from "@medusajs/framework/utils"
import { WOOWUP_MODULE } from "../../modules/woowup"
import type { RedeemCart } from "../../modules/woowup/rules"
import type WoowupModuleService from "../../modules/woowup/service"

export type ReleaseWoowupPointsStepInput = { cart: RedeemCart; customer_id: string }

export const releaseWoowupPointsStepId = "release-woowup-points"
/**
 * This step takes the points off the customer's own open cart: its hold is released, and the points count for the
 * customer's other carts again. Nothing held is fine.
 */
export const releaseWoowupPointsStep = createStep(
  releaseWoowupPointsStepId,
  async (input: ReleaseWoowupPointsStepInput, { container }) => {
    const { cart } = input
    if (cart.customer_id !== input.customer_id) {
      throw new MedusaError(MedusaError.Types.FORBIDDEN, `Cart ${cart.id} is not yours: points go only on your own cart`)
    }
    if (cart.completed_at) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Cart ${cart.id} is already completed`)
    }
    const released = await container.resolve<WoowupModuleService>(WOOWUP_MODULE).releaseCartPointsHold(cart.id)
    return new StepResponse({ released: !!released })
  }
)
