import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import type { StoreCustomer } from "../../modules/woowup/rules/store-points"
import type WoowupModuleService from "../../modules/woowup/service"
import { customerIdentityProof, toAdminIdentityProof, type AdminWoowupIdentityProof } from "../utils/identity-proof"

export type RevokeWoowupIdentityProofStepInput = {
  customer: StoreCustomer
  /** The admin user who undid it. */
  revoked_by: string
}

export const revokeWoowupIdentityProofStepId = "revoke-woowup-identity-proof"
/**
 * This step undoes the proof of a customer's WoowUp identity, however it was made: until proven again, the
 * storefront shows them nothing of WoowUp's and the sync never updates their WoowUp profile.
 */
export const revokeWoowupIdentityProofStep = createStep(
  revokeWoowupIdentityProofStepId,
  async (input: RevokeWoowupIdentityProofStepInput, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const { identifier } = await woowup.getOptions()
    const proof = await woowup.revokeIdentityProof({ customer_id: input.customer.id, revoked_by: input.revoked_by })
    // Proven by construction (the customer id as service_uid) stays proven: nothing to undo there.
    const state = await customerIdentityProof(woowup, input.customer)
    return new StepResponse<AdminWoowupIdentityProof>(toAdminIdentityProof(input.customer.id, identifier, state, proof))
  }
)
