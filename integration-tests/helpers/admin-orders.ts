import { request, type AuthHeaders, type HttpClient } from "./http"

/** The order fields the payment helpers read (the admin route's `fields` replaces its defaults). */
export const ADMIN_ORDER_PAYMENT_FIELDS = [
  "id",
  "display_id",
  "status",
  "email",
  "customer_id",
  "currency_code",
  "total",
  "summary",
  "*payment_collections",
  "*payment_collections.payments",
  "*payment_collections.payments.captures",
  "*payment_collections.payments.refunds",
]

export type AdminPayment = {
  id: string
  amount: number
  currency_code: string
  provider_id: string
  payment_collection_id: string
  captured_at: string | null
  canceled_at: string | null
  captures?: { id: string; amount: number }[]
  refunds?: { id: string; amount: number }[]
  [key: string]: any
}

export type AdminOrder = {
  id: string
  display_id: number
  status: string
  /** Computed by the admin route from the payment collections: `authorized`, `partially_captured`, `captured`... */
  payment_status: string
  email: string
  customer_id: string | null
  currency_code: string
  total: number
  payment_collections: {
    id: string
    status: string
    amount: number
    authorized_amount: number | null
    captured_amount: number | null
    refunded_amount: number | null
    payments: AdminPayment[]
  }[]
  [key: string]: any
}

/** `GET /admin/orders/:id` with the given fields (default: totals, payment collections, payments, captures, refunds). */
export async function getOrder(
  api: HttpClient,
  admin: AuthHeaders,
  orderId: string,
  fields: string[] = ADMIN_ORDER_PAYMENT_FIELDS
): Promise<AdminOrder> {
  const { order } = await request<{ order: AdminOrder }>(
    "retrieve order",
    "get",
    api,
    `/admin/orders/${orderId}?fields=${encodeURIComponent(fields.join(","))}`,
    undefined,
    admin
  )
  return order
}

/** The order's payment: the one not canceled (an order placed through the store API has exactly one). */
export async function getOrderPayment(api: HttpClient, admin: AuthHeaders, orderId: string): Promise<AdminPayment> {
  const order = await getOrder(api, admin, orderId)
  const payments = (order.payment_collections ?? []).flatMap((pc) => pc.payments ?? []).filter((p) => !p.canceled_at)
  if (payments.length !== 1) {
    throw new Error(`order ${orderId} has ${payments.length} live payments, expected 1`)
  }
  return payments[0]
}

/**
 * Captures the order's payment through the admin API (`POST /admin/payments/:id/capture`), which runs
 * `capturePaymentWorkflow` and so emits `payment.captured` with the payment's id. With `amount`, captures that
 * much (a partial capture); without it, captures what remains uncaptured. Returns the payment after the capture.
 *
 * Medusa 2.21's route without an amount captures the payment's whole amount, which fails once part of it was
 * captured; so after a partial capture this helper sends the remainder explicitly, as the admin dashboard does.
 */
export async function capturePayment(
  api: HttpClient,
  admin: AuthHeaders,
  orderId: string,
  opts: { amount?: number } = {}
): Promise<AdminPayment> {
  const payment = await getOrderPayment(api, admin, orderId)
  const alreadyCaptured = (payment.captures ?? []).reduce((acc, c) => acc + Number(c.amount), 0)
  const remainder = Number((Number(payment.amount) - alreadyCaptured).toFixed(10))
  const amount = opts.amount ?? (alreadyCaptured > 0 ? remainder : undefined)
  const { payment: captured } = await request<{ payment: AdminPayment }>(
    "capture payment",
    "post",
    api,
    `/admin/payments/${payment.id}/capture`,
    amount != null ? { amount } : {},
    admin
  )
  return captured
}

/**
 * Refunds the order's (captured) payment through the admin API (`POST /admin/payments/:id/refund`), which runs
 * `refundPaymentWorkflow` and emits `payment.refunded`. Without `amount`, refunds everything captured.
 */
export async function refundPayment(
  api: HttpClient,
  admin: AuthHeaders,
  orderId: string,
  opts: { amount?: number; note?: string; refund_reason_id?: string } = {}
): Promise<AdminPayment> {
  const payment = await getOrderPayment(api, admin, orderId)
  const body = Object.fromEntries(Object.entries(opts).filter(([, v]) => v != null))
  const { payment: refunded } = await request<{ payment: AdminPayment }>(
    "refund payment",
    "post",
    api,
    `/admin/payments/${payment.id}/refund`,
    body,
    admin
  )
  return refunded
}

/**
 * Cancels the order through the admin API (`POST /admin/orders/:id/cancel`). Medusa cancels an authorized
 * payment and refunds a captured one (through `refundPaymentsWorkflow`: no `payment.refunded`, only
 * `order.canceled`). Returns the order.
 */
export async function cancelOrder(api: HttpClient, admin: AuthHeaders, orderId: string): Promise<AdminOrder> {
  const { order } = await request<{ order: AdminOrder }>(
    "cancel order",
    "post",
    api,
    `/admin/orders/${orderId}/cancel`,
    {},
    admin
  )
  return order
}
