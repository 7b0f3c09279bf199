import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"
import { WOOWUP_MODULE } from "../../../../../modules/woowup"
import { orderWoowupStatus } from "../../../../../modules/woowup/order-status"
import type WoowupModuleService from "../../../../../modules/woowup/service"
import type { AdminWoowupOrderResponse } from "../../types"

/**
 * An order's WoowUp story: its status as the admin shows it (failed when a points adjustment failed, with its reason),
 * its reward record, its points adjustments, the points it holds, whether to resync.
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
  const applied = adjustments.filter((a) => a.status === "applied")
  const awarded =
    (reward?.status === "synced" ? (reward.points ?? 0) : 0) +
    applied.filter((a) => a.points > 0).reduce((sum, a) => sum + a.points, 0)
  const taken_back = -applied.filter((a) => a.points < 0).reduce((sum, a) => sum + a.points, 0)
  res.json({
    woowup: {
      order_id: orderId,
      ...orderWoowupStatus(reward ?? null, adjustments),
      reward: reward ?? null,
      adjustments,
      points: { awarded, taken_back, net: awarded - taken_back },
      needs_resync:
        (!state.converged && Number(state.payments.captured_amount) > 0) ||
        adjustments.some((a) => a.status === "failed"),
    },
  })
}
