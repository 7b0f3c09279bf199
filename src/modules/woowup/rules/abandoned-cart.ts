import type { WoowupAbandonedCartInput } from "../client/cart-calls"
import { bodyHash } from "./body-hash"
import { roundMoney } from "./money"
import { formatWoowupDate } from "./purchase-dates"
import { toWoowupSku } from "./sku"

/** A cart as the abandoned-cart feed loads it (Query, `entity: "cart"`). */
export type AbandonedCart = {
  id: string
  email?: string | null
  currency_code: string
  created_at: string | Date
  completed_at?: string | Date | null
  total?: unknown
  items?: Array<{
    id: string
    quantity: unknown
    unit_price: unknown
    /** The variant's regular price when the cart's price is a sale price. */
    compare_at_unit_price?: unknown
    variant_id?: string | null
    variant_sku?: string | null
  } | null> | null
}

export type AbandonedCartPlan =
  | { action: "send"; body: WoowupAbandonedCartInput; body_hash: string }
  | { action: "skip"; reason: "no_email" | "no_items" }

export type AbandonedCartContext = {
  /** `abandonedCarts.recoverUrl`, with `{cart_id}`. */
  recoverUrl?: string
  /** WoowUp's `source`: `web` for a web store. */
  source?: string
}

/**
 * The body of `POST /multiusers/abandoned-cart` for a cart, or why none is sent (no email: WoowUp cannot name the
 * customer; no items: nothing to recover). Each item is sent under the SKU its purchase would carry and the
 * catalog's product has (`toWoowupSku`); `unit_price` is its regular price and `offer_price` what the cart asks
 * when it is lower (a sale). Amounts are rounded to the currency's decimals.
 */
export function planAbandonedCart(cart: AbandonedCart, context: AbandonedCartContext = {}): AbandonedCartPlan {
  const email = cart.email?.trim()
  if (!email) {
    return { action: "skip", reason: "no_email" }
  }
  const currency = cart.currency_code
  const products = (cart.items ?? [])
    .filter((item): item is NonNullable<typeof item> => !!item && Number(item.quantity) > 0)
    .map((item) => {
      const price = roundMoney(item.unit_price, currency)
      const regular = item.compare_at_unit_price == null ? price : roundMoney(item.compare_at_unit_price, currency)
      return {
        sku: toWoowupSku(item),
        quantity: Number(item.quantity),
        ...(regular > price ? { unit_price: regular, offer_price: price } : { unit_price: price }),
      }
    })
  if (!products.length) {
    return { action: "skip", reason: "no_items" }
  }
  const body: WoowupAbandonedCartInput = {
    email,
    external_id: cart.id,
    source: context.source ?? "web",
    createtime: formatWoowupDate(cart.created_at as string | Date)!,
    total_price: roundMoney(cart.total, currency),
    products,
    ...(context.recoverUrl ? { recover_url: recoverUrlOf(context.recoverUrl, cart.id) } : {}),
  }
  return { action: "send", body, body_hash: bodyHash(body) }
}

/** The body that tells WoowUp the cart it holds was completed: the same cart, `recovered: true`. */
export function recoveredCartBody(body: WoowupAbandonedCartInput): WoowupAbandonedCartInput {
  return { ...body, recovered: true }
}

/** `recoverUrl` for a cart: `{cart_id}` replaced by the cart id, URL-encoded. */
export function recoverUrlOf(template: string, cartId: string): string {
  return template.replace(/\{cart_id\}/g, encodeURIComponent(cartId))
}
