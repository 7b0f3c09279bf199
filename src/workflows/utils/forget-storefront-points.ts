import type { MedusaContainer } from "@medusajs/framework/types"
import { forgetCustomerPoints } from "../../modules/woowup/customer-points"
import { storefrontCache } from "./storefront-cache"
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
    const cache = storefrontCache(container)
    await forgetCustomerPoints(woowup.client, { field: identity.field as WoowupIdentifier, value: identity.value }, cache)
  } catch {
    // see above
  }
}
