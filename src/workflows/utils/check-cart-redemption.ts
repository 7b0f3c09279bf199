import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { WOOWUP_MODULE } from "../../modules/woowup"
import { isPointsPromotionCode } from "../../modules/woowup/rules"
import type WoowupModuleService from "../../modules/woowup/service"
import { liveWoowupBalance } from "./live-woowup-balance"

/**
 * Completion's check of the points on a cart (docs/redeem-points.md), before any payment is authorized: a points
 * promotion on the cart must be its live hold's; the points must still be there in WoowUp, less what the customer's
 * other carts and unsettled orders hold (points spent meanwhile in a physical store count). When WoowUp cannot be
 * reached, a hold still within `holdMinutes` was made against a balance verified then: it is honoured, and the
 * debit converges once WoowUp is back.
 */
export async function checkCartRedemption(container: Pick<MedusaContainer, "resolve">, cartId: string): Promise<void> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "cart", fields: ["id", "promotions.code"], filters: { id: cartId } })
  const codes = ((data[0]?.promotions ?? []) as Array<{ code?: string | null } | null>)
    .map((p) => p?.code)
    .filter((c): c is string => isPointsPromotionCode(c))
  if (!codes.length) {
    return
  }
  const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
  const hold = await woowup.findCartPointsHold(cartId)
  if (!hold || codes.length > 1 || hold.promotion_code?.toUpperCase() !== codes[0].toUpperCase()) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      "The WoowUp points discount on this cart is not held for it any more: apply the points again (POST /store/carts/:id/woowup-points)"
    )
  }
  const live = hold.status === "held" && new Date(hold.expires_at).getTime() > Date.now()
  const balance = await liveWoowupBalance(woowup, { field: hold.identifier, value: hold.identity })
  if (balance === null) {
    if (live) {
      container
        .resolve<Logger>(ContainerRegistrationKeys.LOGGER)
        .warn(`woowup: WoowUp cannot be reached; cart ${cartId} completes on its hold of ${hold.points} points, debited once WoowUp is back`)
      return
    }
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      "WoowUp cannot be reached and the points held on this cart lapsed: try again shortly, or remove the points"
    )
  }
  const available = balance - (await woowup.otherPointsHolds(hold.customer_id, cartId))
  if (hold.points > available) {
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Your WoowUp points changed: ${Math.max(0, available)} are available and ${hold.points} are applied to this cart. Apply fewer points, or remove them, and complete again`
    )
  }
}
