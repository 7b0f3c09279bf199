import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import type WoowupModuleService from "../../modules/woowup/service"
import type { RewardRecord } from "../../modules/woowup/service"
import { decideReward, sentPurchase, type RewardDecision, type RewardOrder } from "../../modules/woowup/rules"

export type PlanWoowupRewardStepInput = { order: RewardOrder; reward: RewardRecord | null }

export const planWoowupRewardStepId = "plan-woowup-reward"
/**
 * This step applies the plugin's rules to the order: what to send to WoowUp and how many points it earns,
 * or why there is nothing to send. Once the purchase was sent, it stays under the identity and invoice number it
 * was sent under (see `SentPurchase`), whatever the order says now.
 */
export const planWoowupRewardStep = createStep(
  planWoowupRewardStepId,
  async (input: PlanWoowupRewardStepInput, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const options = await woowup.getOptions()
    return new StepResponse<RewardDecision>(decideReward(input.order, options, sentPurchase(input.reward)))
  }
)
