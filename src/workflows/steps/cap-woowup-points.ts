import type { IPromotionModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import { maxPointsForCart, pointsValue, pointValueFor, REDEEM_CART_FIELDS, type RedeemCart } from "../../modules/woowup/rules"
import type WoowupModuleService from "../../modules/woowup/service"

export type CapWoowupPointsStepOutput = {
  /** The cart's promotions changed: its totals must be computed again. */
  changed: boolean
  cart: RedeemCart | null
  /** The points promotion left on the cart (null: taken off). */
  code: string | null
}

export const capWoowupPointsStepId = "cap-woowup-points"
/**
 * This step caps the points on a cart that changed: when its items now take fewer points than it holds
 * (`redeem.maxShareOfCart` of the item subtotal), the hold and its promotion's amount are lowered to what the cart
 * takes; below `redeem.minPoints` the points come off the cart. A cart holding no more than it may is left alone.
 */
export const capWoowupPointsStep = createStep(capWoowupPointsStepId, async (input: { cart_id: string }, { container }) => {
  const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
  const none = (cart: RedeemCart | null = null): CapWoowupPointsStepOutput => ({ changed: false, cart, code: null })
  const hold = await woowup.findCartPointsHold(input.cart_id)
  if (!hold || hold.status !== "held" || !hold.promotion_id) {
    return new StepResponse(none())
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "cart", fields: REDEEM_CART_FIELDS, filters: { id: input.cart_id } })
  const cart = data[0] as unknown as RedeemCart | undefined
  if (!cart || cart.completed_at) {
    return new StepResponse(none())
  }
  const { redeem } = await woowup.getOptions()
  const value = pointValueFor(redeem, cart.currency_code)
  const max = value === null ? 0 : maxPointsForCart(cart.item_subtotal, value, redeem)
  if (hold.points <= max) {
    return new StepResponse(none(cart))
  }
  if (max < redeem.minPoints || value === null) {
    await woowup.releaseCartPointsHold(cart.id)
    return new StepResponse<CapWoowupPointsStepOutput>({ changed: true, cart, code: null })
  }
  const lowered = pointsValue(max, value, cart.currency_code)
  await container.resolve<IPromotionModuleService>(Modules.PROMOTION).updatePromotions([
    { id: hold.promotion_id, application_method: { value: lowered } },
  ])
  await woowup.lowerPointsHold({ hold_id: hold.id, points: max, value: lowered })
  return new StepResponse<CapWoowupPointsStepOutput>({ changed: true, cart, code: hold.promotion_code })
})
