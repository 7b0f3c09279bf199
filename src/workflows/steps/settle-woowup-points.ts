import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import { isWoowupError, type WoowupClient } from "../../modules/woowup/client"
import {
  decideReward,
  formatWoowupDate,
  ORDER_FIELDS,
  sentPurchase,
  type RewardDecision,
  type RewardOrder,
} from "../../modules/woowup/rules"
import type WoowupModuleService from "../../modules/woowup/service"
import {
  adjustmentMark,
  type AdjustmentOutcome,
  type OrderPayments,
  type PointsAdjustmentRecord,
  type RecordPointsAdjustmentInput,
} from "../../modules/woowup/service"
import { forgetStorefrontPoints } from "../utils/forget-storefront-points"
import { keepClaimAlive } from "../engine/keep-claim-alive"
import { findPurchasePoints } from "./send-woowup-purchase"

export type SettleWoowupPointsStepInput = {
  order_id: string
  /** The points WoowUp should hold for the order, as planned at the workflow's start (null: leave them be). */
  target_points: number | null
  /** What takes points back when the target is below what WoowUp holds. */
  cause: RecordPointsAdjustmentInput["cause"]
  /** The order's payments the target was planned on. */
  payments: OrderPayments
  /** An admin's resync of named orders: adjustments WoowUp refused are tried again. */
  force?: boolean
  /** An admin's resync: adjustments worth retrying are tried now, not at their next attempt time. */
  retry_now?: boolean
  /** This run just sent the purchase with exactly the target: nothing can be owed. */
  sent_exactly?: boolean
}

export const settleWoowupPointsStepId = "settle-woowup-points"
/**
 * This step brings the customer's points in WoowUp to what the order earns now: it records the difference with
 * what WoowUp holds (the purchase's points plus every adjustment) as one points adjustment, positive for a later
 * capture, negative for a refund or a cancelation, then applies the order's pending adjustments, each exactly
 * once. When the order's payments changed while the workflow ran, the target is planned again on the order as it
 * is now. Finally it notes on the record the payments WoowUp now matches, for the reconcile job, unless an
 * adjustment failed: that one is returned with the applied ones, and the order is not converged until a resync.
 */
export const settleWoowupPointsStep = createStep(
  settleWoowupPointsStepId,
  async (input: SettleWoowupPointsStepInput, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const state = await woowup.getOrderSyncState(input.order_id)
    const reward = state?.reward
    // Points spent on the order at checkout: their debit is part of what the order wants, whether or not WoowUp
    // has its purchase yet (docs/redeem-points.md).
    const redemption = state && !state.other_account ? await woowup.spendOrderPointsHold(input.order_id) : null
    if (state && redemption) {
      await woowup.recordRedemptionAdjustment({ order_id: input.order_id, payments: state.payments })
    }
    if (!state || reward?.status !== "synced") {
      if (!state || !redemption) {
        return new StepResponse<PointsAdjustmentRecord[]>([])
      }
      const applied = await applyPendingAdjustments(woowup, input)
      if (applied.some((a) => a.status === "applied")) {
        await forgetStorefrontPoints(container, woowup, { field: redemption.identifier, value: redemption.identity })
      }
      await woowup.recordRedemptionSettled({ order_id: input.order_id, payments: state.payments })
      return new StepResponse(await withFailed(woowup, input.order_id, applied))
    }
    if (reward.points_unknown) {
      const points = await findPurchasePoints(woowup.client, reward.invoice_number!)
      if (points == null) {
        return new StepResponse<PointsAdjustmentRecord[]>([])
      }
      await woowup.recordPurchasePoints({ order_id: input.order_id, points })
    }
    if (input.force) {
      await woowup.reopenFailedAdjustments(input.order_id)
    }

    let target = input.target_points
    let cause = input.cause
    const changed = !samePayments(state.payments, input.payments)
    if (changed) {
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({ entity: "order", fields: ORDER_FIELDS, filters: { id: input.order_id } })
      const decision = decideReward(data[0] as unknown as RewardOrder, await woowup.getOptions(), sentPurchase(reward))
      target = decision.target_points
      cause = takingBackCause(decision)
    }
    if (target != null && (changed || !input.sent_exactly)) {
      await woowup.recordPointsAdjustment({ order_id: input.order_id, target_points: target, cause, payments: state.payments })
    }

    const applied = await applyPendingAdjustments(woowup, input)
    if (applied.some((a) => a.status === "applied")) {
      await forgetStorefrontPoints(container, woowup, { field: reward.identifier, value: reward.identity })
    }
    if (redemption) {
      await woowup.recordRedemptionSettled({ order_id: input.order_id, payments: state.payments })
    }
    await woowup.recordRewardConverged({ order_id: input.order_id, payments: state.payments })
    return new StepResponse(await withFailed(woowup, input.order_id, applied))
  }
)

/** Applies the order's pending adjustments, one claim at a time, each exactly once. */
async function applyPendingAdjustments(
  woowup: WoowupModuleService,
  input: Pick<SettleWoowupPointsStepInput, "order_id" | "force" | "retry_now">
): Promise<PointsAdjustmentRecord[]> {
  const applied: PointsAdjustmentRecord[] = []
  let adjustment: PointsAdjustmentRecord | null
  while ((adjustment = await woowup.claimNextAdjustment({ order_id: input.order_id, force: input.force || input.retry_now }))) {
    applied.push(await applyAdjustment(woowup, adjustment))
  }
  return applied
}

