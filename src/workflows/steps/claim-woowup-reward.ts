import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import type WoowupModuleService from "../../modules/woowup/service"
import type { ClaimRewardInput } from "../../modules/woowup/service"

export const claimWoowupRewardStepId = "claim-woowup-reward"
/**
 * This step takes the order's reward for sending, so that two paths reaching the same order at the same moment
 * (two events, the reconcile job, a resync, two processes) do not both send. Returns null when there is nothing
 * to send: another path holds it, or it is already synced.
 */
export const claimWoowupRewardStep = createStep(
  claimWoowupRewardStepId,
  async (input: ClaimRewardInput, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const reward = await woowup.claimReward(input)
    return new StepResponse(reward, reward ? { id: reward.id, attempts: reward.attempts } : null)
  },
  // A later step failed unexpectedly: hand the claim back as a retryable failure rather than leave it pending.
  async (claim, { container }) => {
    if (!claim) {
      return
    }
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    await woowup.releaseClaim("woowup_reward", claim)
  }
)
