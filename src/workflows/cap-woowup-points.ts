import { PromotionActions } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { updateCartPromotionsWorkflow } from "@medusajs/medusa/core-flows"
import { codesWithPointsPromotion } from "../modules/woowup/rules"
import { capWoowupPointsStep } from "./steps/cap-woowup-points"

export const capWoowupPointsWorkflowId = "woowup-cap-points"
/**
 * This workflow caps the WoowUp points on a cart that changed (items removed or made cheaper): the hold and its
 * promotion are lowered to what the cart takes now, and the cart's promotions computed again, so its totals show
 * the lower discount.
 *
 * @example
 * await capWoowupPointsWorkflow(container).run({ input: { cart_id: "cart_123" } })
 *
 * @summary
 * Cap the points on a changed cart.
 */
export const capWoowupPointsWorkflow = createWorkflow(capWoowupPointsWorkflowId, (input: { cart_id: string }) => {
  const capped = capWoowupPointsStep(input)
  when("woowup-points-capped", { capped }, ({ capped }) => capped.changed && !!capped.cart).then(() => {
    updateCartPromotionsWorkflow.runAsStep({
      input: transform({ capped }, ({ capped }) => ({
        cart_id: capped.cart!.id,
        promo_codes: codesWithPointsPromotion(capped.cart!, capped.code),
        action: PromotionActions.REPLACE,
      })),
    })
  })
  return new WorkflowResponse(capped)
})
