/**
 * The agent's `scenarios`: WoowUp calls per rewarded order, for each scenario (orders placed and paid through
 * Medusa's core workflows, the ones the store and admin routes run), told apart by the customer's identity in the
 * sandbox's requests; then the SQL queries a redelivered event costs.
 */
import type { IEventBusModuleService, MedusaContainer } from "@medusajs/framework/types"
import { MedusaError, Modules, PaymentEvents } from "@medusajs/framework/utils"
import { createCustomerAccountWorkflow, refundPaymentWorkflow } from "@medusajs/medusa/core-flows"
import { WOOWUP_MODULE } from "../../src/modules/woowup"
import type WoowupModuleService from "../../src/modules/woowup/service"
import type { AgentInput, AgentOutput, BenchCustomer, CallsScenario } from "../types"
import { andWait, capture, placeOrder } from "./checkout"
import { countQueries } from "./queries-per-event"

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

/** Each scenario `repeat` times: WoowUp calls per order, by path, and the reward's status; then the queries per redelivered event. */
export async function runScenarios(
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
