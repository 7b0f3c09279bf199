import type { StoreWoowupPointsPreview } from "../../../api/store/woowup/types"
import type { WoowupOptions } from "../options"
import type { MoneyValue } from "./money"
import type { RewardOrder, RewardOrderAddress, RewardOrderCustomer, RewardOrderItem } from "./order-fields"
import { computeRewardPoints, type PointsOptions, type PointsReason } from "./points"

/** What the storefront routes read of a customer: what `pickIdentity` needs. */
export const STORE_CUSTOMER_FIELDS = [
  "id",
  "email",
  "first_name",
  "last_name",
  "phone",
  "metadata",
  "addresses.phone",
  "addresses.is_default_shipping",
]

export type StoreCustomer = RewardOrderCustomer & {
  addresses?: Array<(RewardOrderAddress & { is_default_shipping?: boolean | null }) | null> | null
}

/**
 * The customer as the identity rules see an order of theirs, so a customer is looked up in WoowUp under the
 * identity their orders are recorded under: the account's email (what a logged-in checkout uses), the metadata
 * value, the customer's phone, then the default shipping address's phone (where an order's shipping phone would be).
 * That address (else the first) is the order's shipping address: the customer sync sends its city, street, country.
 */
export function customerAsRewardOrder(customer: StoreCustomer): RewardOrder {
  const addresses = (customer.addresses ?? []).filter((a) => !!a)
  const shipping = addresses.find((a) => a!.is_default_shipping) ?? addresses[0] ?? null
  const { addresses: _addresses, ...rest } = customer
  const { is_default_shipping: _default, ...address } = shipping ?? {}
  return {
    id: customer.id,
    email: customer.email ?? null,
    currency_code: "",
    customer: rest,
    shipping_address: shipping ? { ...address, phone: shipping.phone ?? null } : null,
  }
}

export { toStoreMovement, woowupTimeToIso, type StoreWoowupTransaction } from "./movements"

/** The cart fields the points preview reads: the totals the points rules read on an order. */
export const PREVIEW_CART_FIELDS = [
  "id",
  "email",
  "currency_code",
  "total",
  "subtotal",
  "tax_total",
  "discount_total",
  "discount_tax_total",
  "item_total",
  "item_subtotal",
  "item_tax_total",
  "shipping_total",
  "shipping_subtotal",
  "shipping_tax_total",
  "original_total",
  "items.id",
  "items.title",
  "items.product_title",
  "items.variant_title",
  "items.variant_sku",
  "items.variant_id",
  "items.product_id",
  "items.quantity",
  "items.unit_price",
  "items.is_tax_inclusive",
  "items.subtotal",
  "items.total",
  "items.discount_total",
  "items.tax_total",
  "customer.id",
  "customer.email",
  "customer.metadata",
]

export type PreviewCart = {
  id: string
  email?: string | null
  currency_code: string
  total?: MoneyValue
  items?: Array<RewardOrderItem | null> | null
  customer?: RewardOrderCustomer | null
} & Omit<RewardOrder, "id" | "email" | "currency_code" | "items" | "customer" | "payment_collections">

/** The cart as the order it becomes, with its whole total captured. */
export function cartAsCapturedOrder(cart: PreviewCart): RewardOrder {
  return { ...cart, payment_collections: [{ captured_amount: cart.total ?? 0, refunded_amount: 0 }] }
}

/** What a cart will earn, as the storefront gets it (`GET /store/woowup/points-preview`). */
export type PointsPreview = StoreWoowupPointsPreview & { reason: PointsReason | "points_by_woowup" | null }

/** The points rules ({@link computeRewardPoints}) applied to the cart as if its order were placed and fully captured. */
export function previewCartPoints(
  cart: PreviewCart,
  options: PointsOptions & Pick<WoowupOptions, "sendPoints">
): PointsPreview {
  const result = computeRewardPoints(cartAsCapturedOrder(cart), options)
  if (options.sendPoints === false) {
    return { points: null, amount: result.amount, currency_code: result.currency_code, reason: "points_by_woowup" }
  }
  return { points: result.points, amount: result.amount, currency_code: result.currency_code, reason: result.reason }
}
