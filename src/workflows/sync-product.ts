import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { ProductSyncTrigger } from "../modules/woowup/models/woowup-product-sync"
import { syncWoowupFeedStep } from "./engine/sync-feed"

export type SyncWoowupProductWorkflowInput = {
  variant_id: string
  trigger: ProductSyncTrigger
  /** An admin's resync of named products: also a failure judged permanent, or one not due yet. */
  force?: boolean
}

export const syncWoowupProductWorkflowId = "woowup-sync-product"
/**
 * This workflow brings the WoowUp product of one variant (under the SKU its purchases carry) to the variant as
 * Medusa has it now, through the catalog feed (feeds/products.ts) on the sync engine: nothing when nothing that is
 * sent changed, `available: false` once when the variant is gone. The product, variant and inventory subscribers,
 * the reconcile job and an admin's resync run it.
 *
 * @example
 * const { result } = await syncWoowupProductWorkflow(container).run({
 *   input: { variant_id: "variant_123", trigger: "product_changed" },
 * })
 *
 * @summary
 * Create or update a variant's product in WoowUp, once per change.
 */
export const syncWoowupProductWorkflow = createWorkflow(
  syncWoowupProductWorkflowId,
  (input: SyncWoowupProductWorkflowInput) =>
    new WorkflowResponse(
      syncWoowupFeedStep(
        transform({ input }, ({ input }) => ({
          feed: "products" as const,
          entity_id: input.variant_id,
          trigger: input.trigger,
          force: input.force,
        }))
      )
    )
)
