import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { useQueryGraphStep } from "@medusajs/medusa/core-flows"
import type { RewardTrigger } from "../modules/woowup/models/woowup-reward"
import { ORDER_FIELDS, type RewardOrder, type RewardSkip } from "../modules/woowup/rules"
import {
  claimWoowupRewardStep,
  planWoowupRewardStep,
  recordWoowupRewardSkipStep,
  sendWoowupPurchaseStep,
  topUpWoowupCapturedPointsStep,
} from "./steps"

export type RewardOrderWorkflowInput = {
  order_id: string
  /** What asked for it; kept on the record. */
  trigger: RewardTrigger
  /** An admin's resync: also retry a failure that was judged permanent. */
  force?: boolean
}

export const rewardOrderWorkflowId = "woowup-reward-order"
/**
 * This workflow rewards a captured order in WoowUp: it records the purchase, its items and the points it earns,
 * creating the customer when WoowUp does not know them. Every path runs it (payment captured, order placed,
 * reconcile, admin resync) and however often it runs for an order, WoowUp gets one purchase: a claim on the
 * order's reward record keeps two runs from sending at once, and WoowUp refuses a second purchase with the
 * same invoice number. Captures after the purchase (partial captures) add their points as adjustments.
 *
 * @example
 * const { result } = await rewardOrderWorkflow(container).run({
 *   input: { order_id: "order_123", trigger: "payment_captured" },
 * })
 *
 * @summary
 * Reward a captured order in WoowUp, once.
 */
export const rewardOrderWorkflow = createWorkflow(rewardOrderWorkflowId, (input: RewardOrderWorkflowInput) => {
  const { data: orders } = useQueryGraphStep({
    entity: "order",
    fields: ORDER_FIELDS,
    filters: { id: input.order_id },
    options: { throwIfKeyNotFound: true },
  })
  const order = transform({ orders }, ({ orders }) => orders[0] as unknown as RewardOrder)
  const decision = planWoowupRewardStep({ order })

  const skipped = when("woowup-reward-skipped", { decision }, ({ decision }) => decision.action === "skip").then(
    () =>
      recordWoowupRewardSkipStep(
        transform({ input, decision }, ({ input, decision }) => ({
          order_id: input.order_id,
          trigger: input.trigger,
          skip: decision as RewardSkip,
        }))
      )
  )

  const plan = transform({ decision }, ({ decision }) => (decision.action === "send" ? decision : null))
  const claimed = when("woowup-reward-to-send", { plan }, ({ plan }) => !!plan).then(() =>
    claimWoowupRewardStep(
      transform({ input, plan }, ({ input, plan }) => ({
        order_id: input.order_id,
        trigger: input.trigger,
        force: input.force,
        plan: plan!,
      }))
    )
  )

  const sent = when("woowup-reward-claimed", { claimed }, ({ claimed }) => !!claimed).then(() =>
    sendWoowupPurchaseStep(
      transform({ claimed, plan }, ({ claimed, plan }) => ({
        claim: { id: claimed!.id, attempts: claimed!.attempts },
        plan: plan!,
      }))
    )
  )

  const adjustments = topUpWoowupCapturedPointsStep(
    transform({ input, plan, sent }, ({ input, plan, sent }) => ({
      order_id: input.order_id,
      sent_in_full: !!plan?.fully_captured && sent?.status === "synced" && sent.points === plan.points,
    }))
  )

  const reward = transform({ skipped, sent }, ({ skipped, sent }) => sent ?? skipped ?? null)
  return new WorkflowResponse({ reward, adjustments })
})