/** A failed adjustment blocks the later ones (see recordPointsAdjustment): the run reports the order failed. */
async function withFailed(woowup: WoowupModuleService, orderId: string, applied: PointsAdjustmentRecord[]) {
  const failed = await woowup.listWoowupPointsAdjustments({ order_id: orderId, status: "failed" })
  return [...applied, ...failed.filter((f) => !applied.some((a) => a.id === f.id))]
}

/** What takes points back when a decision's target is below what WoowUp holds: the cancelation, or refunds. */
export function takingBackCause(decision: RewardDecision): RecordPointsAdjustmentInput["cause"] {
  return decision.action === "skip" && decision.reason === "order_canceled" ? "cancel" : "refund"
}

function samePayments(a: OrderPayments, b: OrderPayments): boolean {
  return (
    Number(a.captured_amount) === Number(b.captured_amount) &&
    Number(a.refunded_amount) === Number(b.refunded_amount) &&
    a.canceled === b.canceled
  )
}

/**
 * One points adjustment, exactly once. WoowUp de-duplicates no points call, so: an adjustment that may already
 * have been sent is first looked for in the customer's WoowUp transactions, by the mark in its description; it
 * is sent only when that search says it is not there; and it is marked as sent as the request leaves, on a claim
 * that is still this run's and fresh at that moment.
 */
async function applyAdjustment(
  woowup: WoowupModuleService,
  adjustment: PointsAdjustmentRecord
): Promise<PointsAdjustmentRecord> {
  const claim = { id: adjustment.id, attempts: adjustment.attempts }
  const identity = { [adjustment.identifier]: adjustment.identity }
  const outcome = await keepClaimAlive(
    () => woowup.heartbeatClaim("woowup_points_adjustment", claim),
    async (signal): Promise<AdjustmentOutcome | null> => {
      if (adjustment.sent_at) {
        const search = await searchTransactions(woowup.client, identity, adjustment, signal)
        if (search === "found") {
          return { status: "applied" }
        }
        if (search === "unknown") {
          return {
            status: "retry",
            reason: "WoowUp may already have these points and its transactions could not be searched: searched again later, never sent twice",
            error_code: "outcome_unknown",
          }
        }
      }
      let fresh = true
      try {
        // Marked sent as the request leaves, on a claim proven fresh then: however long the call waited, it never
        // goes out once another run may have taken the adjustment over.
        await woowup.client.addPoints(
          { ...identity, points: adjustment.points, concept: adjustmentConcept(adjustment), description: adjustment.description },
          { signal, beforeSend: async () => (fresh = await woowup.markAdjustmentSent(claim)) }
        )
        return { status: "applied" }
      } catch (e) {
        if (!fresh) {
          // Not sent: the claim is another run's now, or stale and free for the next one to take.
          return null
        }
        if (!isWoowupError(e)) {
          throw e
        }
        return e.retryable || e.outcomeUnknown
          ? { status: "retry", reason: e.message, error_code: e.code }
          : { status: "refused", reason: e.message, error_code: e.code }
      }
    }
  )
  return outcome ? await woowup.recordAdjustmentOutcome(claim, outcome) : adjustment
}

/**
 * WoowUp's `concept` of an adjustment: `redeem` for points spent at checkout and given back (an assumption: WoowUp
 * documents no concept for spending, and takes any non-empty one; README, "Spend points at checkout"), `purchase`
 * for the rest.
 */
function adjustmentConcept(adjustment: PointsAdjustmentRecord): string {
  return adjustment.cause === "redeem" || adjustment.cause === "redeem_return" ? "redeem" : "purchase"
}

/** Pages searched at most from the adjustment's first send: past that, "unknown". */
const SEARCH_PAGES = 20
/** Transactions asked for a page: WoowUp's documented maximum. An account may answer fewer. */
const SEARCH_PAGE_SIZE = 100
/** WoowUp's clock may differ from ours: the search starts this much before the first send. */
const CLOCK_SKEW_MS = 60 * 60_000

/**
 * Whether the adjustment's mark is among the customer's WoowUp transactions since it was first sent. The search
 * is bounded by time (`from`, with an explicit offset: a zone-less time could be read as the account's local time,
 * hours later, and miss the mark), not by the customer's history, and takes no order of the list for granted. It
 * ends on an empty page, never on a short one: an account may cap pages below the `limit` asked. A search that
 * fails or runs out of pages says "unknown", never "not there".
 */
async function searchTransactions(
  client: WoowupClient,
  identity: Record<string, string>,
  adjustment: PointsAdjustmentRecord,
  signal: AbortSignal
): Promise<"found" | "absent" | "unknown"> {
  const mark = adjustmentMark(adjustment.order_id, adjustment.token)
  const from = formatWoowupDate(new Date(new Date(adjustment.sent_at!).getTime() - CLOCK_SKEW_MS))!
  for (let page = 0; page < SEARCH_PAGES; page++) {
    let transactions
    try {
      transactions = await client.listTransactions(identity, { from, page, limit: SEARCH_PAGE_SIZE }, { signal })
    } catch (e) {
      if (isWoowupError(e)) {
        return "unknown"
      }
      throw e
    }
    if (transactions.some((t) => t.description?.includes(mark))) {
      return "found"
    }
    if (!transactions.length) {
      return "absent"
    }
  }
  return "unknown"
}
