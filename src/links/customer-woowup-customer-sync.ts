import { defineLink } from "@medusajs/framework/utils"
import CustomerModule from "@medusajs/medusa/customer"
import WoowupModule from "../modules/woowup"

// Read-only: the sync row carries the customer id itself, so Query can join without a link table.
// `query.graph({ entity: "customer", fields: ["woowup_customer_sync.*"] })`, `GET /admin/customers/:id?fields=*woowup_customer_sync`.
export default defineLink(
  { linkable: CustomerModule.linkable.customer, field: "id" },
  { ...WoowupModule.linkable.woowupCustomerSync.id, primaryKey: "customer_id" },
  { readOnly: true }
)
