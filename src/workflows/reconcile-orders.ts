import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
// By file, not through ./steps: these steps run the award workflow, which imports ./steps (no import circle).
import { createWoowupResyncStep, type CreateWoowupResyncStepInput } from "./steps/create-woowup-resync"
import { reconcileWoowupOrdersStep } from "./steps/reconcile-woowup-orders"
import { startWoowupReconcileJobStep } from "./steps/start-woowup-reconcile-job"

/** Emitted when an admin asks for a resync; a worker (or the only process) carries it out. */
export const WOOWUP_RESYNC_REQUESTED = "woowup.resync_requested"

export const reconcileWoowupOrdersWorkflowId = "woowup-reconcile-orders"
/**
 * This workflow carries out a recorded reconcile run or resync: every order it is about goes through the award
 * workflow (`woowup-reward-order`), the one path that sends anything to WoowUp.
 *
 * @example
 * await reconcileWoowupOrdersWorkflow(container).run({ input: { run_id: "wurun_123" } })
 */
export const reconcileWoowupOrdersWorkflow = createWorkflow(
  reconcileWoowupOrdersWorkflowId,
  (input: { run_id: string }) => new WorkflowResponse(reconcileWoowupOrdersStep(input))
)

export const runWoowupReconcileJobWorkflowId = "woowup-run-reconcile-job"
/**
 * This workflow is the scheduled reconcile job: when `reconcile.schedule` says it is due and no other run is in
 * progress, it finds, in the look-back window, every captured order that WoowUp does not hold as it should (no
 * record, a skip on payments that changed, a retryable failure that is due, a claim of a dead process, a capture
 * top-up or a refund not yet reflected) and takes it through the award workflow. Returns the run, or null.
 *
 * @example
 * const { result: run } = await runWoowupReconcileJobWorkflow(container).run({ input: {} })
 */
export const runWoowupReconcileJobWorkflow = createWorkflow(
  runWoowupReconcileJobWorkflowId,
  (input: { now?: Date | string }) => {
    const runId = startWoowupReconcileJobStep(input)
    const run = when("woowup-reconcile-due", { runId }, ({ runId }) => !!runId).then(() =>
      reconcileWoowupOrdersStep(transform({ runId }, ({ runId }) => ({ run_id: runId! })))
    )
    return new WorkflowResponse(transform({ run }, ({ run }) => run ?? null))
  }
)

export type RequestWoowupResyncWorkflowInput = CreateWoowupResyncStepInput

export const requestWoowupResyncWorkflowId = "woowup-request-resync"
/**
 * This workflow records an admin's resync (named orders, or a window of order creation times) and hands it to the
 * background: a worker carries it out on the `woowup.resync_requested` event. A dry run is answered at once and
 * sends nothing.
 *
 * @example
 * const { result: resync } = await requestWoowupResyncWorkflow(container).run({
 *   input: { from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z" },
 * })
 */
export const requestWoowupResyncWorkflow = createWorkflow(
  requestWoowupResyncWorkflowId,
  (input: RequestWoowupResyncWorkflowInput) => {
    const resync = createWoowupResyncStep(input)
    when("woowup-resync-to-run", { resync }, ({ resync }) => !resync.dry_run).then(() =>
      emitEventStep({ eventName: WOOWUP_RESYNC_REQUESTED, data: transform({ resync }, ({ resync }) => ({ id: resync.id })) })
    )
    return new WorkflowResponse(resync)
  }
)
