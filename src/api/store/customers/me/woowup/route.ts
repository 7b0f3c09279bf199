import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { getWoowupCustomerPointsWorkflow } from "../../../../../workflows/get-woowup-customer-points"
import type { StoreWoowupPointsResponse, StoreWoowupUnavailableResponse } from "../../../woowup/types"
import type { StoreGetWoowupPointsType } from "../../../woowup/validators"

/** The logged-in customer's WoowUp points and transactions. Only ever their own: the customer comes from the token. */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, StoreGetWoowupPointsType>,
  res: MedusaResponse<StoreWoowupPointsResponse | StoreWoowupUnavailableResponse>
) => {
  const { limit, offset } = req.validatedQuery
  const { result } = await getWoowupCustomerPointsWorkflow(req.scope).run({
    input: { customer_id: req.auth_context.actor_id, limit, offset },
  })
  if (result.status === "unavailable") {
    res.setHeader("Retry-After", "5")
    res.status(503).json({ type: "woowup_unavailable", message: result.message })
    return
  }
  const { points, updated_at, transactions } = result.snapshot
  res.json({
    woowup: { points, updated_at, ...(result.status === "stale" ? { stale: true as const } : {}), transactions, limit, offset },
  })
}
