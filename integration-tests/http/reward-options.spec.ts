import type { IEventBusModuleService } from "@medusajs/framework/types"
import { Modules, PaymentEvents } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { TestEventUtils } from "@medusajs/test-utils"
import { adminHeaders, capturePayment, placeOrder, seedStore, type AuthHeaders, type SeededStore } from "../helpers"
import { EVENT_WAIT_MS, useWoowupSandbox, waitForReward } from "../helpers/woowup"


// A merchant whose WoowUp program identifies customers by national document, kept in the customer's metadata,
// who lets WoowUp's own rules award points and registers customers in WoowUp elsewhere.
const woowup = useWoowupSandbox({
  identifier: "document",
  identifierMetadataKey: "dni",
  createCustomers: false,
  sendPoints: false,
})

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let admin: AuthHeaders

    beforeAll(async () => {
      store = await seedStore(getContainer())
      admin = await adminHeaders(getContainer())
    })

    async function orderWithDocument(email: string, dni: string | null) {
      const order = await placeOrder(api, store, {
        customer: { email, password: "secret-123", first_name: "Juan", last_name: "Pérez" },
        items: [{ variant_id: store.variants.standard, quantity: 1 }],
      })
      if (dni) {
        await api.post(`/admin/customers/${order.customer!.id}`, { metadata: { dni } }, admin)
      }
      const bus = getContainer().resolve<IEventBusModuleService>(Modules.EVENT_BUS)
      const handled = TestEventUtils.waitSubscribersExecution(PaymentEvents.CAPTURED, bus, { timeout: EVENT_WAIT_MS })
      await capturePayment(api, admin, order.id)
      await handled
      return await waitForReward(getContainer(), order.id, (r) => r.reason !== "nothing_captured")
    }

    it("sends the purchase under the customer's document, without points, when WoowUp knows the customer", async () => {
      const { sandbox } = woowup
      const created = await fetch(`${sandbox.url}/users`, {
        method: "POST",
        headers: { authorization: `Basic ${sandbox.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ document: "30111222", first_name: "Juan" }),
      })
      expect(created.status).toBe(201)
      sandbox.requests.length = 0

      const reward = await orderWithDocument("juan@example.com", "30111222")
      expect(reward).toMatchObject({ status: "synced", identifier: "document", identity: "30111222", points: null })
      const purchase = sandbox.state.purchases[0] as any
      expect(purchase.document).toBe("30111222")
      expect(purchase).not.toHaveProperty("points")
      expect(purchase).not.toHaveProperty("email")
      expect(sandbox.requests.filter((r) => !r.path.startsWith("/branches")).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(["POST /purchases 201"])
    })

    it("skips a customer WoowUp does not know instead of creating them", async () => {
      const { sandbox } = woowup
      const reward = await orderWithDocument("nuevo@example.com", "27999888")
      expect(reward).toMatchObject({ status: "skipped", reason: "customer_not_in_woowup" })
      expect(sandbox.requests.filter((r) => !r.path.startsWith("/branches")).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(["POST /purchases 404"])
      expect(sandbox.state.customers).toHaveLength(0)
    })

    it("skips a customer without a document, saying so", async () => {
      const reward = await orderWithDocument("sindni@example.com", null)
      expect(reward).toMatchObject({ status: "skipped", reason: "no_identity" })
      expect(woowup.sandbox.requests).toHaveLength(0)
    })
  },
})
