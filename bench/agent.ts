/**
 * The bench's in-process part, run by `bench/run.ts` through `medusa exec ./bench/agent.ts` (Medusa's own container
 * and modules; `medusa exec` loads the app's subscribers too, so the plugin reacts to events on the local event
 * bus). What to do is in the JSON file named by BENCH_AGENT_IN; the answer goes to BENCH_AGENT_OUT.
 *
 * - `missed-orders`: N real orders with captured payment collections that the plugin never heard of (created through
 *   the customer, order and payment modules, which emit none of the events the plugin listens to).
 * - `scenarios`: WoowUp calls per rewarded order (orders placed and paid through Medusa's core workflows, the ones the
 *   store and admin routes run) and the SQL queries a redelivered event costs.
 * - `query`: the reconcile job's page query (`findOrdersToReconcile`) on a large table, timed, with EXPLAIN ANALYZE.
 */
import fs from "node:fs"
import type { ExecArgs, IEventBusModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules, PaymentEvents } from "@medusajs/framework/utils"
import {
  addShippingMethodToCartWorkflow,
  capturePaymentWorkflow,
  completeCartWorkflow,
  createCartWorkflow,
  createCustomerAccountWorkflow,
  createPaymentCollectionForCartWorkflow,
  createPaymentSessionsWorkflow,
  refundPaymentWorkflow,
} from "@medusajs/medusa/core-flows"
import { TestEventUtils } from "@medusajs/test-utils"
import { WOOWUP_MODULE } from "../src/modules/woowup"
import { orderIdRange } from "../src/modules/woowup/rules"
import type WoowupModuleService from "../src/modules/woowup/service"
import { rewardOrderWorkflow } from "../src/workflows/reward-order"
import { RECONCILE_SCAN } from "../src/workflows/utils/orders-to-reconcile"
import type { SeededStore } from "../integration-tests/helpers/seed-store"
import type { AgentInput, AgentOutput, BenchCustomer, CallsScenario, QueryFigures, QueryCountFigures } from "./types"
import { percentile, ulidAt } from "./util"

const SYSTEM_PROVIDER = "pp_system_default"

export default async function benchAgent({ container }: ExecArgs) {
  const tasks = JSON.parse(fs.readFileSync(process.env.BENCH_AGENT_IN!, "utf8")) as AgentInput[]
  const outputs: AgentOutput[] = []
  for (const input of tasks) {
    switch (input.mode) {
      case "missed-orders":
        outputs.push({ mode: "missed-orders", ...(await createMissedOrders(container, input)) })
        break
      case "scenarios":
        outputs.push({ mode: "scenarios", ...(await runScenarios(container, input)) })
        break
      case "query":
        outputs.push({ mode: "query", query: await measureQuery(container, input) })
        break
    }
  }
  fs.writeFileSync(process.env.BENCH_AGENT_OUT!, JSON.stringify(outputs))
}

