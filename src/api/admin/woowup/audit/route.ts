import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { WOOWUP_MODULE } from "../../../../modules/woowup"
import type WoowupModuleService from "../../../../modules/woowup/service"
import { auditWoowup, type WoowupAudit } from "../../../../workflows/utils/woowup-audit"
import type { GetAdminWoowupAuditParamsType } from "./validators"

/**
 * WoowUp's own totals (`GET /stats`) per branch of the plugin next to what the plugin recorded as synced, for orders
 * created in `from`..`to`, with the difference and its likely causes. A read: nothing is sent to WoowUp but `/stats`.
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<{ audit: WoowupAudit }>) => {
  const woowup = req.scope.resolve<WoowupModuleService>(WOOWUP_MODULE)
  const { from, to } = req.validatedQuery as unknown as GetAdminWoowupAuditParamsType
  res.json({ audit: await auditWoowup(req.scope, woowup, { from: new Date(from), to: new Date(to) }) })
}
