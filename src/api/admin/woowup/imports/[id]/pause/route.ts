import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { WOOWUP_MODULE } from "../../../../../../modules/woowup"
import type WoowupModuleService from "../../../../../../modules/woowup/service"
import { changeWoowupRunStatusWorkflow } from "../../../../../../workflows/import-history"
import type { AdminWoowupImportResponse } from "../../../types"
import { answerConflict } from "../../answer-conflict"
import { toAdminImport } from "../../import-view"
import { retrieveImport } from "../retrieve-import"

/** Pauses the import (409 when its status does not allow it). */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminWoowupImportResponse>) => {
  const woowup = req.scope.resolve<WoowupModuleService>(WOOWUP_MODULE)
  const { id } = await retrieveImport(woowup, req.params.id)
  const answer = await answerConflict(res, () =>
    changeWoowupRunStatusWorkflow(req.scope).run({ input: { id, action: "pause" } })
  )
  if (answer) {
    res.json({ import: toAdminImport(answer.result) })
  }
}
