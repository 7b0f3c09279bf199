import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { WOOWUP_MODULE } from "../../../../../modules/woowup"
import type WoowupModuleService from "../../../../../modules/woowup/service"
import { toAdminRun } from "../../runs"
import type { AdminWoowupResyncRunResponse } from "../../types"

/** A resync's (or a job run's) progress and outcome. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminWoowupResyncRunResponse>) => {
  const woowup = req.scope.resolve<WoowupModuleService>(WOOWUP_MODULE)
  const run = await woowup.retrieveWoowupReconcileRun(req.params.id)
  res.json({ resync: toAdminRun(run) })
}
