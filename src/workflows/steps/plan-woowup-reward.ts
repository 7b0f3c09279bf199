import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import type WoowupModuleService from "../../modules/woowup/service"
import { decideReward, type RewardDecision, type RewardOrder } from "../../modules/woowup/rules"

export type PlanWoowupRewardStepInput = { order: RewardOrder }

export const planWoowupRewardStepId = "plan-woowup-reward"
/**
 * This step applies the plugin's rules to the order: what to send to WoowUp and how many points it earns,
 * or why there is nothing to send.
 */
export const planWoowupRewardStep = createStep(
  planWoowupRewardStepId,
  async (input: PlanWoowupRewardStepInput, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    return new StepResponse<RewardDecision>(decideReward(input.order, await woowup.getOptions()))
  }
)
