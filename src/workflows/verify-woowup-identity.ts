import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep, useQueryGraphStep } from "@medusajs/medusa/core-flows"
import { STORE_CUSTOMER_FIELDS, type StoreCustomer } from "../modules/woowup/rules/store-points"
import { proveWoowupIdentityStep } from "./steps/prove-woowup-identity"
import { WOOWUP_IDENTITY_PROVEN } from "./utils/identity-proof"

export type VerifyWoowupIdentityWorkflowInput = { customer_id: string; actor_id: string }

export const verifyWoowupIdentityWorkflowId = "woowup-verify-identity"
/**
 * This workflow records that an admin proved a customer's WoowUp identity as it is now (their email, phone or
 * metadata value), then lets the customer sync bring WoowUp up to date (`woowup.identity_proven`). 404 for an
 * unknown customer.
 *
 * @example
 * const { result } = await verifyWoowupIdentityWorkflow(container).run({
 *   input: { customer_id: "cus_123", actor_id: "user_123" },
 * })
 *
 * @summary
 * Mark a customer's WoowUp identity as proven.
 */
export const verifyWoowupIdentityWorkflow = createWorkflow(
  verifyWoowupIdentityWorkflowId,
  (input: VerifyWoowupIdentityWorkflowInput) => {
    const { data: customers } = useQueryGraphStep({
      entity: "customer",
      fields: STORE_CUSTOMER_FIELDS,
      filters: { id: input.customer_id },
      options: { throwIfKeyNotFound: true },
    })
    const proof = proveWoowupIdentityStep(
      transform({ input, customers }, ({ input, customers }) => ({
        customer: customers[0] as unknown as StoreCustomer,
        proven_by: input.actor_id,
      }))
    )
    emitEventStep({ eventName: WOOWUP_IDENTITY_PROVEN, data: transform({ input }, ({ input }) => ({ id: input.customer_id })) })
    return new WorkflowResponse(proof)
  }
)
