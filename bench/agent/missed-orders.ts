/**
 * The agent's `missed-orders`: N real orders with captured payment collections that the plugin never heard of
 * (created through the customer, order and payment modules, which emit none of the events the plugin listens to),
 * and orders only authorized after them, for the admin's capture route.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules } from "@medusajs/framework/utils"
import type { SeededStore } from "../../integration-tests/helpers/seed-store"
import type { AgentInput, AgentOutput, BenchCustomer } from "../types"
import { SYSTEM_PROVIDER } from "./checkout"

/** An order's body as the order module takes it: one T-shirt line and flat shipping, as the store would make it. */
function orderBody(store: SeededStore, customer: BenchCustomer & { id: string }, quantity: number) {
  const address = {
    first_name: customer.first_name,
    last_name: customer.last_name,
    address_1: "Av. Providencia 1234",
    city: "Santiago",
    postal_code: "7500000",
    country_code: store.countryCode,
    phone: customer.phone,
  }
  return {
    region_id: store.regionId,
    sales_channel_id: store.salesChannelId,
    customer_id: customer.id,
    email: customer.email,
    currency_code: store.currencyCode,
    status: "pending",
    shipping_address: address,
    billing_address: address,
    items: [
      {
        title: "M / Blue",
        subtitle: "Medusa T-Shirt",
        product_id: store.productIds.tshirt,
        product_title: "Medusa T-Shirt",
        variant_id: store.variants.standard,
        variant_sku: store.skus.standard ?? undefined,
        variant_title: "M / Blue",
        quantity,
        unit_price: store.prices.standard,
      },
    ],
    shipping_methods: [{ name: "Standard Shipping", amount: store.prices.shipping, shipping_option_id: store.shippingOptionId }],
  }
}

/**
 * `count` real orders of `customers` (created in the customer module first), through the order module, each with a
 * payment collection linked to it and paid as `pp_system_default` pays: a session authorized into a payment and,
 * when `captured`, captured in full. The payment rows are written in bulk through the payment module's own create
 * and update methods: the rows its authorize and capture would leave (payment_session, payment, capture; the
 * collection's authorized and captured amounts and status), without a provider round trip per order, which takes
 * minutes for thousands of orders on 2 cores. None of this emits an event the plugin listens to.
 */
