import type { ICacheService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { forgetCustomerPoints } from "../../modules/woowup/customer-points"
import type { WoowupIdentifier } from "../../modules/woowup/options"
import type WoowupModuleService from "../../modules/woowup/service"

/**
 * After an award or a points adjustment: the storefront's cached balance of that customer is old, so their next
 * read goes to WoowUp and shows the change at once. Never fails the step: the cache is an optimisation.
 */
export async function forgetStorefrontPoints(
  container: Pick<MedusaContainer, "resolve">,
  woowup: WoowupModuleService,
  identity: { field: string | null | undefined; value: string | null | undefined }
): Promise<void> {
  if (!identity.field || !identity.value) {
    return
  }
  try {
    const cache = container.resolve<ICacheService | undefined>(Modules.CACHE, { allowUnregistered: true }) ?? null
    await forgetCustomerPoints(woowup.client, { field: identity.field as WoowupIdentifier, value: identity.value }, cache)
  } catch {
    // see above
  }
}
