import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { OrderWorkflowEvents } from "@medusajs/framework/utils"
import { rewardOrderWorkflow } from "../workflows/reward-order"

/** Takes back every point of a canceled order (Medusa's cancel refunds the payment without `payment.refunded`). */
export default async function woowupOrderCanceledHandler({ event: { data }, container }: SubscriberArgs<{ id: string }>) {
  await rewardOrderWorkflow(container).run({ input: { order_id: data.id, trigger: "order_canceled" } })
}

export const config: SubscriberConfig = {
  event: OrderWorkflowEvents.CANCELED,
  context: { subscriberId: "woowup-order-canceled" },
}
