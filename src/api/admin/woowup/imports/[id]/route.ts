import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { WOOWUP_MODULE } from "../../../../../modules/woowup"
import type WoowupModuleService from "../../../../../modules/woowup/service"
import type { AdminWoowupImportResponse } from "../../types"
import { FAILURES_SHOWN, toAdminImport } from "../import-view"
import { retrieveImport } from "./retrieve-import"

/** An import's progress, counts and first failures. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminWoowupImportResponse>) => {
  const woowup = req.scope.resolve<WoowupModuleService>(WOOWUP_MODULE)
  const run = await retrieveImport(woowup, req.params.id)
  const failures = await woowup.listRunFailures({ run_id: run.id, limit: FAILURES_SHOWN })
  res.json({ import: { ...toAdminImport(run), failures } })
}
