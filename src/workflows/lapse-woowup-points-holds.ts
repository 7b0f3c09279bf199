import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../modules/woowup"
import type WoowupModuleService from "../modules/woowup/service"

export const lapseWoowupPointsHoldsStepId = "lapse-woowup-points-holds"
/** This step marks `lapsed` the holds of unpaid carts past `redeem.holdMinutes` (they already count for nothing). */
export const lapseWoowupPointsHoldsStep = createStep(lapseWoowupPointsHoldsStepId, async (_: void, { container }) => {
  return new StepResponse(await container.resolve<WoowupModuleService>(WOOWUP_MODULE).lapsePointsHolds())
})

export const lapseWoowupPointsHoldsWorkflowId = "woowup-lapse-points-holds"
/**
 * This workflow lapses the points holds of carts left unpaid past `redeem.holdMinutes`: their points count for the
 * customer's other carts again (the hold's `expires_at` already makes them count for nothing; this says so on the
 * record). A lapsed cart that completes is still checked against the live balance (docs/redeem-points.md).
 *
 * @example
 * const { result: lapsed } = await lapseWoowupPointsHoldsWorkflow(container).run()
 *
 * @summary
 * Lapse the points holds of unpaid carts.
 */
export const lapseWoowupPointsHoldsWorkflow = createWorkflow(lapseWoowupPointsHoldsWorkflowId, () => {
  return new WorkflowResponse(lapseWoowupPointsHoldsStep())
})
