import { OrderWorkflowEvents, PaymentEvents } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import {
  adminHeaders,
  capturePayment,
  placeOrder,
  refundPayment,
  seedStore,
  type AuthHeaders,
  type SeededStore,
} from "../helpers"
import { afterEvent, getReward, useWoowupSandbox, waitForReward } from "../helpers/woowup"

// Issue 16, item 4: an identity the order derives from its customer (here `service_uid`, the customer's id) vanishes
// when the customer is deleted after the award. What follows the award goes to the purchase's recorded owner.
const woowup = useWoowupSandbox({ pointsPerCurrencyUnit: 1, identifier: "service_uid" })

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let admin: AuthHeaders

    beforeAll(async () => {
      store = await seedStore(getContainer())
      admin = await adminHeaders(getContainer())
    })


    const after = <T>(event: string, action: () => Promise<T>, triggerCount = 1) =>
      afterEvent(getContainer(), event, action, triggerCount)

    it("takes the points back from the purchase's owner on a full refund after the customer was deleted", async () => {
      const customer = { email: "gone@example.com", password: "secret-password" }
      const order = await after(OrderWorkflowEvents.PLACED, () =>
        placeOrder(api, store, { customer, items: [{ variant_id: store.variants.standard, quantity: 2 }] })
      )
      const customerId = order.customer!.id
      await after(PaymentEvents.CAPTURED, () => capturePayment(api, admin, order.id))
      const reward = await waitForReward(getContainer(), order.id, (r) => r.status === "synced")
      expect(reward).toMatchObject({ identifier: "service_uid", identity: customerId, points: 50 })
      const owner = () => woowup.sandbox.state.customers.find((c) => c.service_uid === customerId)
      expect(owner()?.points).toBe(50)

      await api.delete(`/admin/customers/${customerId}`, admin)
      await after(PaymentEvents.REFUNDED, () => refundPayment(api, admin, order.id))

      expect(owner()?.points).toBe(0)
      const { data } = await api.get(`/admin/woowup/orders/${order.id}`, admin)
      expect(data.woowup).toMatchObject({
        reward: { status: "synced", identity: customerId },
        adjustments: [expect.objectContaining({ cause: "refund", points: -50, status: "applied", identity: customerId })],
        points: { awarded: 50, taken_back: 50, net: 0 },
        current_identity: null,
        needs_resync: false,
      })
      expect(await getReward(getContainer(), order.id)).toMatchObject({ status: "synced" })
    })
  },
})
