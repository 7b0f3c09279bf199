import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { useQueryGraphStep } from "@medusajs/medusa/core-flows"
import { STORE_CUSTOMER_FIELDS, type StoreCustomer } from "../modules/woowup/rules/store-points"
import { sendWoowupVerificationCodeStep } from "./steps/send-woowup-verification-code"

export type SendWoowupVerificationCodeWorkflowInput = { customer_id: string }

export const sendWoowupVerificationCodeWorkflowId = "woowup-send-verification-code"
/**
 * This workflow sends a logged-in customer a one-time code at their account's email; confirming it
 * ({@link confirmWoowupVerificationCodeWorkflow}) proves the email is theirs.
 *
 * @example
 * const { result } = await sendWoowupVerificationCodeWorkflow(container).run({ input: { customer_id: "cus_123" } })
 * // { status: "sent", email, expires_at } | { status: "rate_limited", retry_at }
 *
 * @summary
 * Send a customer a code that proves their email.
 */
export const sendWoowupVerificationCodeWorkflow = createWorkflow(
  sendWoowupVerificationCodeWorkflowId,
  (input: SendWoowupVerificationCodeWorkflowInput) => {
    const { data: customers } = useQueryGraphStep({
      entity: "customer",
      fields: STORE_CUSTOMER_FIELDS,
      filters: { id: input.customer_id },
      options: { throwIfKeyNotFound: true },
    })
    return new WorkflowResponse(
      sendWoowupVerificationCodeStep(
        transform({ customers }, ({ customers }) => ({ customer: customers[0] as unknown as StoreCustomer }))
      )
    )
  }
)
