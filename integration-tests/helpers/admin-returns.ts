import { request, type AuthHeaders, type HttpClient } from "./http"

export type ItemQuantity = { id: string; quantity: number }

/**
 * Fulfills order items through the admin API (`POST /admin/orders/:id/fulfillments`): Medusa refuses to return
 * more than was fulfilled.
 */
export async function fulfillItems(
  api: HttpClient,
  admin: AuthHeaders,
  orderId: string,
  input: { items: ItemQuantity[]; location_id: string }
): Promise<void> {
  await request("fulfill items", "post", api, `/admin/orders/${orderId}/fulfillments`, input, admin)
}

/**
 * Returns items the way an admin does in the dashboard, route by route: `POST /admin/returns`, `request-items`,
 * `request`, `receive`, `receive-items`, `receive/confirm`. The items must be fulfilled. No refund: that is a
 * separate `POST /admin/payments/:id/refund`. Medusa emits `order.return_requested` and `order.return_received`.
 * Returns the return's id.
 */
export async function returnItems(
  api: HttpClient,
  admin: AuthHeaders,
  orderId: string,
  input: { items: ItemQuantity[]; location_id: string }
): Promise<string> {
  const { return: created } = await request<{ return: { id: string } }>(
    "create return",
    "post",
    api,
    "/admin/returns",
    { order_id: orderId, location_id: input.location_id },
    admin
  )
  const id = created.id
  const post = (step: string, path: string, body: unknown = {}) =>
    request(step, "post", api, `/admin/returns/${id}${path}`, body, admin)
  await post("request return items", "/request-items", { items: input.items })
  await post("request return", "/request")
  await post("start receiving return", "/receive")
  await post("receive return items", "/receive-items", { items: input.items })
  await post("confirm return received", "/receive/confirm")
  return id
}

/**
 * Exchanges items through the admin API: `POST /admin/exchanges`, `inbound/items` (what comes back),
 * `outbound/items` (what goes out, at its variant's price), `request`. Then receives the exchange's return
 * (`receive`, `receive-items`, `receive/confirm`). Returns the exchange and its return's ids.
 */
export async function exchangeItems(
  api: HttpClient,
  admin: AuthHeaders,
  orderId: string,
  input: { inbound: ItemQuantity[]; outbound: { variant_id: string; quantity: number }[]; location_id: string }
): Promise<{ exchange_id: string; return_id: string }> {
  const { exchange } = await request<{ exchange: { id: string } }>(
    "create exchange",
    "post",
    api,
    "/admin/exchanges",
    { order_id: orderId },
    admin
  )
  const post = <T = any>(step: string, path: string, body: unknown = {}) =>
    request<T>(step, "post", api, `/admin/exchanges/${exchange.id}${path}`, body, admin)
  await post("exchange inbound items", "/inbound/items", { items: input.inbound, location_id: input.location_id })
  await post("exchange outbound items", "/outbound/items", { items: input.outbound })
  const requested = await post<{ exchange: { return_id?: string | null }; return?: { id: string } }>(
    "request exchange",
    "/request"
  )
  const returnId = requested.return?.id ?? requested.exchange.return_id
  if (!returnId) {
    throw new Error(`exchange ${exchange.id} has no return: ${JSON.stringify(requested.exchange)}`)
  }
  const receive = (step: string, path: string, body: unknown = {}) =>
    request(step, "post", api, `/admin/returns/${returnId}${path}`, body, admin)
  await receive("start receiving exchange return", "/receive")
  await receive("receive exchange items", "/receive-items", { items: input.inbound })
  await receive("confirm exchange return received", "/receive/confirm")
  return { exchange_id: exchange.id, return_id: returnId }
}

/**
 * A claim as the admin dashboard makes it: `POST /admin/claims` (`type` "refund" or "replace"), the claimed items
 * as `inbound/items` (they come back), for "replace" the new items as `outbound/items` (Medusa adds them to the
 * order at their variant's price), `request`; then receives the claim's return (`receive`, `receive-items`,
 * `receive/confirm`). Returns the claim and its return's ids.
 */
export async function claimItems(
  api: HttpClient,
  admin: AuthHeaders,
  orderId: string,
  input: {
    type: "refund" | "replace"
    inbound: ItemQuantity[]
    outbound?: { variant_id: string; quantity: number }[]
    location_id: string
  }
): Promise<{ claim_id: string; return_id: string }> {
  const { claim } = await request<{ claim: { id: string } }>(
    "create claim",
    "post",
    api,
    "/admin/claims",
    { order_id: orderId, type: input.type },
    admin
  )
  const post = <T = any>(step: string, path: string, body: unknown = {}) =>
    request<T>(step, "post", api, `/admin/claims/${claim.id}${path}`, body, admin)
  await post("claim inbound items", "/inbound/items", { items: input.inbound, location_id: input.location_id })
  if (input.outbound?.length) {
    await post("claim outbound items", "/outbound/items", { items: input.outbound })
  }
  const requested = await post<{ claim: { return_id?: string | null }; return?: { id: string } }>(
    "request claim",
    "/request"
  )
  const returnId = requested.return?.id ?? requested.claim.return_id
  if (!returnId) {
    throw new Error(`claim ${claim.id} has no return: ${JSON.stringify(requested.claim)}`)
  }
  const receive = (step: string, path: string, body: unknown = {}) =>
    request(step, "post", api, `/admin/returns/${returnId}${path}`, body, admin)
  await receive("start receiving claim return", "/receive")
  await receive("receive claim items", "/receive-items", { items: input.inbound })
  await receive("confirm claim return received", "/receive/confirm")
  return { claim_id: claim.id, return_id: returnId }
}
