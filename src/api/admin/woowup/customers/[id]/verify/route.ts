import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { WOOWUP_MODULE } from "../../../../../../modules/woowup"
import { STORE_CUSTOMER_FIELDS, type StoreCustomer } from "../../../../../../modules/woowup/rules/store-points"
import type WoowupModuleService from "../../../../../../modules/woowup/service"
import { customerIdentityProof, toAdminIdentityProof } from "../../../../../../workflows/utils/identity-proof"
import { unverifyWoowupIdentityWorkflow } from "../../../../../../workflows/unverify-woowup-identity"
import { verifyWoowupIdentityWorkflow } from "../../../../../../workflows/verify-woowup-identity"
import type { AdminWoowupIdentityProofResponse } from "../../../types"

/** Whether the customer's WoowUp identity, as it is now, is proven theirs, and the proof on record. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminWoowupIdentityProofResponse>) => {
  const { data } = await req.scope.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "customer",
    fields: STORE_CUSTOMER_FIELDS,
    filters: { id: req.params.id },
  })
  const customer = data[0] as StoreCustomer | undefined
  if (!customer) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `Customer with id: ${req.params.id} was not found`)
  }
  const woowup = req.scope.resolve<WoowupModuleService>(WOOWUP_MODULE)
  const { identifier } = await woowup.getOptions()
  const state = await customerIdentityProof(woowup, customer)
  res.json({ woowup_identity: toAdminIdentityProof(customer.id, identifier, state, state.proof) })
}

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
