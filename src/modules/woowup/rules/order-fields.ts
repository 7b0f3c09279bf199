import type { MoneyValue } from "./money"

/**
 * What the award workflow loads with `query.graph({ entity: "order", fields: ORDER_FIELDS })`.
 *
 * Totals are computed fields of the order module: they are only filled when asked for by name, and only the
 * names in the order module's own list trigger the computation (`shouldIncludeTotals` in
 * `@medusajs/order` 2.21). `discount_subtotal`, `item_discount_total` and `shipping_discount_total` are computed
 * too but are not in that list nor in the order's GraphQL schema, so they are not asked for: the rules derive
 * what they need from the fields below. Meaning of the order totals (Medusa 2.21, `decorateCartTotals`):
 * - `item_subtotal`: items before discounts, without tax.
 * - `item_total`: items after discounts, with tax. `item_tax_total`: the items' tax (after discounts).
 * - `shipping_subtotal`: shipping before discounts, without tax. `shipping_total`: after discounts, with tax.
 * - `tax_total`: all tax; `discount_total`: all discounts, with their tax; `total`: what the customer owes.
 */
/** The order fields `pickIdentity` reads: enough to tell an order's identity without its items. */
export const ORDER_IDENTITY_FIELDS: string[] = [
  "id",
  "email",
  "customer.id",
  "customer.email",
  "customer.phone",
  "customer.metadata",
  "shipping_address.phone",
]

export const ORDER_FIELDS: string[] = [
  "id",
  "display_id",
  "email",
  "currency_code",
  "created_at",
  "canceled_at",
  "status",
  // the branch the purchase goes to (rules/branch.ts)
  "sales_channel_id",
  "sales_channel.name",

  // computed totals (see above)
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

  "customer.id",
  "customer.email",
  "customer.first_name",
  "customer.last_name",
  "customer.phone",
  "customer.metadata",

  "shipping_address.first_name",
  "shipping_address.last_name",
  "shipping_address.phone",
  "shipping_address.city",
  "shipping_address.province",
  "shipping_address.address_1",
  "shipping_address.country_code",

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
  "items.tax_lines.rate",
  "items.subtotal",
  "items.total",
  "items.discount_total",
  "items.tax_total",
  // what came back through a return (of a return, claim or exchange), and what the customer was charged for it
  "items.detail.return_received_quantity",
  "items.detail.return_dismissed_quantity",
  "items.return_received_total",
  "items.return_dismissed_total",
  // snapshot taken at checkout when the cart line carried it (usually empty in 2.21)
  "items.variant_option_values",
  // the live variant through the order ↔ product read-only link (`items.variant`), then product option values
  "items.variant.options.value",
  "items.variant.options.option.title",

  "payment_collections.id",
  "payment_collections.status",
  "payment_collections.currency_code",
  "payment_collections.amount",
  "payment_collections.captured_amount",
  "payment_collections.refunded_amount",
  "payment_collections.payments.id",
  "payment_collections.payments.provider_id",
  "payment_collections.payments.amount",
  "payment_collections.payments.currency_code",
  "payment_collections.payments.captured_at",
  "payment_collections.payments.canceled_at",
  "payment_collections.payments.captures.id",
  "payment_collections.payments.captures.amount",
  "payment_collections.payments.captures.created_at",
  "payment_collections.payments.refunds.id",
  "payment_collections.payments.refunds.amount",
]

export type DateValue = string | Date | null | undefined

export type RewardOrderCustomer = {
  id: string
  email?: string | null
  first_name?: string | null
  last_name?: string | null
  phone?: string | null
  metadata?: Record<string, unknown> | null
}

export type RewardOrderAddress = {
  first_name?: string | null
  last_name?: string | null
  phone?: string | null
  city?: string | null
  province?: string | null
  address_1?: string | null
  country_code?: string | null
}

export type RewardOrderItem = {
  id: string
  title?: string | null
  product_title?: string | null
  variant_title?: string | null
  variant_sku?: string | null
  variant_id?: string | null
  product_id?: string | null
  quantity?: MoneyValue
  unit_price?: MoneyValue
  is_tax_inclusive?: boolean | null
  tax_lines?: Array<{ rate?: MoneyValue } | null> | null
  subtotal?: MoneyValue
  total?: MoneyValue
  discount_total?: MoneyValue
  tax_total?: MoneyValue
  /** The order item's quantities (Medusa keeps them on `detail`): units received back, or received damaged. */
  detail?: { return_received_quantity?: MoneyValue; return_dismissed_quantity?: MoneyValue } | null
  /** Computed by Medusa: what the customer was charged for the units received back (with tax, after discounts). */
  return_received_total?: MoneyValue
  /** The same for the units received damaged. */
  return_dismissed_total?: MoneyValue
  variant_option_values?: Record<string, unknown> | null
  variant?: {
    options?: Array<{ value?: string | null; option?: { title?: string | null } | null } | null> | null
  } | null
}

export type RewardCapture = {
  id?: string
  amount?: MoneyValue
  created_at?: DateValue
}

export type RewardPayment = {
  id?: string
  provider_id?: string | null
  amount?: MoneyValue
  currency_code?: string | null
  captured_at?: DateValue
  canceled_at?: DateValue
  captures?: Array<RewardCapture | null> | null
  refunds?: Array<{ id?: string; amount?: MoneyValue } | null> | null
}

export type RewardPaymentCollection = {
  id?: string
  status?: string | null
  currency_code?: string | null
  amount?: MoneyValue
  captured_amount?: MoneyValue
  refunded_amount?: MoneyValue
  payments?: Array<RewardPayment | null> | null
}

/**
 * The order as query.graph returns it for {@link ORDER_FIELDS}. Money fields may be numbers, numeric strings,
 * Medusa `BigNumber` instances or raw `{ value }` objects: read them with the helpers of `money.ts`.
 * Guest orders have an `email` and no `customer`.
 */
export type RewardOrder = {
  id: string
  display_id?: number | string | null
  email?: string | null
  currency_code: string
  created_at?: DateValue
  canceled_at?: DateValue
  status?: string | null
  sales_channel_id?: string | null
  sales_channel?: { name?: string | null } | null

  total?: MoneyValue
  subtotal?: MoneyValue
  tax_total?: MoneyValue
  discount_total?: MoneyValue
  discount_tax_total?: MoneyValue
  item_total?: MoneyValue
  item_subtotal?: MoneyValue
  item_tax_total?: MoneyValue
  shipping_total?: MoneyValue
  shipping_subtotal?: MoneyValue
  shipping_tax_total?: MoneyValue
  original_total?: MoneyValue

  customer?: RewardOrderCustomer | null
  shipping_address?: RewardOrderAddress | null
  items?: Array<RewardOrderItem | null> | null
  payment_collections?: Array<RewardPaymentCollection | null> | null
}
