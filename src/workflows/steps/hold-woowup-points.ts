import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import { pointsValue, pointValueFor, redeemProblem, type RedeemCart } from "../../modules/woowup/rules"
import type WoowupModuleService from "../../modules/woowup/service"
import { customerIdentityProof } from "../utils/identity-proof"
import { liveWoowupBalance } from "../utils/live-woowup-balance"

export type HoldWoowupPointsStepInput = {
  cart: RedeemCart
  /** The logged-in customer. */
  customer_id: string
  points: number
}

/** The hold written: what the cart's promotion must take off. */
export type HeldPoints = { id: string; cart_id: string; points: number; value: number; currency_code: string }

export const holdWoowupPointsStepId = "hold-woowup-points"
/**
 * This step holds `points` of the logged-in customer's WoowUp balance on their cart, replacing what the cart held:
 * only their own open cart, only under an identity proven theirs, only within the live WoowUp balance minus what
 * their other carts hold (checked and written under a lock on the customer, so two carts or two tabs at once never
 * hold more than the balance), and within the store's rules (rules/redeem.ts). Every refusal is a 400, 403 or 404
 * naming the problem, with nothing written. Compensation releases the hold.
 */
export const holdWoowupPointsStep = createStep(
  holdWoowupPointsStepId,
  async (input: HoldWoowupPointsStepInput, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const { redeem } = await woowup.getOptions()
    const { cart, points } = input
    if (cart.customer_id !== input.customer_id || !cart.customer) {
      throw new MedusaError(MedusaError.Types.FORBIDDEN, `Cart ${cart.id} is not yours: points go only on your own cart`)
    }
    if (cart.completed_at) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Cart ${cart.id} is already completed`)
    }
    const check = { points, currency: cart.currency_code, itemSubtotal: cart.item_subtotal }
    // The store's rules first: a refusal they make needs no WoowUp call.
    const ruled = redeemProblem({ ...check, available: Number.MAX_SAFE_INTEGER }, redeem)
    if (ruled) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, ruled)
    }
    const { identity, verified } = await customerIdentityProof(woowup, cart.customer)
    if (!identity || !verified) {
      throw new MedusaError(
        MedusaError.Types.FORBIDDEN,
        "Your WoowUp identity is not proven yet: prove it (POST /store/customers/me/woowup/verification) to spend points"
      )
    }
    const balance = await liveWoowupBalance(woowup, identity)
    if (balance === null) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "WoowUp cannot be reached right now: points cannot be applied, try again shortly")
    }
    const value = pointsValue(points, pointValueFor(redeem, cart.currency_code)!, cart.currency_code)
    const held = await woowup.holdPoints(
      {
        customer_id: input.customer_id,
        cart_id: cart.id,
        points,
        value,
        currency_code: cart.currency_code,
        identifier: identity.field,
        identity: identity.value,
        verified_balance: balance,
        hold_minutes: redeem.holdMinutes,
      },
      (available) => redeemProblem({ ...check, available }, redeem)
    )
    if ("problem" in held) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, held.problem)
    }
    const hold: HeldPoints = { id: held.hold.id, cart_id: cart.id, points, value, currency_code: cart.currency_code }
    return new StepResponse(hold, cart.id)
  },
  async (cartId: string | undefined, { container }) => {
    if (!cartId) {
      return
    }
    await container.resolve<WoowupModuleService>(WOOWUP_MODULE).releaseCartPointsHold(cartId)
  }
)
