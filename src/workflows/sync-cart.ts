import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { CartSyncTrigger } from "../modules/woowup/models/woowup-cart-sync"
import { syncWoowupFeedStep } from "./engine/sync-feed"

export type SyncWoowupCartWorkflowInput = {
  cart_id: string
  trigger: CartSyncTrigger
}

export const syncWoowupCartWorkflowId = "woowup-sync-cart"
/**
 * This workflow brings what WoowUp holds of one cart to the cart as Medusa has it now, through the abandoned-cart
 * feed (feeds/carts.ts) on the sync engine: a completed cart that WoowUp holds as abandoned is told recovered, once;
 * nothing when WoowUp never had it. The order-placed subscriber runs it; the reconcile job runs the feed itself.
 *
 * @example
 * const { result } = await syncWoowupCartWorkflow(container).run({
 *   input: { cart_id: "cart_123", trigger: "cart_completed" },
 * })
 *
 * @summary
 * Tell WoowUp about one cart, once per change.
 */
export const syncWoowupCartWorkflow = createWorkflow(syncWoowupCartWorkflowId, (input: SyncWoowupCartWorkflowInput) =>
  new WorkflowResponse(
    syncWoowupFeedStep(
      transform({ input }, ({ input }) => ({ feed: "carts" as const, entity_id: input.cart_id, trigger: input.trigger }))
    )
  )
)
