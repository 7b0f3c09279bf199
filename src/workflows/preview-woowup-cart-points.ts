import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { useQueryGraphStep } from "@medusajs/medusa/core-flows"
import { PREVIEW_CART_FIELDS, type PreviewCart } from "../modules/woowup/rules/store-points"
import { previewWoowupCartPointsStep } from "./steps/preview-woowup-cart-points"

export type PreviewWoowupCartPointsWorkflowInput = { cart_id: string }

export const previewWoowupCartPointsWorkflowId = "woowup-preview-cart-points"
/**
 * This workflow tells how many points a cart will earn under the plugin's rules once its order is captured, for a
 * "you will earn 50 points" on the cart page. No WoowUp call. An unknown cart is a NOT_FOUND error.
 *
 * @example
 * const { result } = await previewWoowupCartPointsWorkflow(container).run({ input: { cart_id: "cart_123" } })
 * // { points: 50, amount: 50.5, currency_code: "usd", reason: null }
 *
 * @summary
 * Preview the points a cart earns.
 */
export const previewWoowupCartPointsWorkflow = createWorkflow(
  previewWoowupCartPointsWorkflowId,
  (input: PreviewWoowupCartPointsWorkflowInput) => {
    const { data: carts } = useQueryGraphStep({
      entity: "cart",
      fields: PREVIEW_CART_FIELDS,
      filters: { id: input.cart_id },
      options: { throwIfKeyNotFound: true },
    })
    const preview = previewWoowupCartPointsStep(
      transform({ carts }, ({ carts }) => ({ cart: carts[0] as unknown as PreviewCart }))
    )
    return new WorkflowResponse(preview)
  }
)
