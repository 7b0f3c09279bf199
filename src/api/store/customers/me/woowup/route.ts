import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { getWoowupCustomerPointsWorkflow } from "../../../../../workflows/get-woowup-customer-points"
import type {
  StoreWoowupPointsResponse,
  StoreWoowupUnavailableResponse,
  StoreWoowupUnverifiedResponse,
} from "../../../woowup/types"
import type { StoreGetWoowupPointsType } from "../../../woowup/validators"

/**
 * The logged-in customer's WoowUp points and transactions. Only ever their own: the customer comes from the token,
 * and their identity must be proven theirs, else `{ woowup: { verified: false } }`.
 */
export const GET = async (
  req: AuthenticatedMedusaRequest<unknown, StoreGetWoowupPointsType>,
  res: MedusaResponse<StoreWoowupPointsResponse | StoreWoowupUnverifiedResponse | StoreWoowupUnavailableResponse>
) => {
  const { limit, offset, cart_id } = req.validatedQuery
  const { result } = await getWoowupCustomerPointsWorkflow(req.scope).run({
    input: { customer_id: req.auth_context.actor_id, limit, offset, cart_id },
  })
  if (result.status === "unverified") {
    // Nothing of WoowUp's until the store has proven the identity is theirs (README, "Proven identities").
    res.json({ woowup: { verified: false } })
    return
  }
  if (result.status === "unavailable") {
    res.setHeader("Retry-After", "5")
    res.status(503).json({ type: "woowup_unavailable", message: result.message })
    return
  }
  const { points, updated_at, transactions } = result.snapshot
  res.json({
    woowup: {
      verified: true,
      points,
      updated_at,
      ...(result.status === "stale" ? { stale: true as const } : {}),
      transactions,
      limit,
      offset,
      ...(result.redeemable ? { redeemable: result.redeemable } : {}),
    },
  })
}
