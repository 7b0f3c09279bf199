import type { AuthHeaders, HttpClient } from "./http"
import { request } from "./http"

/**
 * Marks the customer's WoowUp identity as proven, as an admin does (`POST /admin/woowup/customers/:id/verify`):
 * until then the storefront route shows them nothing of WoowUp's (README, "Proven identities").
 */
export async function verifyWoowupIdentity(api: HttpClient, admin: AuthHeaders, customerId: string) {
  const { woowup_identity } = await request("verify identity", "post", api, `/admin/woowup/customers/${customerId}/verify`, {}, admin)
  return woowup_identity
}
