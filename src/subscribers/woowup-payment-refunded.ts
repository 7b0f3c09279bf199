import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { PaymentEvents } from "@medusajs/framework/utils"
import { rewardOrderWorkflow } from "../workflows/reward-order"
import { orderIdOfPayment } from "../workflows/utils/order-of-payment"

/**
 * Takes back the points of what was refunded. Refunds that emit no event (a cancel, some returns and claims) are
 * found by the reconcile job: the workflow compares the order's refunded amount with what WoowUp holds.
 */
export default async function woowupPaymentRefundedHandler({ event: { data }, container }: SubscriberArgs<{ id: string }>) {
  const orderId = await orderIdOfPayment(container, data.id)
  if (!orderId) {
    return
  }
  await rewardOrderWorkflow(container).run({ input: { order_id: orderId, trigger: "payment_refunded" } })
}

export const config: SubscriberConfig = {
  event: PaymentEvents.REFUNDED,
  context: { subscriberId: "woowup-payment-refunded" },
}
