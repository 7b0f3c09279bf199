import type { MedusaContainer } from "@medusajs/framework/types"
import { verifyWoowupIdentityWorkflow } from "../../src/workflows/verify-woowup-identity"
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

/** The same proof through the workflow the admin route runs, for suites that hold no admin session. */
export async function proveIdentity(container: MedusaContainer, customerId: string): Promise<void> {
  await verifyWoowupIdentityWorkflow(container).run({ input: { customer_id: customerId, actor_id: "integration-test" } })
}
