import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import type WoowupModuleService from "../../modules/woowup/service"

export const findWoowupRunsToResumeStepId = "find-woowup-runs-to-resume"
/** This step finds the resyncs and imports no live process carries out (theirs died, or their event was lost). */
export const findWoowupRunsToResumeStep = createStep(findWoowupRunsToResumeStepId, async (_: void, { container }) => {
  const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
  return new StepResponse((await woowup.findRunsToResume()).map((id) => ({ id })))
})
