import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import type WoowupModuleService from "../../modules/woowup/service"
import type { RecordRewardSkipInput } from "../../modules/woowup/service"

export const recordWoowupRewardSkipStepId = "record-woowup-reward-skip"
/**
 * This step records why the order's reward was not sent, and on which payments that was decided, unless the
 * record already tells more (pending, synced or failed).
 */
export const recordWoowupRewardSkipStep = createStep(
  recordWoowupRewardSkipStepId,
  async (input: RecordRewardSkipInput, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    return new StepResponse(await woowup.recordRewardSkip(input))
  }
)
