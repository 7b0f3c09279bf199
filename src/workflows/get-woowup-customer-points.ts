import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { useQueryGraphStep } from "@medusajs/medusa/core-flows"
import { STORE_CUSTOMER_FIELDS, type StoreCustomer } from "../modules/woowup/rules/store-points"
import type { CustomerPointsRead } from "../modules/woowup/customer-points"
import { checkWoowupIdentityProofStep } from "./steps/check-woowup-identity-proof"
import { readWoowupCustomerPointsStep } from "./steps/read-woowup-customer-points"
import { readWoowupRedeemableStep } from "./steps/read-woowup-redeemable"
import type { StoreWoowupRedeemable } from "../api/store/woowup/types"

export type GetWoowupCustomerPointsWorkflowInput = {
  customer_id: string
  /** Transactions: `limit` (1..100) from `offset`, newest first. */
  limit: number
  offset: number
  /** A cart of the customer's: `redeemable` also says what their points pay in it. */
  cart_id?: string
}

export const getWoowupCustomerPointsWorkflowId = "woowup-get-customer-points"
/**
 * This workflow reads a customer's WoowUp points and transactions for the storefront: from a short cache, else from
 * WoowUp, else the last value known (marked stale). A customer WoowUp does not know has 0 points. Only under an
 * identity proven theirs: until then `unverified`, and no WoowUp call (README, "Proven identities").
 *
 * @example
 * const { result } = await getWoowupCustomerPointsWorkflow(container).run({
 *   input: { customer_id: "cus_123", limit: 20, offset: 0 },
 * })
 * // { status: "ok" | "stale", snapshot: { points, updated_at, transactions } } | { status: "unavailable", message }
 * // | { status: "unverified" }
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
    const customer = transform({ customers }, ({ customers }) => customers[0] as unknown as StoreCustomer)
    // The gate: the identity read from WoowUp is the one just checked (same customer data).
    const proof = checkWoowupIdentityProofStep({ customer })
    const read = when("woowup-identity-proven", { proof }, ({ proof }) => proof.verified).then(() =>
      readWoowupCustomerPointsStep(
        transform({ input, customer }, ({ input, customer }) => ({ customer, limit: input.limit, offset: input.offset }))
      )
    )
    // Points spent at checkout (docs/redeem-points.md): what is left after the customer's other carts.
    const redeemable = when("woowup-points-read", { read }, ({ read }) => !!read).then(() =>
      readWoowupRedeemableStep(
        transform({ input, read }, ({ input, read }) => ({ customer_id: input.customer_id, cart_id: input.cart_id, read: read! }))
      )
    )
    return new WorkflowResponse(
      transform(
        { read, redeemable },
        ({ read, redeemable }): (CustomerPointsRead & { redeemable?: StoreWoowupRedeemable | null }) | { status: "unverified" } =>
          read ? { ...read, redeemable } : { status: "unverified" }
      )
    )
  }
)
