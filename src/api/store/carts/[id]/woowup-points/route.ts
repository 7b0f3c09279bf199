import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { applyWoowupPointsWorkflow } from "../../../../../workflows/apply-woowup-points"
import { removeWoowupPointsWorkflow } from "../../../../../workflows/remove-woowup-points"
import type { StoreWoowupPointsCartResponse } from "../../../woowup/types"
import type { PostStoreWoowupPointsType } from "../../../woowup/validators"

/** Spends `points` of the logged-in customer's WoowUp balance on their cart (docs/redeem-points.md). */
export const POST = async (
  req: AuthenticatedMedusaRequest<PostStoreWoowupPointsType>,
  res: MedusaResponse<StoreWoowupPointsCartResponse>
) => {
  const { result } = await applyWoowupPointsWorkflow(req.scope).run({
    input: { cart_id: req.params.id, customer_id: req.auth_context.actor_id, points: req.validatedBody.points },
  })
  res.json({ cart: result as StoreWoowupPointsCartResponse["cart"] })
}

/** Takes the points off the customer's cart. */
export const DELETE = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<StoreWoowupPointsCartResponse>) => {
  const { result } = await removeWoowupPointsWorkflow(req.scope).run({
    input: { cart_id: req.params.id, customer_id: req.auth_context.actor_id },
  })
  res.json({ cart: result as StoreWoowupPointsCartResponse["cart"] })
}
