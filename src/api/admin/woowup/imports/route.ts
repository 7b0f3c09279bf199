import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { WOOWUP_MODULE } from "../../../../modules/woowup"
import type WoowupModuleService from "../../../../modules/woowup/service"
import { requestWoowupImportWorkflow } from "../../../../workflows/import-history"
import type { AdminWoowupImportResponse, AdminWoowupImportsResponse } from "../types"
import { answerConflict } from "./answer-conflict"
import { toAdminImport } from "./import-view"
import type { GetAdminWoowupImportsParamsType, PostAdminWoowupImportType } from "./validators"

/** Imports the store's history over a window, in the background (202); a dry run answers with its estimate (200). */
export const POST = async (
  req: AuthenticatedMedusaRequest<PostAdminWoowupImportType>,
  res: MedusaResponse<AdminWoowupImportResponse>
) => {
  const answer = await answerConflict(res, () => requestWoowupImportWorkflow(req.scope).run({ input: req.validatedBody }))
  if (answer) {
    res.status(answer.result.dry_run ? 200 : 202).json({ import: toAdminImport(answer.result) })
  }
}

/** The imports, newest first. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminWoowupImportsResponse>) => {
  const woowup = req.scope.resolve<WoowupModuleService>(WOOWUP_MODULE)
  const { limit, offset } = req.validatedQuery as GetAdminWoowupImportsParamsType
  const [runs, count] = await woowup.listAndCountWoowupReconcileRuns(
    { kind: "import" },
    { order: { created_at: "DESC" }, take: limit, skip: offset }
  )
  res.json({ imports: runs.map((run) => toAdminImport(run)), count, limit, offset })
}
