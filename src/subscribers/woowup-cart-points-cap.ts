import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { CartWorkflowEvents } from "@medusajs/framework/utils"
import { WOOWUP_MODULE } from "../modules/woowup"
import type WoowupModuleService from "../modules/woowup/service"
import { capWoowupPointsWorkflow } from "../workflows/cap-woowup-points"

/** A cart changed: the WoowUp points on it are capped to what it takes now (docs/redeem-points.md). */
export default async function woowupCartPointsCapHandler({ event: { data }, container }: SubscriberArgs<{ id: string }>) {
  const { redeem } = await container.resolve<WoowupModuleService>(WOOWUP_MODULE).getOptions()
  if (redeem.enabled && data?.id) {
    await capWoowupPointsWorkflow(container).run({ input: { cart_id: data.id } })
  }
}

export const config: SubscriberConfig = {
  event: CartWorkflowEvents.UPDATED,
  context: { subscriberId: "woowup-cart-points-cap" },
}
