import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import type WoowupModuleService from "../../modules/woowup/service"
import type { RunAction } from "../../modules/woowup/service"

export const changeWoowupRunStatusStepId = "change-woowup-run-status"
/**
 * This step pauses, resumes or cancels an import (or a resync): the process carrying it out sees it between two
 * chunks of orders and stops, its cursor written. A status that does not allow the action is a 409.
 */
export const changeWoowupRunStatusStep = createStep(
  changeWoowupRunStatusStepId,
  async (input: { id: string; action: RunAction }, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const before = await woowup.retrieveWoowupReconcileRun(input.id)
    const changed = await woowup.changeRunStatus(input)
    if (!changed) {
      throw new MedusaError(
        MedusaError.Types.CONFLICT,
        `Cannot ${input.action} ${before.kind} ${before.id}: it is ${before.dry_run ? "a dry run" : before.status}`
      )
    }
    return new StepResponse(changed, { id: changed.id, status: before.status })
  },
  async (previous, { container }) => {
    if (!previous) {
      return
    }
    await container
      .resolve<WoowupModuleService>(WOOWUP_MODULE)
      .updateWoowupReconcileRuns({ id: previous.id, status: previous.status })
  }
)
