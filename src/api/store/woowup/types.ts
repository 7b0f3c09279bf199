/**
 * Response types of the plugin's store routes, for a storefront to import:
 * `import type { StoreWoowupPointsResponse } from "medusa-plugin-woowup/store"`.
 *
 * Self-contained on purpose: no import, so a storefront compiles these types without Medusa installed (the
 * package test compiles them in a project that has only this package). The plugin's rules take their types from here.
 */

/**
 * `earned`: a purchase or a later capture; `taken_back`: a refund or a cancelation; `spent`: redeemed in WoowUp;
 * `adjusted`: anything else (a gift, a correction).
 */
export type MovementKind = "earned" | "taken_back" | "spent" | "adjusted"

/** One movement of the customer's points (newest first). */
export type StoreWoowupTransaction = {
  id: string | null
  kind: MovementKind
  /** Positive when earned, negative when spent or taken back. */
  points: number
  /** The Medusa order the movement belongs to, when there is one. */
  order_id: string | null
  /** WoowUp's description, without the plugin's internal mark. */
  description: string | null
  /** ISO 8601 (UTC); null when WoowUp gave no date. */
  created_at: string | null
}

export type StoreWoowupPoints = {
  /** The identity the points are read under is proven the customer's (README, "Proven identities"). */
  verified: true
  /** The customer's balance in WoowUp; 0 for a customer WoowUp does not know yet. */
  points: number
  /** When this was read from WoowUp (ISO 8601). Reads are cached for `storeCacheSeconds`. */
  updated_at: string
  /** Present (true) when WoowUp could not be reached and this is the last balance known. */
  stale?: true
  transactions: StoreWoowupTransaction[]
  limit: number
  offset: number
  /** What the customer can spend at checkout, when the store lets points be spent (`redeem.enabled`). */
  redeemable?: StoreWoowupRedeemable
}

/** `GET /store/customers/me/woowup` */
export type StoreWoowupPointsResponse = { woowup: StoreWoowupPoints }

/** `GET /store/customers/me/woowup` until the customer's identity is proven: nothing of WoowUp's, no WoowUp call. */
export type StoreWoowupUnverifiedResponse = { woowup: { verified: false } }

/** `POST /store/customers/me/woowup/verification`: a code went to `email`; it can be confirmed until `expires_at`. */
export type StoreWoowupVerificationResponse = { verification: { email: string; expires_at: string } }

/** `POST /store/customers/me/woowup/verification/confirm`: the email is proven. */
export type StoreWoowupVerifiedResponse = { woowup: { verified: true } }

/** `GET /store/customers/me/woowup` answers 503 with this when WoowUp is down and no balance is known yet. */
export type StoreWoowupUnavailableResponse = { type: "woowup_unavailable"; message: string }

/** `GET /store/customers/me/woowup` answers 429 with this (and `Retry-After`) past the per-customer throttle. */
export type StoreWoowupThrottledResponse = { type: "too_many_requests"; message: string }

/** `GET /store/customers/me/woowup` answers 503 with this (and `Retry-After: 1`) when the server has too many reads at once. */
export type StoreWoowupBusyResponse = { type: "woowup_busy"; message: string }

/**
 * `points`: what the cart's order earns once captured (null when WoowUp's own program rules award them); `amount`:
 * what they are computed on; `reason`: why `points` is 0 or null (`no_rate_for_currency`, `below_minimum`,
 * `zero_points`, `points_by_woowup`), null when the cart earns points.
 */
export type StoreWoowupPointsPreview = {
  /** Points the cart earns once its order is captured; null when WoowUp's own rules award them (`sendPoints: false`). */
  points: number | null
  /** What points are computed on, in the currency's main unit. */
  amount: number
  currency_code: string
  /** Why `points` is 0 (or null: `points_by_woowup`); null when the cart earns points. */
  reason: "no_rate_for_currency" | "below_minimum" | "zero_points" | "points_by_woowup" | null
}

/** `GET /store/woowup/points-preview?cart_id=` */
export type StoreWoowupPointsPreviewResponse = { points_preview: StoreWoowupPointsPreview }

/** The cart as `POST` and `DELETE /store/carts/:id/woowup-points` answer it: its totals include the points discount. */
export type StoreWoowupPointsCart = {
  id: string
  currency_code: string
  customer_id: string | null
  total: number
  subtotal: number
  item_total: number
  item_subtotal: number
  discount_total: number
  shipping_total: number
  tax_total: number
  promotions: Array<{ id: string; code: string | null }>
  items: Array<{ id: string; quantity: number; unit_price: number; variant_id: string | null; adjustments?: Array<{ amount: number; code: string | null }> }>
}

/** `POST /store/carts/:id/woowup-points` (`{ points }`) and `DELETE /store/carts/:id/woowup-points`. */
export type StoreWoowupPointsCartResponse = { cart: StoreWoowupPointsCart }

/**
 * In `GET /store/customers/me/woowup`: the points the customer can spend now (their balance minus what their other
 * carts hold) and, with `cart_id`, how many of them that cart can take and what those pay in its currency.
 */
export type StoreWoowupRedeemable = {
  points: number
  /** With `cart_id`: the most points the cart can take now (also within `redeem.maxShareOfCart`). */
  cart_points?: number
  /** With `cart_id`: what `cart_points` pay, in the cart's currency (null: no `redeem.pointValue` for it). */
  value?: number | null
  currency_code?: string
}
