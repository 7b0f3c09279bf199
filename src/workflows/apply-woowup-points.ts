import type { CreatePromotionDTO } from "@medusajs/framework/types"
import { PromotionActions } from "@medusajs/framework/utils"
import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createPromotionsStep, updateCartPromotionsWorkflow, useQueryGraphStep } from "@medusajs/medusa/core-flows"
import {
  codesWithPointsPromotion,
  pointsPromotionCode,
  REDEEM_CART_FIELDS,
  REDEEM_CART_RESPONSE_FIELDS,
  type RedeemCart,
} from "../modules/woowup/rules"
import { attachWoowupPointsPromotionStep } from "./steps/attach-woowup-points-promotion"
import { holdWoowupPointsStep } from "./steps/hold-woowup-points"

export type ApplyWoowupPointsWorkflowInput = {
  cart_id: string
  /** The logged-in customer: only the cart's owner may apply points. */
  customer_id: string
  points: number
}

export const applyWoowupPointsWorkflowId = "woowup-apply-points"
/**
 * This workflow applies a customer's WoowUp points to their cart, as Medusa's loyalty-points recipe does: it holds
 * the points (checked against the live WoowUp balance and the customer's other carts), then puts a single-use
 * promotion worth their value (fixed, on the items, in the cart's currency) on the cart through
 * `updateCartPromotionsWorkflow`, replacing the points promotion the cart had. The discount shows in every total
 * Medusa computes. Compensation releases the hold.
 *
 * @example
 * const { result: cart } = await applyWoowupPointsWorkflow(container).run({
 *   input: { cart_id: "cart_123", customer_id: "cus_123", points: 20 },
 * })
 *
 * @summary
 * Spend WoowUp points on a cart.
 */
export const applyWoowupPointsWorkflow = createWorkflow(applyWoowupPointsWorkflowId, (input: ApplyWoowupPointsWorkflowInput) => {
  const { data: carts } = useQueryGraphStep({
    entity: "cart",
    fields: REDEEM_CART_FIELDS,
    filters: { id: input.cart_id },
    options: { throwIfKeyNotFound: true },
  })
  const cart = transform({ carts }, ({ carts }) => carts[0] as unknown as RedeemCart)
  const hold = holdWoowupPointsStep({ cart, customer_id: input.customer_id, points: input.points })

  const promotion = transform({ hold }, ({ hold }): CreatePromotionDTO => {
    const code = pointsPromotionCode(hold.id)
    return {
      code,
      type: "standard",
      status: "active",
      is_automatic: false,
      // Single use: the order that spends the points.
      limit: 1,
      application_method: {
        type: "fixed",
        target_type: "items",
        allocation: "across",
        value: hold.value,
        currency_code: hold.currency_code,
      },
    } as CreatePromotionDTO
  })
  const created = createPromotionsStep([promotion])
  attachWoowupPointsPromotionStep(
    transform({ hold, created }, ({ hold, created }) => ({
      hold_id: hold.id,
      promotion_id: created[0].id,
      promotion_code: created[0].code!,
    }))
  )
  updateCartPromotionsWorkflow.runAsStep({
    input: transform({ cart, created }, ({ cart, created }) => ({
      cart_id: cart.id,
      promo_codes: codesWithPointsPromotion(cart, created[0].code!),
      action: PromotionActions.REPLACE,
    })),
  })

  const { data: updated } = useQueryGraphStep({
    entity: "cart",
    fields: REDEEM_CART_RESPONSE_FIELDS,
    filters: { id: input.cart_id },
  }).config({ name: "woowup-applied-points-cart" })
  return new WorkflowResponse(transform({ updated }, ({ updated }) => updated[0]))
})
