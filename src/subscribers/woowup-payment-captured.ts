import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { PaymentEvents } from "@medusajs/framework/utils"
import { rewardOrderWorkflow } from "../workflows/reward-order"
import { orderIdOfPayment } from "../workflows/utils/order-of-payment"

/**
 * Rewards the order whose payment was captured. Runs for every capture, partial ones included: the
 * workflow is safe to run any number of times for an order.
 */
export default async function woowupPaymentCapturedHandler({ event: { data }, container }: SubscriberArgs<{ id: string }>) {
  const orderId = await orderIdOfPayment(container, data.id)
  if (!orderId) {
    return
  }
  await rewardOrderWorkflow(container).run({ input: { order_id: orderId, trigger: "payment_captured" } })
}

export const config: SubscriberConfig = {
  event: PaymentEvents.CAPTURED,
  context: { subscriberId: "woowup-payment-captured" },
}
