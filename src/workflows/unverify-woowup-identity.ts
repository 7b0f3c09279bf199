import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { useQueryGraphStep } from "@medusajs/medusa/core-flows"
import { STORE_CUSTOMER_FIELDS, type StoreCustomer } from "../modules/woowup/rules/store-points"
import { revokeWoowupIdentityProofStep } from "./steps/revoke-woowup-identity-proof"

export type UnverifyWoowupIdentityWorkflowInput = { customer_id: string; actor_id: string }

export const unverifyWoowupIdentityWorkflowId = "woowup-unverify-identity"
/**
 * This workflow undoes the proof of a customer's WoowUp identity (an admin's or a code's). 404 for an unknown
 * customer; a customer with no proof is answered as unproven.
 *
 * @example
 * await unverifyWoowupIdentityWorkflow(container).run({ input: { customer_id: "cus_123", actor_id: "user_123" } })
 *
 * @summary
 * Undo the proof of a customer's WoowUp identity.
 */
export const unverifyWoowupIdentityWorkflow = createWorkflow(
  unverifyWoowupIdentityWorkflowId,
  (input: UnverifyWoowupIdentityWorkflowInput) => {
    const { data: customers } = useQueryGraphStep({
      entity: "customer",
      fields: STORE_CUSTOMER_FIELDS,
      filters: { id: input.customer_id },
      options: { throwIfKeyNotFound: true },
    })
    return new WorkflowResponse(
      revokeWoowupIdentityProofStep(
        transform({ input, customers }, ({ input, customers }) => ({
          customer: customers[0] as unknown as StoreCustomer,
          revoked_by: input.actor_id,
        }))
      )
    )
  }
)
