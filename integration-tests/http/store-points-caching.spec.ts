/**
 * The storefront's points cache on Medusa's Caching Module (`@medusajs/medusa/caching`, the 2.11+ replacement of
 * the deprecated Cache Module): when the store registers it, the plugin keeps its entries there (what every process
 * shares once its provider is Redis), and an award or refund marks them old there. Real app, real orders, the
 * WoowUp sandbox over HTTP.
 */
import type { ICacheService, ICachingModuleService, IEventBusModuleService } from "@medusajs/framework/types"
import { Modules, OrderWorkflowEvents, PaymentEvents } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import {
  adminHeaders,
  capturePayment,
  placeOrder,
  refundPayment,
  seedStore,
  storeHeaders,
  verifyWoowupIdentity,
  type AuthHeaders,
  type SeededStore,
} from "../helpers"
import { EVENT_WAIT_MS, useWoowupSandbox, waitForReward } from "../helpers/woowup"

// Read by medusa-config.ts when the runner boots the app below.
process.env.WOOWUP_CACHING_MODULE = "true"
afterAll(() => {
  delete process.env.WOOWUP_CACHING_MODULE
})

const woowup = useWoowupSandbox({ storeCacheSeconds: 60 })

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let admin: AuthHeaders

    beforeAll(async () => {
      store = await seedStore(getContainer())
      admin = await adminHeaders(getContainer())
    })

    it("keeps the points in the Caching Module, not the Cache Module, and a refund's change shows at once", async () => {
      const container = getContainer()
      const caching = container.resolve<ICachingModuleService>(Modules.CACHING)
      const legacy = container.resolve<ICacheService>(Modules.CACHE)
      const cachingSets = jest.spyOn(caching, "set")
      const legacySets = jest.spyOn(legacy, "set")
      const bus = container.resolve<IEventBusModuleService>(Modules.EVENT_BUS)

      const placed = TestEventUtils.waitSubscribersExecution(OrderWorkflowEvents.PLACED, bus, { timeout: EVENT_WAIT_MS })
      const order = await placeOrder(api, store, {
        customer: { email: "caching@example.com", password: "secret-123", first_name: "Ana", last_name: "Cache" },
        items: [{ variant_id: store.variants.standard, quantity: 2 }],
      })
      await placed
      const captured = TestEventUtils.waitSubscribersExecution(PaymentEvents.CAPTURED, bus, { timeout: EVENT_WAIT_MS })
      await capturePayment(api, admin, order.id)
      await captured
      const reward = await waitForReward(container, order.id, (r) => r.status === "synced")
      expect(reward!.points).toBeGreaterThan(0)
      await verifyWoowupIdentity(api, admin, order.customer!.id)

      const read = async () => (await api.get("/store/customers/me/woowup", storeHeaders(store, order.customer!.token))).data.woowup
      expect(await read()).toMatchObject({ verified: true, points: reward!.points })

      const pluginKeys = (spy: jest.SpyInstance) =>
        spy.mock.calls.map((c) => (typeof c[0] === "string" ? c[0] : c[0]?.key)).filter((k) => String(k).startsWith("woowup:"))
      // The balance went to the Caching Module, wrapped (it stores objects only) and without tags.
      expect(pluginKeys(cachingSets).length).toBeGreaterThan(0)
      const balance = cachingSets.mock.calls.find((c) => /^woowup:/.test(c[0].key) && !c[0].key.includes(":changed:"))
      expect(balance?.[0]).toMatchObject({
        data: { value: { fetched_at: expect.any(Number), snapshot: expect.objectContaining({ points: reward!.points }) } },
        tags: [],
      })
      expect(pluginKeys(legacySets)).toEqual([])
      const changes = () => pluginKeys(cachingSets).filter((k) => String(k).includes(":changed:")).length
      const changesBefore = changes()

      const refunded = TestEventUtils.waitSubscribersExecution(PaymentEvents.REFUNDED, bus, { timeout: EVENT_WAIT_MS })
      await refundPayment(api, admin, order.id)
      await refunded
      // Well within storeCacheSeconds: the refund marked the entry old in the Caching Module.
      expect(await read()).toMatchObject({ verified: true, points: 0 })
      expect(changes()).toBeGreaterThan(changesBefore)
      expect(pluginKeys(legacySets)).toEqual([])
      expect(woowup.sandbox.state.purchases.filter((p) => p.invoice_number === order.id)).toHaveLength(1)
    })
  },
})
