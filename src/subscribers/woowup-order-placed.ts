import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { OrderWorkflowEvents } from "@medusajs/framework/utils"
import { rewardOrderWorkflow } from "../workflows/reward-order"

/**
 * Payment providers that capture at checkout emit no `payment.captured`: such orders are rewarded when placed.
 * An order placed with nothing captured yet gets a "nothing captured" record, taken over at capture.
 */
export default async function woowupOrderPlacedHandler({ event: { data }, container }: SubscriberArgs<{ id: string }>) {
  await rewardOrderWorkflow(container).run({ input: { order_id: data.id, trigger: "order_placed" } })
}

export const config: SubscriberConfig = {
  event: OrderWorkflowEvents.PLACED,
  context: { subscriberId: "woowup-order-placed" },
}
