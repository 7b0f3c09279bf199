import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { WOOWUP_MODULE } from "../../modules/woowup"
import { decideReward, ORDER_FIELDS, type RewardOrder } from "../../modules/woowup/rules"
import type WoowupModuleService from "../../modules/woowup/service"

export type TopUpWoowupCapturedPointsStepInput = {
  order_id: string
  /** This run just sent the purchase for the whole order: nothing can be owed, and no adjustment exists yet. */
  sent_in_full?: boolean
}

export const topUpWoowupCapturedPointsStepId = "top-up-woowup-captured-points"
/**
 * This step gives the customer the points of captures made after the purchase was sent (partial captures), and
 * applies any points adjustment of the order still pending. The order is read again here, not taken from the
 * workflow's start: a capture may have landed while the purchase was being sent.
 */
export const topUpWoowupCapturedPointsStep = createStep(
  topUpWoowupCapturedPointsStepId,
  async (input: TopUpWoowupCapturedPointsStepInput, { container }) => {
    if (input.sent_in_full) {
      return new StepResponse([])
    }
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const [reward] = await woowup.listWoowupRewards({ order_id: input.order_id })
    if (reward?.status !== "synced" || reward.points == null) {
      return new StepResponse([])
    }
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "order", fields: ORDER_FIELDS, filters: { id: input.order_id } })
    const decision = decideReward(data[0] as unknown as RewardOrder, await woowup.getOptions())
    if (decision.action === "send" && decision.points != null) {
      await woowup.recordCapturedPointsTopUp({ order_id: input.order_id, target_points: decision.points })
    }
    return new StepResponse(await woowup.applyPendingAdjustments(input.order_id))
  }
)
