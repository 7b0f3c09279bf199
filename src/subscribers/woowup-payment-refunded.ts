import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys, PaymentEvents } from "@medusajs/framework/utils"
import { rewardOrderWorkflow } from "../workflows/reward-order"

/**
 * Takes back the points of what was refunded. Refunds that emit no event (a cancel, some returns and claims) are
 * found by the reconcile job: the workflow compares the order's refunded amount with what WoowUp holds.
 */
export default async function woowupPaymentRefundedHandler({ event: { data }, container }: SubscriberArgs<{ id: string }>) {
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
  await rewardOrderWorkflow(container).run({ input: { order_id: orderId, trigger: "payment_refunded" } })
}

export const config: SubscriberConfig = {
  event: PaymentEvents.REFUNDED,
  context: { subscriberId: "woowup-payment-refunded" },
}