// ---------------------------------------------------------------------------------------------------------------
// Missed orders

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
async function createOrdersInBulk(
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

async function createMissedOrders(
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

// ---------------------------------------------------------------------------------------------------------------
// Calls per order and queries per redelivered event

type SandboxRequestRow = { method: string; path: string; status: number | string; time: number; query: Record<string, string>; body?: any }

async function sandboxRequests(controlUrl: string): Promise<SandboxRequestRow[]> {
  const res = await fetch(`${controlUrl}/requests`)
  return (await res.json()) as SandboxRequestRow[]
}

/** The requests about one customer (every plugin call carries the configured identity, here the email). */
function callsOf(requests: SandboxRequestRow[], email: string, since: number): SandboxRequestRow[] {
  return requests.filter((r) => r.time >= since && (r.query?.email === email || r.body?.email === email))
}

async function createWoowupCustomer(sandboxUrl: string, apiKey: string, customer: BenchCustomer): Promise<void> {
  const res = await fetch(`${sandboxUrl}/users`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Basic ${apiKey}` },
    body: JSON.stringify({ email: customer.email, first_name: customer.first_name, last_name: customer.last_name }),
  })
  if (res.status >= 300) {
    throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `sandbox POST /users: ${res.status} ${await res.text()}`)
  }
}

/** Runs `action` and waits until the plugin's subscribers have handled the event it emits. */
async function andWait<T>(container: MedusaContainer, event: string, action: () => Promise<T>): Promise<T> {
  const bus = container.resolve<IEventBusModuleService>(Modules.EVENT_BUS)
  const handled = TestEventUtils.waitSubscribersExecution(event, bus as any, { timeout: 60_000 })
  const result = await action()
  await handled
  return result
}

/**
 * An order placed as the store API places it (cart, line item, addresses, shipping method, payment collection,
 * session with `pp_system_default`, complete): authorized, not captured. `order.placed` reaches the plugin.
 */
async function placeOrder(container: MedusaContainer, store: SeededStore, customer: BenchCustomer & { id?: string }, quantity = 2) {
  const address = {
    first_name: customer.first_name,
    last_name: customer.last_name,
    address_1: "Av. Providencia 1234",
    city: "Santiago",
    postal_code: "7500000",
    country_code: store.countryCode,
    phone: customer.phone,
  }
  const { result: cart } = await createCartWorkflow(container).run({
    input: {
      region_id: store.regionId,
      sales_channel_id: store.salesChannelId,
      email: customer.email,
      ...(customer.id ? { customer_id: customer.id } : {}),
      shipping_address: address,
      billing_address: address,
      items: [{ variant_id: store.variants.standard, quantity }],
    },
  })
  await addShippingMethodToCartWorkflow(container).run({ input: { cart_id: cart.id, options: [{ id: store.shippingOptionId }] } })
  const { result: collection } = await createPaymentCollectionForCartWorkflow(container).run({ input: { cart_id: cart.id } })
  await createPaymentSessionsWorkflow(container).run({
    input: { payment_collection_id: (collection as any).id, provider_id: SYSTEM_PROVIDER },
  })
  const { result } = await andWait(container, "order.placed", () => completeCartWorkflow(container).run({ input: { id: cart.id } }))
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const {
    data: [order],
  } = await query.graph({
    entity: "order",
    fields: ["id", "total", "payment_collections.payments.id", "payment_collections.payments.amount"],
    filters: { id: result.id },
  })
  const payment = (order as any).payment_collections[0].payments[0]
  return { orderId: result.id as string, paymentId: payment.id as string, amount: Number(payment.amount) }
}

function capture(container: MedusaContainer, paymentId: string, amount?: number) {
  return andWait(container, PaymentEvents.CAPTURED, () =>
    capturePaymentWorkflow(container).run({ input: { payment_id: paymentId, ...(amount != null ? { amount } : {}) } })
  )
}

async function runScenarios(
  container: MedusaContainer,
  input: Extract<AgentInput, { mode: "scenarios" }>
): Promise<Omit<Extract<AgentOutput, { mode: "scenarios" }>, "mode">> {
  const { store, sandbox } = input
  const bus = container.resolve<IEventBusModuleService>(Modules.EVENT_BUS)
  let n = 0
  const customer = (kind: string): BenchCustomer => {
    n++
    return {
      email: `bench.${kind}.${n}.${Date.now()}@example.com`,
      first_name: "Bench",
      last_name: `Customer ${n}`,
      phone: `+5699${String(Date.now() % 100000).padStart(5, "0")}${String(n).padStart(3, "0")}`,
    }
  }

  const signupCalls = new Map<string, number>()
  // Each scenario: a customer of its own, so its WoowUp calls are told apart by identity.
  const scenarios: Array<{ name: CallsScenario; run: () => Promise<{ email: string; orderId: string; since: number }> }> = [
    {
      name: "returning_customer",
      run: async () => {
        const c = customer("returning")
        await createWoowupCustomer(sandbox.url, sandbox.apiKey, c)
        const since = Date.now()
        const o = await placeOrder(container, store, c)
        await capture(container, o.paymentId)
        return { email: c.email, orderId: o.orderId, since }
      },
    },
    {
      name: "new_customer",
      run: async () => {
        const c = customer("new")
        const since = Date.now()
        const o = await placeOrder(container, store, c)
        await capture(container, o.paymentId)
        return { email: c.email, orderId: o.orderId, since }
      },
    },
    {
      // Signs up as the store API signs up (an emailpass identity, then the customer account): `customer.created`
      // syncs them to WoowUp (`syncCustomers`, on by default); the calls at sign-up are counted apart.
      name: "customer_synced_at_signup",
      run: async () => {
        const c = customer("signup")
        const signupSince = Date.now()
        const auth = container.resolve(Modules.AUTH)
        const { authIdentity } = await auth.register("emailpass", {
          url: "",
          headers: {},
          query: {},
          protocol: "http",
          body: { email: c.email, password: "bench-password" },
        })
        const { result: account } = await andWait(container, "customer.created", () =>
          createCustomerAccountWorkflow(container).run({
            input: {
              authIdentityId: authIdentity!.id,
              customerData: { email: c.email, first_name: c.first_name, last_name: c.last_name, phone: c.phone },
            },
          })
        )
        const since = Date.now()
        signupCalls.set(c.email, callsOf(await sandboxRequests(sandbox.controlUrl), c.email, signupSince).length)
        const o = await placeOrder(container, store, { ...c, id: account.id })
        await capture(container, o.paymentId)
        return { email: c.email, orderId: o.orderId, since }
      },
    },
    {
      name: "same_event_three_times",
      run: async () => {
        const c = customer("redelivered")
        await createWoowupCustomer(sandbox.url, sandbox.apiKey, c)
        const since = Date.now()
        const o = await placeOrder(container, store, c)
        await capture(container, o.paymentId)
        for (let i = 0; i < 2; i++) {
          await andWait(container, PaymentEvents.CAPTURED, () => bus.emit({ name: PaymentEvents.CAPTURED, data: { id: o.paymentId } }))
        }
        return { email: c.email, orderId: o.orderId, since }
      },
    },
    {
      name: "partial_capture_then_rest",
      run: async () => {
        const c = customer("partial")
        await createWoowupCustomer(sandbox.url, sandbox.apiKey, c)
        const since = Date.now()
        const o = await placeOrder(container, store, c)
        const half = Math.round((o.amount / 2) * 100) / 100
        await capture(container, o.paymentId, half)
        await capture(container, o.paymentId, Math.round((o.amount - half) * 100) / 100)
        return { email: c.email, orderId: o.orderId, since }
      },
    },
    {
      name: "refund",
      run: async () => {
        const c = customer("refund")
        await createWoowupCustomer(sandbox.url, sandbox.apiKey, c)
        const since = Date.now()
        const o = await placeOrder(container, store, c)
        await capture(container, o.paymentId)
        await andWait(container, PaymentEvents.REFUNDED, () =>
          refundPaymentWorkflow(container).run({ input: { payment_id: o.paymentId, amount: Math.round((o.amount / 2) * 100) / 100 } })
        )
        return { email: c.email, orderId: o.orderId, since }
      },
    },
  ]

  const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
  const calls: Extract<AgentOutput, { mode: "scenarios" }>["calls"] = []
  let syncedOrder: { orderId: string; paymentId: string } | undefined
  for (const scenario of scenarios) {
    const perOrder: number[] = []
    let byPath: Record<string, number> = {}
    let status = ""
    for (let i = 0; i < input.repeat; i++) {
      // `since` is after the bench itself put a returning customer in WoowUp: what follows is the plugin's.
      const { email, orderId, since } = await scenario.run()
      const seen = callsOf(await sandboxRequests(sandbox.controlUrl), email, since)
      perOrder.push(seen.length)
      byPath = {}
      for (const r of seen) {
        byPath[`${r.method} ${r.path} ${r.status}`] = (byPath[`${r.method} ${r.path} ${r.status}`] ?? 0) + 1
      }
      const state = await woowup.getOrderSyncState(orderId)
      status = `${state?.reward?.status ?? "none"}${state?.converged ? ", converged" : ", NOT converged"}`
      if (scenario.name === "returning_customer" && state?.converged) {
        syncedOrder = { orderId, paymentId: "" }
      }
    }
    calls.push({
      scenario: scenario.name,
      orders: perOrder.length,
      calls: perOrder,
      per_order: perOrder.reduce((a, b) => a + b, 0) / perOrder.length,
      by_path: byPath,
      final_status: status,
      ...(signupCalls.size ? { signup_calls: Math.max(...signupCalls.values()) } : {}),
    })
    signupCalls.clear()
  }

  // Queries per redelivered event: an order already synced and fully captured.
  const queries = await countQueries(container, syncedOrder?.orderId)
  return { calls, queries }
}

/** SQL statements issued on the app's shared connection while `work` runs (modules reuse that knex). */
async function countStatements(container: MedusaContainer, work: () => Promise<unknown>): Promise<{ count: number; statements: string[] }> {
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
  const statements: string[] = []
  const listener = (q: { sql: string }) => statements.push(q.sql.replace(/\s+/g, " ").slice(0, 160))
  knex.on("query", listener)
  try {
    await work()
  } finally {
    knex.removeListener("query", listener)
  }
  return { count: statements.length, statements }
}

async function countQueries(container: MedusaContainer, orderId: string | undefined): Promise<QueryCountFigures> {
  if (!orderId) {
    throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "no synced order to redeliver an event for")
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const {
    data: [order],
  } = await query.graph({ entity: "order", fields: ["id", "payment_collections.payments.id"], filters: { id: orderId } })
  const paymentId = (order as any).payment_collections[0].payments[0].id as string
  const bus = container.resolve<IEventBusModuleService>(Modules.EVENT_BUS)

  // Warm: the first run of a workflow in a process prepares it.
  await rewardOrderWorkflow(container).run({ input: { order_id: orderId, trigger: "payment_captured" } })
  const workflow = await countStatements(container, () =>
    rewardOrderWorkflow(container).run({ input: { order_id: orderId, trigger: "payment_captured" } })
  )
  const event = await countStatements(container, () =>
    andWait(container, PaymentEvents.CAPTURED, () => bus.emit({ name: PaymentEvents.CAPTURED, data: { id: paymentId } }))
  )
  return { order_id: orderId, workflow: workflow.count, workflow_statements: workflow.statements, event: event.count, event_statements: event.statements }
}

// ---------------------------------------------------------------------------------------------------------------
// The reconcile job's query on a large table

/**
 * `orders` orders spread evenly over [from, to), each with a captured payment collection and, for most of them, a
 * reward record that matches it, inserted with SQL (the modules would take minutes for 100,000). The mix, per 100
 * orders: 94 synced and matching, 2 without a record (missed), 1 failed and due, 1 failed and not due yet, 1 synced
 * but refunded since, 1 skipped as not captured and captured since. Then ANALYZE, as autovacuum would.
 */
async function insertOrders(knex: any, input: Extract<AgentInput, { mode: "query" }>): Promise<void> {
  const from = new Date(input.from).getTime()
  const span = new Date(input.to).getTime() - from
  const CHUNK = 10_000
  const raw = (v: number) => JSON.stringify({ value: String(v), precision: 20 })
  for (let start = 0; start < input.orders; start += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, input.orders - start) }, (_, j) => {
      const i = start + j
      const ms = from + Math.floor((span * i) / input.orders)
      return { i, ms, ulid: ulidAt(ms) }
    })
    const list = (values: Array<string | number>) => `{${values.join(",")}}`
    const ids = list(rows.map((r) => r.ulid))
    const mss = list(rows.map((r) => r.ms))
    const kinds = list(rows.map((r) => r.i % 100))
    await knex.raw(
      `WITH src AS (SELECT u.ulid, u.ms, u.kind FROM unnest(?::text[], ?::bigint[], ?::int[]) AS u(ulid, ms, kind)),
       o AS (
         INSERT INTO "order" (id, region_id, currency_code, email, status, is_draft_order, version, created_at, updated_at)
         SELECT 'order_' || ulid, ?, 'usd', 'bench.' || kind || '@example.com', 'pending', false, 1,
                to_timestamp(ms / 1000.0), to_timestamp(ms / 1000.0)
         FROM src RETURNING id),
       pc AS (
         INSERT INTO payment_collection (id, currency_code, amount, raw_amount, captured_amount, raw_captured_amount,
                                         refunded_amount, raw_refunded_amount, status, created_at, updated_at)
         SELECT 'pay_col_' || ulid, 'usd', 100, ?::jsonb, 100, ?::jsonb,
                CASE WHEN kind = 98 THEN 50 ELSE 0 END, CASE WHEN kind = 98 THEN ?::jsonb ELSE ?::jsonb END,
                'completed', to_timestamp(ms / 1000.0), to_timestamp(ms / 1000.0)
         FROM src RETURNING id),
       opc AS (
         INSERT INTO order_payment_collection (id, order_id, payment_collection_id)
         SELECT 'ordpaycol_' || ulid, 'order_' || ulid, 'pay_col_' || ulid FROM src RETURNING id)
       INSERT INTO woowup_reward (id, order_id, status, reason, retryable, trigger, invoice_number, identifier, identity,
                                  points, amount, currency_code, attempts, last_attempt_at, synced_at, next_attempt_at,
                                  captured_amount, refunded_amount, canceled, created_at, updated_at)
       SELECT 'wurew_' || ulid, 'order_' || ulid,
              CASE WHEN kind IN (96, 97) THEN 'failed' WHEN kind = 99 THEN 'skipped' ELSE 'synced' END,
              CASE WHEN kind IN (96, 97) THEN 'WoowUp answered 503' WHEN kind = 99 THEN 'nothing_captured' END,
              kind IN (96, 97), 'payment_captured', 'order_' || ulid, 'email', 'bench.' || kind || '@example.com',
              CASE WHEN kind IN (96, 97, 99) THEN NULL ELSE 100 END, 100, 'usd', 1, to_timestamp(ms / 1000.0),
              CASE WHEN kind IN (96, 97, 99) THEN NULL ELSE to_timestamp(ms / 1000.0) END,
              CASE WHEN kind = 96 THEN now() - interval '1 minute' WHEN kind = 97 THEN now() + interval '1 hour' END,
              CASE WHEN kind = 99 THEN 0 ELSE 100 END, 0, false, to_timestamp(ms / 1000.0), to_timestamp(ms / 1000.0)
       FROM src WHERE kind NOT IN (94, 95)`,
      [ids, mss, kinds, input.region_id, raw(100), raw(100), raw(50), raw(0)]
    )
  }
  await knex.raw(`ANALYZE "order", payment_collection, order_payment_collection, woowup_reward`)
}

async function measureQuery(container: MedusaContainer, input: Extract<AgentInput, { mode: "query" }>): Promise<QueryFigures> {
  const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
  const inserted = Date.now()
  await insertOrders(knex, input)
  process.stdout.write(`[bench agent] ${input.orders} orders, payment collections and rewards inserted in ${Date.now() - inserted} ms\n`)
  const { from_id, to_id } = orderIdRange(new Date(input.from), new Date(input.to))

  // The statement exactly as the service sends it, for EXPLAIN.
  let captured: { sql: string; bindings: unknown[] } | undefined
  const listener = (q: { sql: string; bindings?: unknown[] }) => {
    if (/WITH page AS/.test(q.sql)) {
      captured = { sql: q.sql, bindings: q.bindings ?? [] }
    }
  }
  const pageInput = (after: string) => ({ after_id: after, to_id, scan: RECONCILE_SCAN, ignore_spacing: false })

  // One warm-up page (plans and caches), then the whole window, page by page, as the job walks it.
  knex.on("query", listener)
  await woowup.findOrdersToReconcile(pageInput(from_id))
  knex.removeListener("query", listener)

  const pageMs: number[] = []
  let found = 0
  let after = from_id
  let pages = 0
  const walkStarted = performance.now()
  for (;;) {
    const t = performance.now()
    const page = await woowup.findOrdersToReconcile(pageInput(after))
    pageMs.push(performance.now() - t)
    pages++
    found += page.order_ids.length
    if (!page.cursor) {
      break
    }
    after = page.cursor
  }
  const walkMs = performance.now() - walkStarted

  // EXPLAIN ANALYZE of a page in the middle of the window.
  const middle = await knex.raw(`SELECT id FROM "order" WHERE id > ? AND id < ? ORDER BY id OFFSET ? LIMIT 1`, [from_id, to_id, Math.floor(input.orders / 2)])
  const middleId = middle.rows[0]?.id ?? from_id
  // MikroORM sends the values inlined: the page starts after the middle order instead of the window's start.
  const sql = captured!.sql.replace(/o\.id > '[^']*'/, `o.id > '${middleId}'`)
  const explain = captured!.bindings.length
    ? await knex.raw(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, captured!.bindings)
    : await knex.raw(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`)
  const plan = explain.rows.map((r: Record<string, string>) => r["QUERY PLAN"]) as string[]
  const indexes = [...new Set(plan.flatMap((line) => [...line.matchAll(/using (\S+) on (\S+)/gi)].map((m) => `${m[1]} on ${m[2]}`)))]
  const execution = plan.find((l) => /Execution Time/.test(l))

  return {
    orders: input.orders,
    pages,
    found,
    scan: RECONCILE_SCAN,
    page_ms: { p50: percentile(pageMs, 50), p95: percentile(pageMs, 95), max: Math.max(...pageMs) },
    walk_ms: walkMs,
    explain_execution_ms: execution ? Number(/([\d.]+) ms/.exec(execution)?.[1]) : null,
    indexes,
    plan,
  }
}

