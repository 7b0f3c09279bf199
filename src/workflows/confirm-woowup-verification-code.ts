import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep, useQueryGraphStep } from "@medusajs/medusa/core-flows"
import { STORE_CUSTOMER_FIELDS, type StoreCustomer } from "../modules/woowup/rules/store-points"
import { confirmWoowupVerificationCodeStep } from "./steps/confirm-woowup-verification-code"
import { WOOWUP_IDENTITY_PROVEN } from "./utils/identity-proof"

export type ConfirmWoowupVerificationCodeWorkflowInput = { customer_id: string; code: string }

export const confirmWoowupVerificationCodeWorkflowId = "woowup-confirm-verification-code"
/**
 * This workflow checks the code a customer received: the right one proves their email, and the customer sync may
 * then update what WoowUp has of them (`woowup.identity_proven`).
 *
 * @example
 * const { result } = await confirmWoowupVerificationCodeWorkflow(container).run({
 *   input: { customer_id: "cus_123", code: "123456" },
 * })
 * // { status: "verified" | "wrong_code" | "no_code" | "expired" | "too_many_attempts" }
 *
 * @summary
 * Prove a customer's email with the code sent to it.
 */
export const confirmWoowupVerificationCodeWorkflow = createWorkflow(
  confirmWoowupVerificationCodeWorkflowId,
  (input: ConfirmWoowupVerificationCodeWorkflowInput) => {
    const { data: customers } = useQueryGraphStep({
      entity: "customer",
      fields: STORE_CUSTOMER_FIELDS,
      filters: { id: input.customer_id },
      options: { throwIfKeyNotFound: true },
    })
    const result = confirmWoowupVerificationCodeStep(
      transform({ input, customers }, ({ input, customers }) => ({
        customer: customers[0] as unknown as StoreCustomer,
        code: input.code,
      }))
    )
    when("woowup-identity-proven-by-code", { result }, ({ result }) => result.status === "verified").then(() =>
      emitEventStep({ eventName: WOOWUP_IDENTITY_PROVEN, data: transform({ input }, ({ input }) => ({ id: input.customer_id })) })
    )
    return new WorkflowResponse(result)
  }
)
