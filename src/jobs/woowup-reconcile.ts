import type { MedusaContainer } from "@medusajs/framework/types"
import { WOOWUP_MODULE } from "../modules/woowup"
import type WoowupModuleService from "../modules/woowup/service"
import { resumeWoowupRunsWorkflow } from "../workflows/import-history"
import { requestWoowupResyncWorkflow, runWoowupReconcileJobWorkflow } from "../workflows/reconcile-orders"

/**
 * Ticks every minute; the workflow runs the reconcile only when `reconcile.schedule` (a plugin option, which a
 * job's static schedule could not read) says it is due, and never two at once. With `catalog.backfillOnStart`, the
 * first tick of a store whose catalog was never sent asks for the backfill, as an admin's resync would: in the
 * background, after live work. Each tick also hands back to the background the imports and resyncs whose process
 * died, so that they resume where their cursor is.
 */
export default async function woowupReconcileJob(container: MedusaContainer) {
  const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
  const { reconcile, catalog } = await woowup.getOptions()
  await resumeWoowupRunsWorkflow(container).run({})
  if (catalog.enabled && catalog.backfillOnStart && (await woowup.catalogNeverSynced())) {
    await requestWoowupResyncWorkflow(container).run({ input: { products: "all" } })
  }
  if (reconcile.enabled) {
    await runWoowupReconcileJobWorkflow(container).run({ input: { now: new Date() } })
  }
}

export const config = {
  name: "woowup-reconcile",
  schedule: "* * * * *",
}
