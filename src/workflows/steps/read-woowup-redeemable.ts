import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { StoreWoowupRedeemable } from "../../api/store/woowup/types"
import { WOOWUP_MODULE } from "../../modules/woowup"
import type { CustomerPointsRead } from "../../modules/woowup/customer-points"
import { maxPointsForCart, pointsValue, pointValueFor } from "../../modules/woowup/rules"
import type WoowupModuleService from "../../modules/woowup/service"

export type ReadWoowupRedeemableStepInput = { customer_id: string; cart_id?: string; read: CustomerPointsRead }

export const readWoowupRedeemableStepId = "read-woowup-redeemable"
/**
 * This step says what the customer can spend at checkout: their balance (as just read) minus what their other carts
 * hold, and with `cart_id` (a cart of theirs) how many of those the cart can take and what they pay in its currency.
 * Null when the store does not let points be spent, or no balance is known.
 */
export const readWoowupRedeemableStep = createStep(
  readWoowupRedeemableStepId,
  async (input: ReadWoowupRedeemableStepInput, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const { redeem } = await woowup.getOptions()
    if (!redeem.enabled || input.read.status === "unavailable") {
      return new StepResponse<StoreWoowupRedeemable | null>(null)
    }
    const others = await woowup.otherPointsHolds(input.customer_id, input.cart_id ?? "")
    const points = Math.max(0, input.read.snapshot.points - others)
    if (!input.cart_id) {
      return new StepResponse<StoreWoowupRedeemable | null>({ points })
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "cart",
      fields: ["id", "customer_id", "currency_code", "item_subtotal"],
      filters: { id: input.cart_id },
    })
    const cart = data[0] as { customer_id: string | null; currency_code: string; item_subtotal: unknown } | undefined
    if (!cart || cart.customer_id !== input.customer_id) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `cart_id: no cart ${input.cart_id} of yours`)
    }
    const value = pointValueFor(redeem, cart.currency_code)
    if (value === null) {
      return new StepResponse<StoreWoowupRedeemable | null>({ points, cart_points: 0, value: null, currency_code: cart.currency_code })
    }
    const cartPoints = Math.min(points, maxPointsForCart(cart.item_subtotal, value, redeem))
    return new StepResponse<StoreWoowupRedeemable | null>({
      points,
      cart_points: cartPoints,
      value: pointsValue(cartPoints, value, cart.currency_code),
      currency_code: cart.currency_code,
    })
  }
)
