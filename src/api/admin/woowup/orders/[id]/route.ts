import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { WOOWUP_MODULE } from "../../../../../modules/woowup"
import {
  identityChange,
  isRedemptionCause,
  ORDER_IDENTITY_FIELDS,
  orderRedemption,
  pickIdentity,
  sentPurchase,
  type RewardOrder,
} from "../../../../../modules/woowup/rules"
import { orderWoowupStatus } from "../../../../../modules/woowup/order-status"
import type WoowupModuleService from "../../../../../modules/woowup/service"
import type { AdminWoowupOrderResponse } from "../../types"

/**
 * An order's WoowUp story: its status as the admin shows it (failed when a points adjustment failed, with its
 * reason), its reward record, its points adjustments, the points it holds, whether to resync, and the order's
 * identity now when it is no longer the one its purchase was sent under (read from the order, so it is right even
 * when no run has looked at the order since its email was edited), and the points spent on it at checkout.
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminWoowupOrderResponse>) => {
  const woowup = req.scope.resolve<WoowupModuleService>(WOOWUP_MODULE)
  const orderId = req.params.id
  const state = await woowup.getOrderSyncState(orderId)
  if (!state) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order with id: ${orderId} was not found`)
  }
  const [reward] = await woowup.listWoowupRewards({ order_id: orderId })
  const adjustments = await woowup.listWoowupPointsAdjustments({ order_id: orderId }, { order: { created_at: "ASC" } })
  // The points spent at checkout are the redemption's (docs/redeem-points.md), not earned nor taken back.
  const applied = adjustments.filter((a) => a.status === "applied" && !isRedemptionCause(a.cause))
  const [hold] = await woowup.listWoowupPointsHolds({ order_id: orderId, status: "spent" })
  const awarded =
    (reward?.status === "synced" ? (reward.points ?? 0) : 0) +
    applied.filter((a) => a.points > 0).reduce((sum, a) => sum + a.points, 0)
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data: orders } = await query.graph({ entity: "order", fields: ORDER_IDENTITY_FIELDS, filters: { id: orderId } })
  const own = orders[0] ? pickIdentity(orders[0] as unknown as RewardOrder, await woowup.getOptions()) : null
  const taken_back = -applied.filter((a) => a.points < 0).reduce((sum, a) => sum + a.points, 0)
  res.json({
    woowup: {
      order_id: orderId,
      ...orderWoowupStatus(reward ?? null, adjustments),
      reward: reward ?? null,
      adjustments,
      points: { awarded, taken_back, net: awarded - taken_back },
      current_identity: identityChange(sentPurchase(reward), own),
      other_account: state.other_account,
      redemption: orderRedemption(hold ?? null, adjustments),
      needs_resync:
        (!state.converged && Number(state.payments.captured_amount) > 0) ||
        adjustments.some((a) => a.status === "failed"),
    },
  })
}
