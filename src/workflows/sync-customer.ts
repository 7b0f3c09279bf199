import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { syncWoowupCustomerStep, type SyncWoowupCustomerStepInput } from "./steps/sync-woowup-customer"

export type SyncWoowupCustomerWorkflowInput = SyncWoowupCustomerStepInput

export const syncWoowupCustomerWorkflowId = "woowup-sync-customer"
/**
 * This workflow brings what WoowUp has of a customer with an account (names, phone, address, marketing consent)
 * to what Medusa has now: `POST /users` the first time (so their first order costs one call), `PUT /multiusers`
 * after a change, nothing when nothing changed. The `customer.created` and `customer.updated` subscribers, the
 * reconcile job (failures that are due) and an admin's resync run it, any number of times: one sync at a time per
 * customer, and a burst of changes costs at most two calls.
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
  (input: SyncWoowupCustomerWorkflowInput) => new WorkflowResponse(syncWoowupCustomerStep(input))
)
