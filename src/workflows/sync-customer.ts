import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { CustomerSyncTrigger } from "../modules/woowup/models/woowup-customer-sync"
import { syncWoowupFeedStep } from "./engine/sync-feed"

export type SyncWoowupCustomerWorkflowInput = {
  customer_id: string
  trigger: CustomerSyncTrigger
  /** An admin's resync of named customers: also a failure judged permanent, or one not due yet. */
  force?: boolean
}

export const syncWoowupCustomerWorkflowId = "woowup-sync-customer"
/**
 * This workflow brings what WoowUp has of a customer with an account (names, phone, address, marketing consent)
 * to what Medusa has now, through the customer feed (feeds/customers.ts) on the sync engine: `POST /users` the
 * first time, `PUT /multiusers` after a change, nothing when nothing changed. The `customer.created` and
 * `customer.updated` subscribers, the reconcile job and an admin's resync run it, any number of times: one sync at
 * a time per customer, and a burst of changes costs at most two calls.
 *
 * @example
 * const { result } = await syncWoowupCustomerWorkflow(container).run({
 *   input: { customer_id: "cus_123", trigger: "customer_updated" },
 * })
 *
 * @summary
 * Create or update a customer in WoowUp, once per change.
 */
export const syncWoowupCustomerWorkflow = createWorkflow(
  syncWoowupCustomerWorkflowId,
  (input: SyncWoowupCustomerWorkflowInput) =>
    new WorkflowResponse(
      syncWoowupFeedStep(
        transform({ input }, ({ input }) => ({
          feed: "customers" as const,
          entity_id: input.customer_id,
          trigger: input.trigger,
          force: input.force,
        }))
      )
    )
)
