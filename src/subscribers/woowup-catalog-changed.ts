import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ProductVariantWorkflowEvents, ProductWorkflowEvents } from "@medusajs/framework/utils"
import { WOOWUP_MODULE } from "../modules/woowup"
import type WoowupModuleService from "../modules/woowup/service"
import { syncWoowupProductWorkflow } from "../workflows/sync-product"
import { variantIdsOfCatalogEvent } from "../workflows/utils/catalog-events"

/**
 * A product, variant (prices included) or stock level changed: WoowUp's copy of each variant concerned is brought
 * up to date (`catalog.enabled`). Bursts collapse: each variant is synced from what it is now, and one that WoowUp
 * already has as it is costs no call. What no event announces (a sale price list starting, a category renamed) the
 * reconcile job finds.
 */
export default async function woowupCatalogChangedHandler({ event: { name, data }, container }: SubscriberArgs<{ id: string }>) {
  const { catalog } = await container.resolve<WoowupModuleService>(WOOWUP_MODULE).getOptions()
  if (!catalog.enabled) {
    return
  }
  for (const variant_id of await variantIdsOfCatalogEvent(container, name, data.id)) {
    await syncWoowupProductWorkflow(container).run({ input: { variant_id, trigger: "product_changed" } })
  }
}

export const config: SubscriberConfig = {
  event: [
    ProductWorkflowEvents.CREATED,
    ProductWorkflowEvents.UPDATED,
    ProductWorkflowEvents.DELETED,
    ProductVariantWorkflowEvents.CREATED,
    ProductVariantWorkflowEvents.UPDATED,
    ProductVariantWorkflowEvents.DELETED,
    // Named by their strings: Medusa's constants for them are recent (2.18).
    "inventory-level.created",
    "inventory-level.updated",
    "inventory-level.deleted",
  ],
  context: { subscriberId: "woowup-catalog-changed" },
}
