import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { CartWorkflowEvents } from "@medusajs/framework/utils"
import { WOOWUP_MODULE } from "../modules/woowup"
import type WoowupModuleService from "../modules/woowup/service"

/**
 * A cart was created, its email or customer set, or its items added, changed or removed: the plugin notes when, in
 * one statement (`abandonedCarts.enabled`). The reconcile job later sends the carts left idle; nothing reads the
 * cart here, so a busy storefront costs one small write per change.
 */
export default async function woowupCartChangedHandler({ event: { data }, container }: SubscriberArgs<{ id: string }>) {
  const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
  const { abandonedCarts } = await woowup.getOptions()
  if (abandonedCarts.enabled && data?.id) {
    await woowup.recordCartChanged(data.id)
  }
}

export const config: SubscriberConfig = {
  // What core's cart workflows emit (2.21): add-to-cart, update-line-item-in-cart and delete-line-items emit
  // `cart.updated`, as update-cart does (with `cart.customer_updated` for an email or customer).
  event: [
    CartWorkflowEvents.CREATED,
    CartWorkflowEvents.UPDATED,
    CartWorkflowEvents.CUSTOMER_UPDATED,
    CartWorkflowEvents.CUSTOMER_TRANSFERRED,
    CartWorkflowEvents.REGION_UPDATED,
  ],
  context: { subscriberId: "woowup-cart-changed" },
}
