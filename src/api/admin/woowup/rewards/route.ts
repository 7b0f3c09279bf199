import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AdminWoowupRewardsResponse } from "../types"
import type { GetAdminWoowupRewardsParamsType } from "../validators"

/** The reward records, filtered by status, order, creation time, or identity / invoice number (`q`). */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, GetAdminWoowupRewardsParamsType>,
  res: MedusaResponse<AdminWoowupRewardsResponse>
) => {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { q, ...filters } = req.filterableFields as Record<string, unknown>
  if (q) {
    const like = `%${String(q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    filters.$or = [{ identity: { $ilike: like } }, { invoice_number: { $ilike: like } }]
  }
  const { data: rewards, metadata } = await query.graph({
    entity: "woowup_reward",
    fields: req.queryConfig.fields,
    filters,
    pagination: req.queryConfig.pagination,
  })
  res.json({ rewards, count: metadata!.count, limit: metadata!.take, offset: metadata!.skip })
}
