import { completeCartWorkflow } from "@medusajs/medusa/core-flows"
import { checkCartRedemption } from "../utils/check-cart-redemption"

// Points on a cart are checked again as it completes, before payment is authorized (docs/redeem-points.md).
completeCartWorkflow.hooks.validate(async ({ cart }, { container }) => {
  await checkCartRedemption(container, cart.id)
})
