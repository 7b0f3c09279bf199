import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { CustomerWorkflowEvents } from "@medusajs/framework/utils"
import { WOOWUP_MODULE } from "../modules/woowup"
import type WoowupModuleService from "../modules/woowup/service"
import { syncWoowupCustomerWorkflow } from "../workflows/sync-customer"
import { WOOWUP_IDENTITY_PROVEN } from "../workflows/utils/identity-proof"

/**
 * A customer signed up or changed: WoowUp gets them now (`syncCustomers`), so a merchant can reach customers who
 * have not bought yet, and their first order costs one call. Guests are left to their first order. A newly proven
 * identity syncs them too: until then their WoowUp profile was never updated.
 */
export default async function woowupCustomerChangedHandler({
  event: { name, data },
  container,
}: SubscriberArgs<{ id: string }>) {
  const { syncCustomers } = await container.resolve<WoowupModuleService>(WOOWUP_MODULE).getOptions()
  if (!syncCustomers) {
    return
  }
  const trigger = name === CustomerWorkflowEvents.CREATED ? "customer_created" : "customer_updated"
  await syncWoowupCustomerWorkflow(container).run({ input: { customer_id: data.id, trigger } })
}

export const config: SubscriberConfig = {
  event: [CustomerWorkflowEvents.CREATED, CustomerWorkflowEvents.UPDATED, WOOWUP_IDENTITY_PROVEN],
  context: { subscriberId: "woowup-customer-changed" },
}
