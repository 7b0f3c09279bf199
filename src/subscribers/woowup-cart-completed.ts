import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys, OrderWorkflowEvents } from "@medusajs/framework/utils"
import { WOOWUP_MODULE } from "../modules/woowup"
import type WoowupModuleService from "../modules/woowup/service"
import { syncWoowupCartWorkflow } from "../workflows/sync-cart"

/**
 * An order was placed from a cart: the cart's activity is marked completed and, when the plugin saw the cart, the
 * cart feed runs for it, so a cart WoowUp holds as abandoned is told `recovered: true` once (and a cart completed
 * before it was abandoned is never sent). Apart from the reward's subscriber of the same event.
 */
export default async function woowupCartCompletedHandler({ event: { data }, container }: SubscriberArgs<{ id: string }>) {
  const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
  const { abandonedCarts } = await woowup.getOptions()
  if (!abandonedCarts.enabled) {
    return
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: orders } = await query.graph({ entity: "order", fields: ["id", "cart.id"], filters: { id: data.id } })
  const cartId = (orders[0] as { cart?: { id?: string } | null } | undefined)?.cart?.id
  if (cartId && (await woowup.recordCartCompleted(cartId))) {
    await syncWoowupCartWorkflow(container).run({ input: { cart_id: cartId, trigger: "cart_completed" } })
  }
}

export const config: SubscriberConfig = {
  event: OrderWorkflowEvents.PLACED,
  context: { subscriberId: "woowup-cart-completed" },
}
