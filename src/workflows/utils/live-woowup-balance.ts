import { isWoowupError } from "../../modules/woowup/client"
import type WoowupModuleService from "../../modules/woowup/service"

// A checkout must not wait on WoowUp's backoff: one retry, short attempts, a bound on the whole read.
const READ_TIMEOUT_MS = 5_000
const READ_BUDGET_MS = 8_000

/**
 * The customer's WoowUp balance as WoowUp has it now, never from a cache: what points are held and spent against.
 * 0 for a customer WoowUp does not know; null when WoowUp cannot be reached. At the orders' priority: a checkout
 * waits on it, so it must not queue behind storefront reads or share their quarter of the limit.
 */
export async function liveWoowupBalance(
  woowup: WoowupModuleService,
  identity: { field: string; value: string }
): Promise<number | null> {
  const options = await woowup.getOptions()
  try {
    const customer = await woowup.client.findCustomer(
      { [identity.field]: identity.value },
      { timeoutMs: Math.min(options.timeoutMs, READ_TIMEOUT_MS), maxRetries: 1, signal: AbortSignal.timeout(READ_BUDGET_MS), priority: "orders" }
    )
    return typeof customer?.points === "number" ? customer.points : 0
  } catch (e) {
    if (isWoowupError(e)) {
      return null
    }
    throw e
  }
}
