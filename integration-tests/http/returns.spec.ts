import { OrderWorkflowEvents, PaymentEvents } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import {
  adminHeaders,
  capturePayment,
  placeOrder,
  refundPayment,
  seedStore,
  type AuthHeaders,
  type PlacedOrder,
  type SeededStore,
} from "../helpers"
import { claimItems, exchangeItems, fulfillItems, returnItems } from "../helpers/admin-returns"
import { afterEvent, useWoowupSandbox, waitForReward } from "../helpers/woowup"

// Two 25.00 tees and 10.00 of shipping: a 60.00 order whose 50.00 of items earn 50 points.
const woowup = useWoowupSandbox({ pointsPerCurrencyUnit: 1, reconcile: { enabled: false } })

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let admin: AuthHeaders

    beforeAll(async () => {
      store = await seedStore(getContainer(), { prices: { shipping: 10 } })
      admin = await adminHeaders(getContainer())
    })

    const customer = (email: string) => woowup.sandbox.state.customers.find((c) => c.email === email)
    const transactions = (email: string) =>
      woowup.sandbox.state.transactions.filter((t) => t.service_uid === customer(email)?.service_uid)
    const negative = (email: string) => transactions(email).filter((t) => t.points < 0).map((t) => t.points)

    const after = <T>(event: string, action: () => Promise<T>, triggerCount = 1) =>
      afterEvent(getContainer(), event, action, triggerCount)

    /** Two tees, captured, rewarded (50 points), and fulfilled so that they can come back. */
    async function shipped(email: string): Promise<PlacedOrder> {
      const order = await after(OrderWorkflowEvents.PLACED, () =>
        placeOrder(api, store, { email, items: [{ variant_id: store.variants.standard, quantity: 2 }] })
      )
      await after(PaymentEvents.CAPTURED, () => capturePayment(api, admin, order.id))
      await waitForReward(getContainer(), order.id, (r) => r.reason !== "nothing_captured")
      expect(customer(email)?.points).toBe(50)
      await fulfillItems(api, admin, order.id, {
        items: [{ id: order.items[0].id, quantity: 2 }],
        location_id: store.stockLocationId,
      })
      return order
    }

    const returnOneTee = (order: PlacedOrder) =>
      after(OrderWorkflowEvents.RETURN_RECEIVED, () =>
        returnItems(api, admin, order.id, {
          items: [{ id: order.items[0].id, quantity: 1 }],
          location_id: store.stockLocationId,
        })
      )

    const refund = (orderId: string, amount: number) =>
      after(PaymentEvents.REFUNDED, () => refundPayment(api, admin, orderId, { amount }))

    /** An admin's resync of the order (`POST /admin/woowup/resync`), until its run is done. */
    async function resync(orderId: string) {
      const { data } = await api.post("/admin/woowup/resync", { order_ids: [orderId] }, admin)
      for (let i = 0; i < 600; i++) {
        const { data: run } = await api.get(`/admin/woowup/resync/${data.resync.id}`, admin)
        if (run.resync.status === "done" || run.resync.status === "failed") {
          return run.resync
        }
        await new Promise((r) => setTimeout(r, 100))
      }
      throw new Error(`resync ${data.resync.id} did not finish`)
    }

    it("takes back exactly the returned tee's 25 points when it is received and its 25.00 refunded", async () => {
      const email = "return-refund@example.com"
      const order = await shipped(email)
      await returnOneTee(order)

      await refund(order.id, 25)
      expect(customer(email)?.points).toBe(25)
      expect(negative(email)).toEqual([-25])

      // Nothing moves on a forced look either: the order wants what WoowUp holds.
      expect(await resync(order.id)).toMatchObject({ status: "done", failed: 0 })
      expect(customer(email)?.points).toBe(25)
      expect(negative(email)).toEqual([-25])
    })

    it("leaves the points alone while a received return is not refunded: they follow the money", async () => {
      const email = "return-only@example.com"
      const order = await shipped(email)
      await returnOneTee(order)

      expect(await resync(order.id)).toMatchObject({ status: "done", failed: 0 })
      expect(customer(email)?.points).toBe(50)
      expect(negative(email)).toEqual([])
    })

    it("takes back the returned tee once the return is received, when its refund came first", async () => {
      const email = "refund-first@example.com"
      const order = await shipped(email)

      // A bare refund says how much, not which lines: 25 of 60, its share of the 50 points (20.83, 21 back).
      await refund(order.id, 25)
      expect(customer(email)?.points).toBe(29)

      // The return then says which lines the 25.00 was for. Receiving it moves no money, so nothing runs by
      // itself; the next run (here an admin's resync) brings the points to the kept tee's 25.
      await returnOneTee(order)
      expect(await resync(order.id)).toMatchObject({ status: "done", failed: 0 })
      expect(customer(email)?.points).toBe(25)
      expect(negative(email)).toEqual([-21, -4])
    })

    it("follows an exchange: the tee that came back goes, the sticker that went out counts as paid", async () => {
      const email = "exchange@example.com"
      const order = await shipped(email)
      await after(OrderWorkflowEvents.RETURN_RECEIVED, () =>
        exchangeItems(api, admin, order.id, {
          inbound: [{ id: order.items[0].id, quantity: 1 }],
          outbound: [{ variant_id: store.variants.noSku, quantity: 1 }],
          location_id: store.stockLocationId,
        })
      )
      // A 25.00 tee for a 3.50 sticker: Medusa owes the customer 21.50, and the admin refunds it.
      await refund(order.id, 21.5)
      // Kept: a tee and a sticker, 28.50 of items, paid in full: 28 points (22 back).
      expect(customer(email)?.points).toBe(28)
      expect(negative(email)).toEqual([-22])
    })

    it("follows a refund claim: the claimed tee comes back, its refund takes back its 25 points", async () => {
      const email = "claim-refund@example.com"
      const order = await shipped(email)
      await after(OrderWorkflowEvents.RETURN_RECEIVED, () =>
        claimItems(api, admin, order.id, {
          type: "refund",
          inbound: [{ id: order.items[0].id, quantity: 1 }],
          location_id: store.stockLocationId,
        })
      )
      await refund(order.id, 25)
      expect(customer(email)?.points).toBe(25)
      expect(negative(email)).toEqual([-25])
    })

    it("follows a replace claim: a tee back, a new tee out, nothing owed, the points stay", async () => {
      const email = "claim-replace@example.com"
      const order = await shipped(email)
      await after(OrderWorkflowEvents.RETURN_RECEIVED, () =>
        claimItems(api, admin, order.id, {
          type: "replace",
          inbound: [{ id: order.items[0].id, quantity: 1 }],
          outbound: [{ variant_id: store.variants.standard, quantity: 1 }],
          location_id: store.stockLocationId,
        })
      )
      expect(await resync(order.id)).toMatchObject({ status: "done", failed: 0 })
      expect(customer(email)?.points).toBe(50)
      expect(transactions(email).filter((t) => t.points !== 50)).toEqual([])
    })
  },
})
