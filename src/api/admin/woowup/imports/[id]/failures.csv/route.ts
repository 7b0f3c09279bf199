import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { WOOWUP_MODULE } from "../../../../../../modules/woowup"
import type WoowupModuleService from "../../../../../../modules/woowup/service"
import { retrieveImport } from "../retrieve-import"

const PAGE = 1000

/** A CSV field: quoted when it holds a comma, a quote or a line break; a leading formula sign is defused. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** Every order the import could not bring to WoowUp, with the reason, as CSV (read a page at a time). */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const woowup = req.scope.resolve<WoowupModuleService>(WOOWUP_MODULE)
  const run = await retrieveImport(woowup, req.params.id)
  res.setHeader("Content-Type", "text/csv; charset=utf-8")
  res.setHeader("Content-Disposition", `attachment; filename="woowup-import-${run.id}-failures.csv"`)
  res.write("order_id,reason\n")
  for (let after = ""; ; ) {
    const page = await woowup.listRunFailures({ run_id: run.id, after_order_id: after, limit: PAGE })
    for (const failure of page) {
      res.write(`${csvField(failure.order_id)},${csvField(failure.reason)}\n`)
    }
    if (page.length < PAGE) {
      break
    }
    after = page[page.length - 1].order_id
  }
  res.end()
}
