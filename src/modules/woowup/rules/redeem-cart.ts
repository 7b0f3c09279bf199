import { STORE_CUSTOMER_FIELDS, type StoreCustomer } from "./store-points"

/** What applying points reads of a cart: its owner (as the identity rules read a customer) and its totals. */
export const REDEEM_CART_FIELDS = [
  "id",
  "customer_id",
  "currency_code",
  "completed_at",
  "item_subtotal",
  "promotions.code",
  ...STORE_CUSTOMER_FIELDS.map((f) => `customer.${f}`),
]

export type RedeemCart = {
  id: string
  customer_id: string | null
  currency_code: string
  completed_at?: string | Date | null
  item_subtotal: unknown
  promotions?: Array<{ code?: string | null } | null> | null
  customer?: StoreCustomer | null
}

/** The codes of the plugin's points promotions: one per hold, never typed by a customer. */
export const POINTS_PROMOTION_PREFIX = "WOOWUP-PTS-"

/** The code of a hold's promotion. */
export function pointsPromotionCode(holdId: string): string {
  return `${POINTS_PROMOTION_PREFIX}${holdId.replace(/^wuphold_/, "")}`.toUpperCase()
}

export function isPointsPromotionCode(code: string | null | undefined): boolean {
  return !!code && code.toUpperCase().startsWith(POINTS_PROMOTION_PREFIX)
}

/** The cart's promotion codes once its points promotion is replaced by `code` (or removed, with null). */
export function codesWithPointsPromotion(cart: Pick<RedeemCart, "promotions">, code: string | null): string[] {
  const kept = (cart.promotions ?? []).map((p) => p?.code).filter((c): c is string => !!c && !isPointsPromotionCode(c))
  return code ? [...kept, code] : kept
}

/** The cart fields a store route answers with: its totals show the points discount. */
export const REDEEM_CART_RESPONSE_FIELDS = [
  "id",
  "currency_code",
  "customer_id",
  "total",
  "subtotal",
  "item_total",
  "item_subtotal",
  "discount_total",
  "shipping_total",
  "tax_total",
  "promotions.id",
  "promotions.code",
  "items.id",
  "items.quantity",
  "items.unit_price",
  "items.variant_id",
  "items.adjustments.amount",
  "items.adjustments.code",
]
