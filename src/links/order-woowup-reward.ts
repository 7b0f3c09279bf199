import { defineLink } from "@medusajs/framework/utils"
import OrderModule from "@medusajs/medusa/order"
import WoowupModule from "../modules/woowup"

// Read-only: the reward row carries the order id itself, so Query can join without a link table.
export default defineLink(
  { linkable: OrderModule.linkable.order, field: "id" },
  { ...WoowupModule.linkable.woowupReward.id, primaryKey: "order_id" },
  { readOnly: true }
)
