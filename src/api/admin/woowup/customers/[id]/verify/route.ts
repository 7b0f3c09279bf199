import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { unverifyWoowupIdentityWorkflow } from "../../../../../../workflows/unverify-woowup-identity"
import { verifyWoowupIdentityWorkflow } from "../../../../../../workflows/verify-woowup-identity"
import type { AdminWoowupIdentityProofResponse } from "../../../types"

/** Marks the customer's WoowUp identity, as it is now, as proven theirs (support checked it). */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminWoowupIdentityProofResponse>) => {
  const { result } = await verifyWoowupIdentityWorkflow(req.scope).run({
    input: { customer_id: req.params.id, actor_id: req.auth_context.actor_id },
  })
  res.json({ woowup_identity: result })
}

/** Undoes the proof of the customer's WoowUp identity. */
export const DELETE = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminWoowupIdentityProofResponse>) => {
  const { result } = await unverifyWoowupIdentityWorkflow(req.scope).run({
    input: { customer_id: req.params.id, actor_id: req.auth_context.actor_id },
  })
  res.json({ woowup_identity: result })
}
