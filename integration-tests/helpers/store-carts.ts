import { request, type HttpClient } from "./http"
import { SYSTEM_PROVIDER_ID } from "./seed-store"
import { storeHeaders, type OrderItemInput, type StoreContext } from "./store-orders"

/** A cart made through the store API, as a storefront makes it, left open: its id and the headers it was made with. */
export type OpenCart = { id: string; headers: ReturnType<typeof storeHeaders> }

/** Creates a cart (optionally with an email) and adds the items, one request each. */
export async function createCart(
  api: HttpClient,
  store: StoreContext,
  opts: { email?: string; items: OrderItemInput[]; token?: string }
): Promise<OpenCart> {
  const headers = storeHeaders(store, opts.token)
  const { cart } = await request<{ cart: { id: string } }>(
    "create cart",
    "post",
    api,
    "/store/carts",
    { region_id: store.regionId, sales_channel_id: store.salesChannelId, ...(opts.email ? { email: opts.email } : {}) },
    headers
  )
  for (const item of opts.items) {
    await request("add line item", "post", api, `/store/carts/${cart.id}/line-items`, item, headers)
  }
  return { id: cart.id, headers }
}

/** Adds one item to an open cart. */
export async function addCartItem(api: HttpClient, cart: OpenCart, item: OrderItemInput): Promise<void> {
  await request("add line item", "post", api, `/store/carts/${cart.id}/line-items`, item, cart.headers)
}

/** Completes an open cart into an order (address, shipping, payment with `pp_system_default`): the order's id. */
export async function completeCart(api: HttpClient, store: StoreContext, cart: OpenCart, email: string): Promise<string> {
  const address = {
    first_name: "Ana",
    last_name: "Pérez",
    address_1: "Av. Providencia 1234",
    city: "Santiago",
    postal_code: "7500000",
    country_code: store.countryCode,
    phone: "+56912345678",
  }
  const url = `/store/carts/${cart.id}`
  await request("set address", "post", api, url, { email, shipping_address: address, billing_address: address }, cart.headers)
  await request("add shipping method", "post", api, `${url}/shipping-methods`, { option_id: store.shippingOptionId }, cart.headers)
  const { payment_collection } = await request<{ payment_collection: { id: string } }>(
    "create payment collection",
    "post",
    api,
    "/store/payment-collections",
    { cart_id: cart.id },
    cart.headers
  )
  await request(
    "init payment session",
    "post",
    api,
    `/store/payment-collections/${payment_collection.id}/payment-sessions`,
    { provider_id: SYSTEM_PROVIDER_ID },
    cart.headers
  )
  const completed = await request<{ type: string; order?: { id: string } }>("complete cart", "post", api, `${url}/complete`, {}, cart.headers)
  if (completed.type !== "order" || !completed.order) {
    throw new Error(`completeCart: cart ${cart.id} did not complete`)
  }
  return completed.order.id
}
