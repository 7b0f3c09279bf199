import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { WOOWUP_MODULE } from "../../modules/woowup"
import { isWoowupError, WOOWUP_API_CODES, type WoowupAbandonedCartInput } from "../../modules/woowup/client"
import { bodyHash, planAbandonedCart, recoveredCartBody, type AbandonedCart } from "../../modules/woowup/rules"
import type { FeedSyncOutcome } from "../../modules/woowup/service"
import { knownHere, type Feed, type FeedContext } from "../engine/feed"
import { createWoowupCustomer } from "../utils/woowup-customer"

/** What the feed reads of a cart. */
const CART_FIELDS = [
  "id",
  "email",
  "currency_code",
  "created_at",
  "completed_at",
  "total",
  "customer.first_name",
  "customer.last_name",
  "shipping_address.first_name",
  "shipping_address.last_name",
  "items.id",
  "items.quantity",
  "items.unit_price",
  "items.compare_at_unit_price",
  "items.variant_id",
  "items.variant_sku",
]

type LoadedCart = AbandonedCart & {
  customer?: { first_name?: string | null; last_name?: string | null } | null
  shipping_address?: { first_name?: string | null; last_name?: string | null } | null
}

/**
 * The abandoned-cart feed: a cart with an email and items, idle for `abandonedCarts.afterMinutes`, is sent to
 * WoowUp once per content (the job finds it: `discover`); a cart completed after it was sent is told recovered once.
 * A customer WoowUp does not know is created from the cart first (create-only: a cart never updates a profile).
 */
export const cartsFeed: Feed = {
  name: "carts",
  enabled: (options) => options.abandonedCarts.enabled,
  converge: convergeCart,
  discover: async (container, { after_id, limit, now }) => {
    const woowup = container.resolve<FeedContext["woowup"]>(WOOWUP_MODULE)
    const { abandonedCarts } = await woowup.getOptions()
    const { afterMinutes, maxAgeHours } = abandonedCarts
    return await woowup.findAbandonedCarts({ after_id, limit, now, afterMinutes, maxAgeHours })
  },
}

async function convergeCart({ container, woowup, options, record, send }: FeedContext): Promise<FeedSyncOutcome> {
  const cartId = record.cart_id as string
  // Taken before it is read: a change from now on makes the cart due again.
  const activity = await woowup.takeCartActivity(cartId)
  const cart = await loadCart(container, cartId)
  if (!cart) {
    return { status: "skipped", reason: "cart_not_found" }
  }
  const sent = knownHere(record, woowup.account) && !!record.body_hash
  const plan = planAbandonedCart(cart, { recoverUrl: options.abandonedCarts.recoverUrl })

  if (cart.completed_at || activity?.completed_at) {
    if (!sent) {
      return { status: "skipped", reason: "completed_before_abandoned" }
    }
    if (record.recovered || plan.action === "skip") {
      return { status: "synced", body_hash: record.body_hash as string, sent: false }
    }
    // Under the email WoowUp holds the cart by, even if checkout changed it.
    const body = recoveredCartBody({ ...plan.body, email: (record.identity as string | null) ?? plan.body.email })
    await sendCart(body, { woowup, send, cart })
    return { status: "synced", body_hash: bodyHash(body), sent: true, columns: { recovered: true } }
  }

  if (plan.action === "skip") {
    return { status: "skipped", reason: plan.reason }
  }
  const columns = { identity: plan.body.email }
  if (sent && record.body_hash === plan.body_hash && record.identity === plan.body.email) {
    return { status: "synced", body_hash: plan.body_hash, sent: false, columns }
  }
  const created = await sendCart(plan.body, { woowup, send, cart })
  return {
    status: "synced",
    body_hash: plan.body_hash,
    sent: true,
    columns: created ? { ...columns, customer_created: true } : columns,
  }
}

/**
 * Sends the cart; a customer WoowUp does not know (`user_not_found`) is created from the cart's email and names,
 * never updated, then the cart is sent again. True when the customer was created here.
 */
async function sendCart(
  body: WoowupAbandonedCartInput,
  { woowup, send, cart }: Pick<FeedContext, "woowup" | "send"> & { cart: LoadedCart }
): Promise<boolean> {
  try {
    await send((signal) => woowup.client.sendAbandonedCart(body, { signal }))
    return false
  } catch (e) {
    if (!isWoowupError(e) || e.code !== WOOWUP_API_CODES.USER_NOT_FOUND) {
      throw e
    }
  }
  const names = cart.customer ?? cart.shipping_address ?? {}
  const customer = {
    email: body.email,
    ...(names.first_name ? { first_name: names.first_name } : {}),
    ...(names.last_name ? { last_name: names.last_name } : {}),
  }
  const outcome = await send((signal) => createWoowupCustomer(woowup.client, customer, { field: "email", value: body.email }, signal, "carts"))
  await send((signal) => woowup.client.sendAbandonedCart(body, { signal }))
  return outcome === "created"
}

async function loadCart(container: MedusaContainer, cartId: string): Promise<LoadedCart | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "cart", fields: CART_FIELDS, filters: { id: cartId } })
  return (data[0] as LoadedCart | undefined) ?? null
}
