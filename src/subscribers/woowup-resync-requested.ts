import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { reconcileWoowupOrdersWorkflow, WOOWUP_RESYNC_REQUESTED } from "../workflows/reconcile-orders"

/** Carries out an admin's resync in the background (on a worker, where the store runs workers). */
export default async function woowupResyncRequestedHandler({ event: { data }, container }: SubscriberArgs<{ id: string }>) {
  await reconcileWoowupOrdersWorkflow(container).run({ input: { run_id: data.id } })
}

export const config: SubscriberConfig = {
  event: WOOWUP_RESYNC_REQUESTED,
  context: { subscriberId: "woowup-resync-requested" },
}
