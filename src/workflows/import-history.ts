import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import type { RunAction } from "../modules/woowup/service"
import { WOOWUP_RESYNC_REQUESTED } from "./reconcile-orders"
import { changeWoowupRunStatusStep } from "./steps/change-woowup-run-status"
import { createWoowupImportStep, type CreateWoowupImportStepInput } from "./steps/create-woowup-import"
import { findWoowupRunsToResumeStep } from "./steps/find-woowup-runs-to-resume"

export type RequestWoowupImportWorkflowInput = CreateWoowupImportStepInput

export const requestWoowupImportWorkflowId = "woowup-request-import"
/**
 * This workflow records an import of the store's history into WoowUp (customers, then their purchases with their
 * original dates, with or without points) and hands it to the background: a worker carries it out, resumably, on
 * the `woowup.resync_requested` event. A dry run is answered at once and sends nothing.
 *
 * @example
 * const { result: run } = await requestWoowupImportWorkflow(container).run({
 *   input: { from: "2024-01-01T00:00:00Z", to: "2026-01-01T00:00:00Z", award_points: false },
 * })
 */
export const requestWoowupImportWorkflow = createWorkflow(
  requestWoowupImportWorkflowId,
  (input: RequestWoowupImportWorkflowInput) => {
    const run = createWoowupImportStep(input)
    when("woowup-import-to-run", { run }, ({ run }) => !run.dry_run).then(() =>
      emitEventStep({ eventName: WOOWUP_RESYNC_REQUESTED, data: transform({ run }, ({ run }) => ({ id: run.id })) })
    )
    return new WorkflowResponse(run)
  }
)

export const changeWoowupRunStatusWorkflowId = "woowup-change-run-status"
/**
 * This workflow pauses, resumes or cancels an import or a resync. A resumed one is handed to the background again.
 *
 * @example
 * await changeWoowupRunStatusWorkflow(container).run({ input: { id: "wurun_123", action: "pause" } })
 */
export const changeWoowupRunStatusWorkflow = createWorkflow(
  changeWoowupRunStatusWorkflowId,
  (input: { id: string; action: RunAction }) => {
    const run = changeWoowupRunStatusStep(input)
    when("woowup-run-resumed", { input }, ({ input }) => input.action === "resume").then(() =>
      emitEventStep({ eventName: WOOWUP_RESYNC_REQUESTED, data: transform({ run }, ({ run }) => ({ id: run.id })) })
    )
    return new WorkflowResponse(run)
  }
)

export const resumeWoowupRunsWorkflowId = "woowup-resume-runs"
/**
 * This workflow hands the resyncs and imports whose process died (or whose event was lost) to the background
 * again; the reconcile job runs it every minute, so an import resumes within two minutes of a crash, on whichever
 * process is alive.
 *
 * @example
 * await resumeWoowupRunsWorkflow(container).run({})
 */
export const resumeWoowupRunsWorkflow = createWorkflow(resumeWoowupRunsWorkflowId, () => {
  const runs = findWoowupRunsToResumeStep()
  when("woowup-runs-to-resume", { runs }, ({ runs }) => runs.length > 0).then(() =>
    emitEventStep({ eventName: WOOWUP_RESYNC_REQUESTED, data: runs })
  )
  return new WorkflowResponse(runs)
})
