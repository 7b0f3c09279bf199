import { PromotionActions } from "@medusajs/framework/utils"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { updateCartPromotionsWorkflow, useQueryGraphStep } from "@medusajs/medusa/core-flows"
import { codesWithPointsPromotion, REDEEM_CART_FIELDS, REDEEM_CART_RESPONSE_FIELDS, type RedeemCart } from "../modules/woowup/rules"
import { releaseWoowupPointsStep } from "./steps/release-woowup-points"

export type RemoveWoowupPointsWorkflowInput = { cart_id: string; customer_id: string }

export const removeWoowupPointsWorkflowId = "woowup-remove-points"
/**
 * This workflow takes WoowUp points off the customer's own cart: the hold is released and the points promotion taken
 * off the cart (`updateCartPromotionsWorkflow`), its other promotions kept.
 *
 * @example
 * const { result: cart } = await removeWoowupPointsWorkflow(container).run({ input: { cart_id: "cart_123", customer_id: "cus_123" } })
 *
 * @summary
 * Take WoowUp points off a cart.
 */
export const removeWoowupPointsWorkflow = createWorkflow(removeWoowupPointsWorkflowId, (input: RemoveWoowupPointsWorkflowInput) => {
  const { data: carts } = useQueryGraphStep({
    entity: "cart",
    fields: REDEEM_CART_FIELDS,
    filters: { id: input.cart_id },
    options: { throwIfKeyNotFound: true },
  })
  const cart = transform({ carts }, ({ carts }) => carts[0] as unknown as RedeemCart)
  releaseWoowupPointsStep({ cart, customer_id: input.customer_id })
  updateCartPromotionsWorkflow.runAsStep({
    input: transform({ cart }, ({ cart }) => ({
      cart_id: cart.id,
      promo_codes: codesWithPointsPromotion(cart, null),
      action: PromotionActions.REPLACE,
    })),
  })
  const { data: updated } = useQueryGraphStep({
    entity: "cart",
    fields: REDEEM_CART_RESPONSE_FIELDS,
    filters: { id: input.cart_id },
  }).config({ name: "woowup-removed-points-cart" })
  return new WorkflowResponse(transform({ updated }, ({ updated }) => updated[0]))
})
