import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { useQueryGraphStep } from "@medusajs/medusa/core-flows"
import { STORE_CUSTOMER_FIELDS, type StoreCustomer } from "../modules/woowup/rules/store-points"
import { readWoowupCustomerPointsStep } from "./steps/read-woowup-customer-points"

export type GetWoowupCustomerPointsWorkflowInput = {
  customer_id: string
  /** Transactions: `limit` (1..100) from `offset`, newest first. */
  limit: number
  offset: number
}

export const getWoowupCustomerPointsWorkflowId = "woowup-get-customer-points"
/**
 * This workflow reads a customer's WoowUp points and transactions for the storefront: from a short cache, else from
 * WoowUp, else the last value known (marked stale). A customer WoowUp does not know has 0 points.
 *
 * @example
 * const { result } = await getWoowupCustomerPointsWorkflow(container).run({
 *   input: { customer_id: "cus_123", limit: 20, offset: 0 },
 * })
 * // { status: "ok" | "stale", snapshot: { points, updated_at, transactions } } | { status: "unavailable", message }
 *
 * @summary
 * Read a customer's WoowUp points.
 */
export const getWoowupCustomerPointsWorkflow = createWorkflow(
  getWoowupCustomerPointsWorkflowId,
  (input: GetWoowupCustomerPointsWorkflowInput) => {
    const { data: customers } = useQueryGraphStep({
      entity: "customer",
      fields: STORE_CUSTOMER_FIELDS,
      filters: { id: input.customer_id },
      options: { throwIfKeyNotFound: true },
    })
    const read = readWoowupCustomerPointsStep(
      transform({ input, customers }, ({ input, customers }) => ({
        customer: customers[0] as unknown as StoreCustomer,
        limit: input.limit,
        offset: input.offset,
      }))
    )
    return new WorkflowResponse(read)
  }
)
