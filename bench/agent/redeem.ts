/**
 * The agent's `redeem`: cart completion with WoowUp points applied against without (interleaved pairs, each cart
 * made, paid and, for one of the pair, given 20 points first, exactly as the store routes do it), one WoowUp round
 * trip (`GET /multiusers/find`, straight over HTTP) timed on its own, and the WoowUp calls of a redeemed order against one without points
 * (apply, complete, capture), told apart by the customer's identity in the sandbox's requests.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import {
  addShippingMethodToCartWorkflow,
  completeCartWorkflow,
  createCartWorkflow,
  createPaymentCollectionForCartWorkflow,
  createPaymentSessionsWorkflow,
} from "@medusajs/medusa/core-flows"
import { WOOWUP_MODULE } from "../../src/modules/woowup"
import type WoowupModuleService from "../../src/modules/woowup/service"
import { applyWoowupPointsWorkflow } from "../../src/workflows/apply-woowup-points"
import type { AgentInput, AgentOutput } from "../types"
import { percentile, round } from "../util"
import { andWait, capture, SYSTEM_PROVIDER } from "./checkout"

type RequestRow = { method: string; path: string; status: number | string; time: number; query: Record<string, string>; body?: any }

const sandboxPost = async (sandbox: { url: string; apiKey: string }, path: string, body: unknown) => {
  const res = await fetch(`${sandbox.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Basic ${sandbox.apiKey}` },
    body: JSON.stringify(body),
  })
  if (res.status >= 300) {
    throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `sandbox POST ${path}: ${res.status} ${await res.text()}`)
  }
}

export async function measureRedeem(
  container: MedusaContainer,
  input: Extract<AgentInput, { mode: "redeem" }>
): Promise<Omit<Extract<AgentOutput, { mode: "redeem" }>, "mode">> {
  const { store, sandbox } = input
  const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
  const customers = container.resolve(Modules.CUSTOMER)
  let n = 0

  /** A customer with an account, a proven identity, and 1,000 points in WoowUp. */
  const customer = async () => {
    const email = `bench.redeem.${++n}.${Date.now()}@example.com`
    const [created] = await customers.createCustomers([{ email, first_name: "Bench", last_name: `Redeem ${n}` }])
    await woowup.proveIdentity({ customer_id: created.id, identifier: "email", identity: email, method: "admin", proven_by: "bench" })
    await sandboxPost(sandbox, "/users", { email })
    await sandboxPost(sandbox, "/multiusers/points", { email, points: 1000, concept: "gift", description: "bench" })
    return { id: created.id, email }
  }

  /** A cart ready to complete (items, addresses, shipping, a payment session), with 20 points applied or not. */
  const readyCart = async (c: { id: string; email: string }, points: boolean) => {
    const address = { first_name: "Bench", last_name: "Redeem", address_1: "Av. Providencia 1234", city: "Santiago", postal_code: "7500000", country_code: store.countryCode, phone: "+56912345678" }
    const { result: cart } = await createCartWorkflow(container).run({
      input: {
        region_id: store.regionId,
        sales_channel_id: store.salesChannelId,
        email: c.email,
        customer_id: c.id,
        shipping_address: address,
        billing_address: address,
        items: [{ variant_id: store.variants.standard, quantity: 2 }],
      },
    })
    await addShippingMethodToCartWorkflow(container).run({ input: { cart_id: cart.id, options: [{ id: store.shippingOptionId }] } })
    if (points) {
      await applyWoowupPointsWorkflow(container).run({ input: { cart_id: cart.id, customer_id: c.id, points: 20 } })
    }
    const { result: collection } = await createPaymentCollectionForCartWorkflow(container).run({ input: { cart_id: cart.id } })
    await createPaymentSessionsWorkflow(container).run({ input: { payment_collection_id: (collection as any).id, provider_id: SYSTEM_PROVIDER } })
    return cart.id
  }

  /** Completes the cart, timing the completion only (the plugin's subscribers are waited for after). */
  const complete = async (cartId: string) => {
    let ms = 0
    const { result } = await andWait(container, "order.placed", async () => {
      const started = process.hrtime.bigint()
      const run = await completeCartWorkflow(container).run({ input: { id: cartId } })
      ms = Number(process.hrtime.bigint() - started) / 1e6
      return run
    })
    return { orderId: result.id as string, ms }
  }

  const withPoints: number[] = []
  const without: number[] = []
  const c = await customer()
  for (let i = 0; i < input.warmup + input.pairs; i++) {
    const a = await complete(await readyCart(c, true))
    const b = await complete(await readyCart(c, false))
    if (i >= input.warmup) {
      withPoints.push(a.ms)
      without.push(b.ms)
    }
  }

  // The round trip itself, straight to WoowUp: the client would add its pacing under the rate limit.
  const roundTrips: number[] = []
  for (let i = 0; i < input.pairs; i++) {
    const started = process.hrtime.bigint()
    const res = await fetch(`${sandbox.url}/multiusers/find?email=${encodeURIComponent(c.email)}`, {
      headers: { authorization: `Basic ${sandbox.apiKey}` },
    })
    await res.text()
    roundTrips.push(Number(process.hrtime.bigint() - started) / 1e6)
  }

  // Calls: a fresh customer per order, so that its calls are told apart by identity.
  const callsOf = async (points: boolean) => {
    const who = await customer()
    // Past the bench's own calls for the customer (its gift of points), in the sandbox's millisecond clock.
    await new Promise((r) => setTimeout(r, 20))
    const since = Date.now()
    const cartId = await readyCart(who, points)
    const { orderId } = await complete(cartId)
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "order", fields: ["payment_collections.payments.id"], filters: { id: orderId } })
    await capture(container, (data[0] as any).payment_collections[0].payments[0].id)
    const requests = (await (await fetch(`${sandbox.controlUrl}/requests`)).json()) as RequestRow[]
    const seen = requests.filter((r) => r.time >= since && (r.query?.email === who.email || r.body?.email === who.email))
    const by_path: Record<string, number> = {}
    for (const r of seen) {
      const key = `${r.method} ${r.path}${r.body?.concept ? ` (${r.body.concept})` : ""}`
      by_path[key] = (by_path[key] ?? 0) + 1
    }
    return { calls: seen.length, by_path }
  }

  const p50 = (v: number[]) => round(percentile(v, 50), 1)
  return {
    pairs: input.pairs,
    complete_ms: {
      with_points: { p50: p50(withPoints), p95: round(percentile(withPoints, 95), 1) },
      without_points: { p50: p50(without), p95: round(percentile(without, 95), 1) },
    },
    woowup_round_trip_p50_ms: p50(roundTrips),
    calls: { redeemed: await callsOf(true), without_points: await callsOf(false) },
  }
}
