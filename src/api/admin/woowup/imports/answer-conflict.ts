import type { MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"

/**
 * Runs `work`, answering a conflict (a second import, a pause of a run that is over) with a 409 that says what
 * conflicts: Medusa's error handler would replace the message with a generic one about idempotency keys.
 * Returns undefined when it answered.
 */
export async function answerConflict<T>(res: MedusaResponse<any>, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work()
  } catch (e) {
    if (MedusaError.isMedusaError(e) && e.type === MedusaError.Types.CONFLICT) {
      res.status(409).json({ type: "conflict", message: e.message })
      return undefined
    }
    throw e
  }
}
