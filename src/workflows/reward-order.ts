import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { useQueryGraphStep } from "@medusajs/medusa/core-flows"
import type { RewardTrigger } from "../modules/woowup/models/woowup-reward"
import {
  ORDER_FIELDS,
  sentPurchase,
  type RewardOrder,
  type RewardSend,
  type RewardSkip,
} from "../modules/woowup/rules"
import type { PointsAdjustmentRecord, RewardRecord } from "../modules/woowup/service"
import {
  checkWoowupPurchaseStep,
  claimWoowupRewardStep,
  loadWoowupSyncStateStep,
  planWoowupRewardStep,
  recordWoowupCurrentIdentityStep,
  recordWoowupRewardSkipStep,
  sendWoowupPurchaseStep,
  settleWoowupPointsStep,
  takingBackCause,
} from "./steps"

export type RewardOrderWorkflowInput = {
  order_id: string
  /** What asked for it; kept on the record. */
  trigger: RewardTrigger
  /** An admin's resync of named orders: also retry a failure judged permanent (and adjustments WoowUp refused). */
  force?: boolean
  /** An admin's resync: failures worth retrying are tried now, not at their next attempt time. */
  retry_now?: boolean
  /**
   * An admin's resync of the records written for another WoowUp account: such a record is sent to this account.
   * Without it, a run leaves another account's record alone (a store's test orders do not belong in production).
   */
  other_account?: boolean
  /**
   * An import of the store's history: whether its purchases carry points (orders older than the look-back window
   * then go as history, with none). The import runs it with its calls at the lowest priority (`withCallPriority`).
   */
  import?: { award_points: boolean }
}

/**
 * What the run did: `sent` something to WoowUp; found WoowUp `already_synced` with the order; `skipped` it (the
 * record says why); `failed` (the record says why, and when it is tried again); found another run `busy` on it;
 * or left it because its record was written for `other_account` (another WoowUp account).
 */
export type RewardOrderOutcome = "sent" | "already_synced" | "skipped" | "failed" | "busy" | "other_account"

export type RewardOrderWorkflowOutput = {
  outcome: RewardOrderOutcome
  reward: RewardRecord | null
  adjustments: PointsAdjustmentRecord[]
}

export const rewardOrderWorkflowId = "woowup-reward-order"
/**
 * This workflow brings what WoowUp holds for an order to what the order wants as it is now: the purchase, with its
 * items and the points it earns (creating the customer when WoowUp does not know them), and later the points that
 * further captures add and that refunds and a cancelation take back. Every path runs it (payment captured, order
 * placed, refunded or canceled, the reconcile job, an admin's resync), any number of times: it stops at once when
 * WoowUp already matches the order, a claim on the order's record lets one run send at a time, WoowUp refuses a
 * second purchase with the same invoice number, and each points adjustment is written before it is sent and found
 * in WoowUp before it is sent again. From the first send on, the purchase keeps the identity and invoice number it
 * was sent under; a record whose send failed (or whose process died) while its order now wants no purchase is
 * checked in WoowUp, then taken to what the order wants.
 *
 * @example
 * const { result } = await rewardOrderWorkflow(container).run({
 *   input: { order_id: "order_123", trigger: "payment_captured" },
 * })
 *
 * @summary
 * Bring an order's purchase and points in WoowUp to what the order wants, once.
 */