export async function createOrdersInBulk(
  container: MedusaContainer,
  input: { store: SeededStore; customers: BenchCustomer[]; count: number; captured: boolean; keep: boolean },
  log: (line: string) => void
) {
  const customerModule = container.resolve(Modules.CUSTOMER)
  const orderModule = container.resolve(Modules.ORDER)
  const paymentModule = container.resolve(Modules.PAYMENT) as any
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const started = Date.now()
  const { store } = input

  const customers: Array<BenchCustomer & { id: string }> = []
  for (let i = 0; i < input.customers.length; i += 500) {
    const chunk = input.customers.slice(i, i + 500)
    const created = await customerModule.createCustomers(chunk)
    created.forEach((c, j) => customers.push({ ...chunk[j], id: c.id }))
  }

  const kept: Array<{ order_id: string; payment_id: string; email: string }> = []
  let count = 0
  let lastChunk: string[] = []
  let middle = new Date()
  // At most a hundred orders at a time (bounded memory whatever the count), and the second half starting a chunk.
  const CHUNK = Math.max(1, Math.min(100, Math.ceil(input.count / 2)))
  const half = Math.ceil(input.count / 2 / CHUNK) * CHUNK
  // Customers take turns; in the second half they start half-way round, so that two resyncs over the two halves
  // (the three-process run) never send the first orders of the same new customer at the same moment.
  const customerOf = (k: number) => customers[(k < half ? k : k + Math.floor(customers.length / 2)) % customers.length]
  for (let i = 0; i < input.count; i += CHUNK) {
    if (i === half) {
      // The boundary between the halves, in the time order of the ids (a ULID's time is in milliseconds).
      await new Promise((r) => setTimeout(r, 5))
      middle = new Date()
      await new Promise((r) => setTimeout(r, 5))
    }
    const n = Math.min(CHUNK, input.count - i)
    const bodies = Array.from({ length: n }, (_, j) => ({
      ...orderBody(store, customerOf(i + j), 1 + ((i + j) % 3)),
      metadata: { bench_index: i + j },
    }))
    // The module does not answer in the order it was given: each order is matched to its body by its index.
    const created = await orderModule.createOrders(bodies as any)
    const byIndex = new Map(created.map((o) => [Number(o.metadata?.bench_index), o]))
    const orders = bodies.map((b) => byIndex.get(b.metadata.bench_index)!)
    const totals = bodies.map((b) => b.items[0].quantity * b.items[0].unit_price + b.shipping_methods[0].amount)
    // Nor does the payment module: collections by their index, sessions and payments by their collection.
    const inOrder = <T extends { id: string; payment_collection_id: string }>(rows: T[]) => {
      const byCollection = new Map(rows.map((r) => [r.payment_collection_id, r]))
      return collections.map((pc: { id: string }) => byCollection.get(pc.id)!)
    }
    const collectionsCreated = await paymentModule.createPaymentCollections(
      totals.map((amount, j) => ({ currency_code: store.currencyCode, amount, metadata: { bench_index: i + j } }))
    )
    const collectionByIndex = new Map(collectionsCreated.map((pc: any) => [Number(pc.metadata?.bench_index), pc]))
    const collections = bodies.map((b) => collectionByIndex.get(b.metadata.bench_index) as { id: string })
    await link.create(
      orders.map((o, j) => ({
        [Modules.ORDER]: { order_id: o.id },
        [Modules.PAYMENT]: { payment_collection_id: collections[j].id },
      }))
    )
    const now = new Date()
    const sessions = inOrder(await paymentModule.createPaymentSessions(
      collections.map((pc: { id: string }, j: number) => ({
        payment_collection_id: pc.id,
        provider_id: SYSTEM_PROVIDER,
        currency_code: store.currencyCode,
        amount: totals[j],
        data: {},
        status: "authorized",
        authorized_at: now,
      }))
    ))
    const payments = inOrder(await paymentModule.createPayments(
      collections.map((pc: { id: string }, j: number) => ({
        payment_collection_id: pc.id,
        payment_session_id: sessions[j].id,
        provider_id: SYSTEM_PROVIDER,
        currency_code: store.currencyCode,
        amount: totals[j],
        data: {},
        ...(input.captured ? { captured_at: now } : {}),
      }))
    ))
    if (input.captured) {
      await paymentModule.createCaptures(payments.map((p: { id: string }, j: number) => ({ payment_id: p.id, amount: totals[j] })))
    }
    await paymentModule.upsertPaymentCollections(
      collections.map((pc: { id: string }, j: number) => ({
        id: pc.id,
        authorized_amount: totals[j],
        ...(input.captured ? { captured_amount: totals[j], status: "completed", completed_at: now } : { status: "authorized" }),
      }))
    )
    count += orders.length
    lastChunk = orders.map((o) => o.id)
    if (input.keep) {
      orders.forEach((o, j) => kept.push({ order_id: o.id, payment_id: payments[j].id, email: bodies[j].email }))
    }
    if ((i / CHUNK) % 10 === 9) {
      log(`${count}/${input.count} orders in ${Date.now() - started} ms`)
    }
  }

  // What the plugin and the admin routes will see of them: the payment, captured in full or only authorized.
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: sample } = await query.graph({
    entity: "order",
    fields: ["id", "total", "payment_collections.status", "payment_collections.captured_amount", "payment_collections.payments.captured_at", "payment_collections.payments.captures.amount"],
    filters: { id: lastChunk },
  })
  const wrong = (sample as any[]).filter((o) => {
    const pc = o.payment_collections?.[0]
    return input.captured
      ? !(pc && Number(pc.captured_amount) === Number(o.total) && pc.payments?.[0]?.captures?.length === 1)
      : !(pc && pc.status === "authorized" && !pc.payments?.[0]?.captured_at)
  })
  if (wrong.length || sample.length !== lastChunk.length) {
    throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `bulk orders are not as expected: ${JSON.stringify(wrong[0] ?? sample)}`)
  }
  return { count, kept, middle, ms: Date.now() - started }
}

export async function createMissedOrders(
  container: MedusaContainer,
  input: Extract<AgentInput, { mode: "missed-orders" }>
): Promise<Omit<Extract<AgentOutput, { mode: "missed-orders" }>, "mode">> {
  const log = (line: string) => process.stdout.write(`[bench agent] ${line}\n`)
  const from = new Date(Date.now() - 1_000)
  const missed = input.count === 0 ? { count: 0, kept: [], middle: from, ms: 0 } : await createOrdersInBulk(container, { store: input.store, customers: input.customers, count: input.count, captured: true, keep: false }, log)
  const to = new Date(Date.now() + 1_000)
  log(`${missed.count} missed orders created in ${missed.ms} ms`)
  // After the window: orders only authorized, for the admin's capture route.
  await new Promise((r) => setTimeout(r, 1_100))
  const authorized = input.authorized.count
    ? await createOrdersInBulk(container, { store: input.store, customers: input.authorized.customers, count: input.authorized.count, captured: false, keep: true }, log)
    : undefined
  return {
    count: missed.count,
    from: from.toISOString(),
    to: to.toISOString(),
    middle: missed.middle.toISOString(),
    ms: missed.ms,
    authorized: authorized?.kept ?? [],
  }
}
