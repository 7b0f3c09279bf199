import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { WOOWUP_MODULE } from "../../../../modules/woowup"
import type { RewardStatus } from "../../../../modules/woowup/models/woowup-reward"
import type WoowupModuleService from "../../../../modules/woowup/service"
import type { AdminWoowupRewardsResponse } from "../types"
import type { GetAdminWoowupRewardsParamsType } from "../validators"

/**
 * The reward records, filtered by status, order, creation time, or identity / invoice number (`q`). Status as the
 * admin shows it (order-status.ts): a synced purchase with a failed points adjustment is `failed`, with its reason.
 */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, GetAdminWoowupRewardsParamsType>,
  res: MedusaResponse<AdminWoowupRewardsResponse>
) => {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const woowup = req.scope.resolve<WoowupModuleService>(WOOWUP_MODULE)
  const { q, status, ...filters } = req.filterableFields as Record<string, unknown>
  const failing = await woowup.listOrdersWithFailedAdjustments()
  const and: Record<string, unknown>[] = []
  if (q) {
    const like = `%${String(q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    and.push({ $or: [{ identity: { $ilike: like } }, { invoice_number: { $ilike: like } }] })
  }
  if (status) {
    and.push({ $or: statusFilters([status].flat() as RewardStatus[], [...failing.keys()]) })
  }
  if (and.length) {
    filters.$and = and
  }
  const { data: rewards, metadata } = await query.graph({
    entity: "woowup_reward",
    fields: req.queryConfig.fields,
    filters,
    pagination: req.queryConfig.pagination,
  })
  const shown = rewards.map((reward: Record<string, any>) => {
    const failed = reward.status === "synced" ? failing.get(reward.order_id) : undefined
    return failed ? { ...reward, status: "failed", ...failed } : reward
  })
  res.json({ rewards: shown, count: metadata!.count, limit: metadata!.take, offset: metadata!.skip })
}

/** The records shown in `wanted` statuses, knowing the orders whose synced purchase has a failed adjustment. */
function statusFilters(wanted: RewardStatus[], failingOrderIds: string[]): Record<string, unknown>[] {
  if (!failingOrderIds.length) {
    return [{ status: wanted }]
  }
  const filters: Record<string, unknown>[] = []
  const others = wanted.filter((s) => s !== "synced")
  if (others.length) {
    filters.push({ status: others })
  }
  if (wanted.includes("synced")) {
    filters.push({ status: "synced", order_id: { $nin: failingOrderIds } })
  }
  if (wanted.includes("failed")) {
    filters.push({ status: "synced", order_id: failingOrderIds })
  }
  return filters
}
