import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import type { StoreCustomer } from "../../modules/woowup/rules/store-points"
import type WoowupModuleService from "../../modules/woowup/service"
import { customerIdentityProof, toAdminIdentityProof, type AdminWoowupIdentityProof } from "../utils/identity-proof"

export type ProveWoowupIdentityStepInput = {
  customer: StoreCustomer
  /** The admin user who checked it. */
  proven_by: string
}

export const proveWoowupIdentityStepId = "prove-woowup-identity"
/**
 * This step records, for an admin who checked it (e.g. support called the customer), that the customer's WoowUp
 * identity as it is now (their email, phone or metadata value, per `identifier`) is theirs. 400 when the customer
 * has no such value.
 */
export const proveWoowupIdentityStep = createStep(
  proveWoowupIdentityStepId,
  async (input: ProveWoowupIdentityStepInput, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const { identifier } = await woowup.getOptions()
    const { identity } = await customerIdentityProof(woowup, input.customer)
    if (!identity) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `Customer ${input.customer.id} has no ${identifier} to prove (the plugin's identifier is ${identifier})`
      )
    }
    const proof = await woowup.proveIdentity({
      customer_id: input.customer.id,
      identifier: identity.field,
      identity: identity.value,
      method: "admin",
      proven_by: input.proven_by,
    })
    return new StepResponse<AdminWoowupIdentityProof>(
      toAdminIdentityProof(input.customer.id, identifier, { identity, verified: true }, proof)
    )
  }
)
