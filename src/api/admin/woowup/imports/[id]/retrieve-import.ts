import { MedusaError } from "@medusajs/framework/utils"
import type WoowupModuleService from "../../../../../modules/woowup/service"
import type { ReconcileRunRecord } from "../../../../../modules/woowup/service"

/** The import with this id; a 404 for anything else (a job run or a resync is not an import). */
export async function retrieveImport(woowup: WoowupModuleService, id: string): Promise<ReconcileRunRecord> {
  const [run] = await woowup.listWoowupReconcileRuns({ id, kind: "import" }, { take: 1 })
  if (!run) {
    throw new MedusaError(MedusaError.Types.NOT_FOUND, `No import with id ${id}`)
  }
  return run
}
