import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import type WoowupModuleService from "../../modules/woowup/service"
import type { RewardRecord } from "../../modules/woowup/service"
import {
  decideReward,
  importsWithoutPoints,
  sentPurchase,
  type RewardDecision,
  type RewardOrder,
} from "../../modules/woowup/rules"

export type PlanWoowupRewardStepInput = {
  order: RewardOrder
  reward: RewardRecord | null
  /** An import: whether its purchases carry points (history older than the look-back window then has none). */
  import?: { award_points: boolean } | null
}

export const planWoowupRewardStepId = "plan-woowup-reward"
/**
 * This step applies the plugin's rules to the order: what to send to WoowUp and how many points it earns,
 * or why there is nothing to send. Once the purchase was sent, it stays under the identity and invoice number it
 * was sent under (see `SentPurchase`), whatever the order says now. An import without points sends history with
 * none (see rules/history.ts).
 */
export const planWoowupRewardStep = createStep(
  planWoowupRewardStepId,
  async (input: PlanWoowupRewardStepInput, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const options = await woowup.getOptions()
    // Once sent as history, always history: nothing was given, so nothing is ever taken back.
    const historical =
      !!input.reward?.historical ||
      (!!input.import &&
        !sentPurchase(input.reward) &&
        importsWithoutPoints({
          award_points: input.import.award_points,
          created_at: input.order.created_at,
          now: new Date(),
          lookbackHours: options.reconcile.lookbackHours,
        }))
    return new StepResponse<RewardDecision>(decideReward(input.order, options, sentPurchase(input.reward), historical))
  }
)
