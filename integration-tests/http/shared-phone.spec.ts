/**
 * Issue 7: customers who share a phone (a household, a business, a placeholder number at checkout). WoowUp matches
 * customers on any identifier, so a phone already in WoowUp makes `POST /users` fail for every later customer who
 * gives it. Each must still be rewarded once, on their own WoowUp customer, and never on the phone's owner.
 * Real app, real orders captured through the admin API, the WoowUp sandbox over HTTP.
 * (The same with `identifier: "document"`: shared-phone-document.spec.ts; it needs the app booted with other options.)
 */
import type { IEventBusModuleService } from "@medusajs/framework/types"
import { Modules, OrderWorkflowEvents, PaymentEvents } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import { adminHeaders, capturePayment, placeOrder, seedStore, type AuthHeaders, type CustomerInput, type SeededStore } from "../helpers"
import { EVENT_WAIT_MS, useWoowupSandbox, waitForReward } from "../helpers/woowup"

const woowup = useWoowupSandbox()

const PHONE = "+5491144440000"
const person = (name: string): CustomerInput => ({
  email: `${name.toLowerCase()}@example.com`,
  password: "secret-123",
  first_name: name,
  last_name: "Gómez",
  phone: PHONE,
})

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let admin: AuthHeaders

    beforeAll(async () => {
      store = await seedStore(getContainer())
      admin = await adminHeaders(getContainer())
    })

    const bus = () => getContainer().resolve<IEventBusModuleService>(Modules.EVENT_BUS)

    /** Places the customer's order (the shipping address carries the same phone), captures it, waits for the reward. */
    async function rewarded(customer: CustomerInput) {
      const placedHandled = TestEventUtils.waitSubscribersExecution(OrderWorkflowEvents.PLACED, bus(), { timeout: EVENT_WAIT_MS })
      const order = await placeOrder(api, store, { customer, items: [{ variant_id: store.variants.standard, quantity: 1 }] })
      await placedHandled
      const captureHandled = TestEventUtils.waitSubscribersExecution(PaymentEvents.CAPTURED, bus(), { timeout: EVENT_WAIT_MS })
      await capturePayment(api, admin, order.id)
      await captureHandled
      const reward = await waitForReward(getContainer(), order.id, (r) => r.reason !== "nothing_captured")
      return { order, reward }
    }

    const calls = () => woowup.sandbox.requests.filter((r) => !r.path.startsWith("/branches")).map((r) => `${r.method} ${r.path} ${r.status}`)
    const byEmail = (email: string) => woowup.sandbox.state.customers.find((c) => c.email === email)

    it("rewards three customers with one phone, each once, on their own WoowUp customer", async () => {
      const { sandbox } = woowup
      const people = [person("Ana"), person("Bruno"), person("Carla")]
      const results = []
      for (const [i, p] of people.entries()) {
        sandbox.requests.length = 0
        const result = await rewarded(p)
        expect(result.reward).toMatchObject({ status: "synced", identifier: "email", identity: p.email, customer_created: true })
        expect(result.reward.points).toBeGreaterThan(0)
        // The first one takes the phone; each later one conflicts on it once and is created without it.
        expect(calls()).toEqual(
          i === 0
            ? ["POST /purchases 404", "POST /users 201", "POST /purchases 201"]
            : ["POST /purchases 404", "POST /users 500", "POST /users 201", "POST /purchases 201"]
        )
        const users = sandbox.requests.filter((r) => r.path === "/users").map((r) => r.body as Record<string, unknown>)
        expect(users[0]).toMatchObject({ email: p.email, telephone: PHONE, first_name: p.first_name })
        if (i > 0) {
          // Names and address kept; only the conflicting identifier left out.
          const { telephone: _t, ...rest } = users[0]
          expect(rest).toMatchObject({ first_name: p.first_name, last_name: "Gómez", city: "Santiago", country: "USA" })
          expect(users[1]).toEqual(rest)
        }
        // Purchases carry only the configured identity: nothing that could match the phone's owner.
        const sent = sandbox.requests.filter((r) => r.path === "/purchases").map((r) => r.body as Record<string, unknown>)
        for (const body of sent) {
          expect(body.email).toBe(p.email)
          expect(body).not.toHaveProperty("telephone")
        }
        results.push(result)
      }

      expect(sandbox.state.customers).toHaveLength(3)
      expect(sandbox.state.purchases).toHaveLength(3)
      for (const { order, reward } of results) {
        const customer = byEmail(order.email)!
        const purchases = sandbox.state.purchases.filter((p) => p.service_uid === customer.service_uid)
        expect(purchases.map((p) => p.invoice_number)).toEqual([order.id])
        expect(customer.points).toBe(reward.points)
        expect(customer.last_name).toBe("Gómez")
      }
      expect(byEmail("ana@example.com")!.telephone).toBe(PHONE)
      expect(byEmail("bruno@example.com")).not.toHaveProperty("telephone")
      expect(byEmail("carla@example.com")).not.toHaveProperty("telephone")
    })

    it("keeps a customer already in WoowUp (another email, same phone) apart from the new customer", async () => {
      const { sandbox } = woowup
      const post = (path: string, body: unknown) =>
        fetch(`${sandbox.url}${path}`, {
          method: "POST",
          headers: { authorization: `Basic ${sandbox.apiKey}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        })
      expect((await post("/users", { email: "dora@example.com", telephone: PHONE, first_name: "Dora" })).status).toBe(201)
      expect((await post("/multiusers/points", { email: "dora@example.com", points: 40, concept: "gift" })).status).toBe(200)
      const dora = byEmail("dora@example.com")!

      sandbox.requests.length = 0
      const eva = await rewarded(person("Eva"))
      expect(eva.reward).toMatchObject({ status: "synced", identity: "eva@example.com", customer_created: true })
      expect(calls()).toEqual(["POST /purchases 404", "POST /users 500", "POST /users 201", "POST /purchases 201"])

      // Eva's purchase and points are on Eva; Dora has exactly what she had.
      const evaInWoowup = byEmail("eva@example.com")!
      expect(evaInWoowup.service_uid).not.toBe(dora.service_uid)
      expect(evaInWoowup.points).toBe(eva.reward.points)
      expect(sandbox.state.purchases.map((p) => [p.invoice_number, p.service_uid])).toEqual([[eva.order.id, evaInWoowup.service_uid]])
      expect(dora.points).toBe(40)
      expect(sandbox.state.transactions.filter((t) => t.service_uid === dora.service_uid).map((t) => t.points)).toEqual([40])

      // Dora, shopping in Medusa as herself, keeps her purchases on her own account: a returning customer, one call.
      sandbox.requests.length = 0
      const own = await rewarded({ ...person("Dora"), email: "dora@example.com" })
      expect(own.reward).toMatchObject({ status: "synced", identity: "dora@example.com" })
      expect(own.reward.customer_created).toBeFalsy()
      expect(calls()).toEqual(["POST /purchases 201"])
      expect(dora.points).toBe(40 + own.reward.points!)
      expect(evaInWoowup.points).toBe(eva.reward.points)
      expect(sandbox.state.purchases.filter((p) => p.service_uid === dora.service_uid).map((p) => p.invoice_number)).toEqual([own.order.id])
    })
  },
})
