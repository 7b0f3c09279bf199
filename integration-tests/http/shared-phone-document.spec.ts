/**
 * Issue 7 with `identifier: "document"` (documents in customer metadata): customers sharing a phone are each
 * rewarded once, on their own WoowUp customer. A file of its own: the app reads the plugin's options once per boot.
 */
import type { IEventBusModuleService } from "@medusajs/framework/types"
import { Modules, OrderWorkflowEvents, PaymentEvents } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import { adminHeaders, capturePayment, placeOrder, seedStore, type AuthHeaders, type SeededStore } from "../helpers"
import { EVENT_WAIT_MS, useWoowupSandbox, waitForReward } from "../helpers/woowup"

const woowup = useWoowupSandbox({ identifier: "document", identifierMetadataKey: "dni" })

const PHONE = "+5491144440000"

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let admin: AuthHeaders

    beforeAll(async () => {
      store = await seedStore(getContainer())
      admin = await adminHeaders(getContainer())
    })

    const bus = () => getContainer().resolve<IEventBusModuleService>(Modules.EVENT_BUS)

    async function rewarded(name: string, dni: string) {
      const customer = { email: `${name}@example.com`, password: "secret-123", first_name: name, last_name: "Gómez", phone: PHONE }
      const placedHandled = TestEventUtils.waitSubscribersExecution(OrderWorkflowEvents.PLACED, bus(), { timeout: EVENT_WAIT_MS })
      const order = await placeOrder(api, store, { customer, items: [{ variant_id: store.variants.standard, quantity: 1 }] })
      await placedHandled
      await api.post(`/admin/customers/${order.customer!.id}`, { metadata: { dni } }, admin)
      const captureHandled = TestEventUtils.waitSubscribersExecution(PaymentEvents.CAPTURED, bus(), { timeout: EVENT_WAIT_MS })
      await capturePayment(api, admin, order.id)
      await captureHandled
      const reward = await waitForReward(getContainer(), order.id, (r) => r.reason !== "nothing_captured")
      return { order, reward }
    }

    it("rewards three customers with one phone and their own documents, each once, on their own WoowUp customer", async () => {
      const { sandbox } = woowup
      const people = [
        ["ana", "30111222"],
        ["bruno", "30111333"],
        ["carla", "30111444"],
      ] as const
      const results = []
      for (const [i, [name, dni]] of people.entries()) {
        sandbox.requests.length = 0
        const result = await rewarded(name, dni)
        expect(result.reward).toMatchObject({ status: "synced", identifier: "document", identity: dni, customer_created: true })
        expect(result.reward.points).toBeGreaterThan(0)
        expect(sandbox.requests.filter((r) => !r.path.startsWith("/branches")).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(
          i === 0
            ? ["POST /purchases 404", "POST /users 201", "POST /purchases 201"]
            : ["POST /purchases 404", "POST /users 500", "POST /users 201", "POST /purchases 201"]
        )
        const users = sandbox.requests.filter((r) => r.path === "/users").map((r) => r.body as Record<string, unknown>)
        expect(users[0]).toMatchObject({ document: dni, telephone: PHONE, first_name: name })
        expect(users[0]).not.toHaveProperty("email")
        if (i > 0) {
          const { telephone: _t, ...rest } = users[0]
          expect(users[1]).toEqual(rest)
        }
        for (const r of sandbox.requests.filter((r) => r.path === "/purchases")) {
          expect(r.body).toMatchObject({ document: dni })
          expect(r.body).not.toHaveProperty("telephone")
          expect(r.body).not.toHaveProperty("email")
        }
        results.push({ ...result, dni })
      }

      expect(sandbox.state.customers).toHaveLength(3)
      expect(sandbox.state.purchases).toHaveLength(3)
      for (const { order, reward, dni } of results) {
        const customer = sandbox.state.customers.find((c) => c.document === dni)!
        expect(sandbox.state.purchases.filter((p) => p.service_uid === customer.service_uid).map((p) => p.invoice_number)).toEqual([order.id])
        expect(customer.points).toBe(reward.points)
      }
      expect(sandbox.state.customers.map((c) => c.telephone ?? null)).toEqual([PHONE, null, null])
    })
  },
})
