import { request, type HttpClient, type RequestConfig } from "./http"
import { SYSTEM_PROVIDER_ID, type SeededStore } from "./seed-store"

/** What placeOrder needs to know about the store: `seedStore()`'s result fits. */
export type StoreContext = Pick<
  SeededStore,
  "publishableKey" | "regionId" | "salesChannelId" | "shippingOptionId" | "countryCode" | "currencyCode"
>

export type CustomerInput = {
  email: string
  password: string
  first_name?: string
  last_name?: string
  phone?: string
}

export type OrderItemInput = { variant_id: string; quantity: number }

export type PlaceOrderOptions = {
  /** The cart's email. For a customer it defaults to the customer's. */
  email?: string
  /** Register (or log in, if the email already has an account) and check out as this customer. Omit for a guest. */
  customer?: CustomerInput
  items: OrderItemInput[]
  /** Default `pp_system_default` (authorizes only). `pp_autocapture_autocapture` captures at checkout. */
  provider_id?: string
  /** Default: the region's currency. */
  currency?: string
  promo_code?: string
  /** Overrides for the shipping (and billing) address. */
  address?: Partial<StoreAddress>
}

export type StoreAddress = {
  first_name: string
  last_name: string
  address_1: string
  city: string
  postal_code: string
  country_code: string
  phone: string
}

/** The order as `POST /store/carts/:id/complete` returns it, plus what placeOrder knows besides. */
export type PlacedOrder = {
  id: string
  display_id: number
  email: string
  currency_code: string
  total: number
  subtotal: number
  shipping_total: number
  tax_total: number
  discount_total: number
  customer_id: string | null
  items: any[]
  cart_id: string
  payment_collection_id: string
  /** The logged-in customer (id, email, bearer token) when placed as a customer. */
  customer?: LoggedInCustomer
  [key: string]: any
}

export type LoggedInCustomer = { id: string; email: string; token: string }

