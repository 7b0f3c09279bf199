import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { CartWorkflowEvents } from "@medusajs/framework/utils"
import { capWoowupPointsWorkflow } from "../workflows/cap-woowup-points"

/** A cart changed: the WoowUp points on it are capped to what it takes now (docs/redeem-points.md). */
export default async function woowupCartPointsCapHandler({ event: { data }, container }: SubscriberArgs<{ id: string }>) {
  if (data?.id) {
    await capWoowupPointsWorkflow(container).run({ input: { cart_id: data.id } })
  }
}

export const config: SubscriberConfig = {
  event: CartWorkflowEvents.UPDATED,
  context: { subscriberId: "woowup-cart-points-cap" },
}
