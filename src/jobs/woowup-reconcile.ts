import type { MedusaContainer } from "@medusajs/framework/types"
import { WOOWUP_MODULE } from "../modules/woowup"
import type WoowupModuleService from "../modules/woowup/service"
import { runWoowupReconcileJobWorkflow } from "../workflows/reconcile-orders"

/**
 * Ticks every minute; the workflow runs the reconcile only when `reconcile.schedule` (a plugin option, which a
 * job's static schedule could not read) says it is due, and never two at once.
 */
export default async function woowupReconcileJob(container: MedusaContainer) {
  const { reconcile } = await container.resolve<WoowupModuleService>(WOOWUP_MODULE).getOptions()
  if (reconcile.enabled) {
    await runWoowupReconcileJobWorkflow(container).run({ input: { now: new Date() } })
  }
}

export const config = {
  name: "woowup-reconcile",
  schedule: "* * * * *",
}
