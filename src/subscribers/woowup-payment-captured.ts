import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys, PaymentEvents } from "@medusajs/framework/utils"
import { rewardOrderWorkflow } from "../workflows/reward-order"

/**
 * Rewards the order whose payment was captured. Runs for every capture, partial ones included: the
 * workflow is safe to run any number of times for an order.
 */
export default async function woowupPaymentCapturedHandler({ event: { data }, container }: SubscriberArgs<{ id: string }>) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: payments } = await query.graph({
    entity: "payment",
    fields: ["payment_collection.order.id"],
    filters: { id: data.id },
  })
  const orderId = payments[0]?.payment_collection?.order?.id
  if (!orderId) {
    return
  }
  await rewardOrderWorkflow(container).run({ input: { order_id: orderId, trigger: "payment_captured" } })
}

export const config: SubscriberConfig = {
  event: PaymentEvents.CAPTURED,
  context: { subscriberId: "woowup-payment-captured" },
}