export const rewardOrderWorkflow = createWorkflow(rewardOrderWorkflowId, (input: RewardOrderWorkflowInput) => {
  const state = loadWoowupSyncStateStep({ order_id: input.order_id })
  const todo = transform({ state, input }, ({ state, input }) =>
    state.other_account ? !!input.other_account : !state.converged || !!input.force
  )

  const loaded = when("woowup-order-not-converged", { todo }, ({ todo }) => todo).then(() =>
    useQueryGraphStep({
      entity: "order",
      fields: ORDER_FIELDS,
      filters: { id: input.order_id },
      options: { throwIfKeyNotFound: true },
    })
  )
  const decision = when("woowup-order-loaded", { loaded }, ({ loaded }) => !!loaded).then(() =>
    planWoowupRewardStep({
      order: transform({ loaded }, ({ loaded }) => loaded!.data[0] as unknown as RewardOrder),
      reward: transform({ state }, ({ state }) => state.reward),
      import: transform({ input }, ({ input }) => input.import ?? null),
    })
  )

  // The order's identity moved away from the purchase's owner (or back): said on the record, nothing more.
  const identityMoved = transform({ decision, state }, ({ decision, state }) => {
    const reward = state.reward
    if (!decision || !reward || !sentPurchase(reward)) {
      return false
    }
    const now = decision.current_identity
    return (now?.field ?? null) !== reward.current_identifier || (now?.value ?? null) !== reward.current_identity
  })
  when("woowup-identity-moved", { identityMoved }, ({ identityMoved }) => identityMoved).then(() =>
    recordWoowupCurrentIdentityStep(
      transform({ input, decision }, ({ input, decision }) => ({
        order_id: input.order_id,
        identity: decision!.current_identity,
      }))
    )
  )

  // A skip on a record whose purchase WoowUp may hold (a send failed or its process died): WoowUp is asked first.
  const check = transform(
    { decision, state },
    ({ decision, state }) =>
      decision?.action === "skip" && !state.other_account && !!sentPurchase(state.reward) && state.reward!.status !== "synced"
  )
  const skipped = when("woowup-reward-skipped", { decision, check }, ({ decision, check }) => decision?.action === "skip" && !check).then(
    () =>
      recordWoowupRewardSkipStep(
        transform({ input, decision, state }, ({ input, decision, state }) => ({
          order_id: input.order_id,
          trigger: input.trigger,
          skip: decision as RewardSkip,
          payments: state.payments,
          other_account: input.other_account,
        }))
      )
  )
  const checked = when("woowup-sent-purchase-to-check", { check }, ({ check }) => check).then(() =>
    checkWoowupPurchaseStep(
      transform({ input, decision, state }, ({ input, decision, state }) => ({
        order_id: input.order_id,
        trigger: input.trigger,
        skip: decision as RewardSkip,
        payments: state.payments,
        force: input.force,
        retry_now: input.retry_now,
      }))
    )
  )

  const plan = transform({ decision }, ({ decision }) => (decision?.action === "send" ? (decision as RewardSend) : null))
  const claimed = when("woowup-reward-to-send", { plan }, ({ plan }) => !!plan).then(() =>
    claimWoowupRewardStep(
      transform({ input, plan }, ({ input, plan }) => ({
        order_id: input.order_id,
        trigger: input.trigger,
        force: input.force,
        retry_now: input.retry_now,
        other_account: input.other_account,
        plan: plan!,
      }))
    )
  )

  const sent = when("woowup-reward-claimed", { claimed }, ({ claimed }) => !!claimed).then(() =>
    sendWoowupPurchaseStep(
      transform({ claimed, plan }, ({ claimed, plan }) => ({
        claim: { id: claimed!.id, attempts: claimed!.attempts },
        plan: plan!,
        sent: sentPurchase(claimed),
      }))
    )
  )

  const adjustments = when("woowup-points-to-settle", { decision }, ({ decision }) => !!decision).then(() =>
    settleWoowupPointsStep(
      transform({ input, decision, sent, state }, ({ input, decision, sent, state }) => ({
        order_id: input.order_id,
        target_points: decision!.target_points,
        cause: takingBackCause(decision!),
        payments: state.payments,
        force: input.force,
        retry_now: input.retry_now,
        sent_exactly:
          !!sent?.created && sent.reward.points === decision!.target_points && !sent.reward.points_unknown,
      }))
    )
  )

  const result = transform(
    { state, todo, skipped, checked, claimed, sent, adjustments },
    ({ state, todo, skipped, checked, claimed, sent, adjustments }): RewardOrderWorkflowOutput => {
      const applied = adjustments ?? []
      const reward = sent?.reward ?? checked ?? skipped ?? (state.reward as RewardRecord | null)
      if (state.other_account && !todo) {
        return { outcome: "other_account", reward, adjustments: applied }
      }
      return { outcome: outcomeOf({ converged: state.converged, reward, claimed: !!claimed, sent, applied }), reward, adjustments: applied }
    }
  )
  return new WorkflowResponse(result)
})

function outcomeOf(run: {
  converged: boolean
  reward: RewardRecord | null
  claimed: boolean
  sent?: { created: boolean } | null
  applied: PointsAdjustmentRecord[]
}): RewardOrderOutcome {
  if (run.applied.some((a) => a.status !== "applied") || run.reward?.status === "failed") {
    return "failed"
  }
  if (run.sent?.created || run.applied.length) {
    return "sent"
  }
  switch (run.reward?.status) {
    case "skipped":
      return "skipped"
    case "pending":
      return "busy"
    case "synced":
      return "already_synced"
    default:
      return run.converged ? "already_synced" : "skipped"
  }
}
