import { defineLink } from "@medusajs/framework/utils"
import CustomerModule from "@medusajs/medusa/customer"
import WoowupModule from "../modules/woowup"

// Read-only: the proof row carries the customer id itself, so Query can join without a link table.
// `GET /admin/customers/:id?fields=*woowup_identity_proof`.
export default defineLink(
  { linkable: CustomerModule.linkable.customer, field: "id" },
  { ...WoowupModule.linkable.woowupIdentityProof.id, primaryKey: "customer_id" },
  { readOnly: true }
)