export function storeHeaders(store: Pick<StoreContext, "publishableKey">, token?: string): RequestConfig {
  return {
    headers: {
      "x-publishable-api-key": store.publishableKey,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  }
}

/**
 * Logs a customer in with email and password through the auth and store APIs, registering the account first
 * when the email has none (`/auth/customer/emailpass/register`, then `POST /store/customers`, then login).
 * Returns the customer id and a token for `Authorization: Bearer`.
 */
export async function loginOrRegisterCustomer(
  api: HttpClient,
  store: Pick<StoreContext, "publishableKey">,
  customer: CustomerInput
): Promise<LoggedInCustomer> {
  const credentials = { email: customer.email, password: customer.password }

  let token = await tryLogin(api, credentials)
  if (!token) {
    const registered = await request<{ token: string }>(
      "register customer",
      "post",
      api,
      "/auth/customer/emailpass/register",
      credentials
    )
    token = registered.token
  }

  // A token without an actor belongs to an identity that has no customer yet: create it, then log in again.
  if (!actorId(token)) {
    await request(
      "create customer",
      "post",
      api,
      "/store/customers",
      {
        email: customer.email,
        first_name: customer.first_name,
        last_name: customer.last_name,
        phone: customer.phone,
      },
      storeHeaders(store, token)
    )
    token = await tryLogin(api, credentials)
    if (!token) {
      throw new Error(`login customer: ${customer.email} was registered but cannot log in`)
    }
  }

  const { customer: me } = await request<{ customer: { id: string; email: string } }>(
    "retrieve customer",
    "get",
    api,
    "/store/customers/me",
    undefined,
    storeHeaders(store, token)
  )
  return { id: me.id, email: me.email, token }
}

/**
 * Places an order through the store API, as a storefront does: (optionally) log the customer in, create a
 * cart, add the items, set email and addresses, add the shipping method, apply the promo code, create the
 * payment collection, start a payment session with the provider, complete the cart.
 *
 * With `pp_system_default` the order's payment is authorized, not captured: capture it with `capturePayment`.
 * With `pp_autocapture_autocapture` it is captured at completion (no `payment.captured` event).
 *
 * Throws, with Medusa's message, when any step fails or the cart does not complete into an order.
 */
export async function placeOrder(api: HttpClient, store: StoreContext, opts: PlaceOrderOptions): Promise<PlacedOrder> {
  if (!opts.items?.length) {
    throw new Error("placeOrder: no items")
  }
  const customer = opts.customer ? await loginOrRegisterCustomer(api, store, opts.customer) : undefined
  const headers = storeHeaders(store, customer?.token)
  const email = opts.email ?? customer?.email
  if (!email) {
    throw new Error("placeOrder: give an email (guests) or a customer")
  }

  const address: StoreAddress = {
    first_name: opts.customer?.first_name ?? "Ana",
    last_name: opts.customer?.last_name ?? "Pérez",
    address_1: "Av. Providencia 1234",
    city: "Santiago",
    postal_code: "7500000",
    country_code: store.countryCode,
    phone: opts.customer?.phone ?? "+56912345678",
    ...opts.address,
  }

  const { cart } = await request<{ cart: { id: string } }>(
    "create cart",
    "post",
    api,
    "/store/carts",
    {
      region_id: store.regionId,
      sales_channel_id: store.salesChannelId,
      ...(opts.currency ? { currency_code: opts.currency.toLowerCase() } : {}),
    },
    headers
  )
  const cartUrl = `/store/carts/${cart.id}`

  for (const item of opts.items) {
    await request("add line item", "post", api, `${cartUrl}/line-items`, item, headers)
  }
  await request(
    "set email and address",
    "post",
    api,
    cartUrl,
    { email, shipping_address: address, billing_address: address },
    headers
  )
  await request("add shipping method", "post", api, `${cartUrl}/shipping-methods`, { option_id: store.shippingOptionId }, headers)
  if (opts.promo_code) {
    const { cart: withPromo } = await request<{ cart: { promotions?: { code?: string }[] } }>(
      "apply promo code",
      "post",
      api,
      `${cartUrl}/promotions`,
      { promo_codes: [opts.promo_code] },
      headers
    )
    if (!withPromo.promotions?.some((p) => p.code === opts.promo_code)) {
      throw new Error(`placeOrder: promo code ${opts.promo_code} was not applied to cart ${cart.id}`)
    }
  }

  const { payment_collection } = await request<{ payment_collection: { id: string } }>(
    "create payment collection",
    "post",
    api,
    "/store/payment-collections",
    { cart_id: cart.id },
    headers
  )
  await request(
    "init payment session",
    "post",
    api,
    `/store/payment-collections/${payment_collection.id}/payment-sessions`,
    { provider_id: opts.provider_id ?? SYSTEM_PROVIDER_ID },
    headers
  )

  const completed = await request<{ type: "order" | "cart"; order?: any; error?: { message: string; type: string } }>(
    "complete cart",
    "post",
    api,
    `${cartUrl}/complete`,
    {},
    headers
  )
  if (completed.type !== "order" || !completed.order) {
    throw new Error(
      `placeOrder: cart ${cart.id} did not complete: ${completed.error?.type ?? "?"}: ${completed.error?.message ?? "?"}`
    )
  }

  return {
    ...completed.order,
    cart_id: cart.id,
    payment_collection_id: payment_collection.id,
    customer_id: completed.order.customer_id ?? null,
    ...(customer ? { customer } : {}),
  }
}

async function tryLogin(api: HttpClient, credentials: { email: string; password: string }): Promise<string | null> {
  try {
    const { data } = await api.post("/auth/customer/emailpass", credentials, {})
    return typeof data?.token === "string" ? data.token : null
  } catch (err: any) {
    if (err?.response?.status === 401) {
      return null
    }
    throw err
  }
}

/** The `actor_id` claim of a Medusa JWT ("" before the identity has a customer). */
function actorId(token: string): string {
  const payload = token.split(".")[1] ?? ""
  try {
    return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")).actor_id ?? ""
  } catch {
    return ""
  }
}
