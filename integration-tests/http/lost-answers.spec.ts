import type { IEventBusModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, OrderWorkflowEvents, PaymentEvents } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { WOOWUP_MODULE } from "../../src/modules/woowup"
import type WoowupModuleService from "../../src/modules/woowup/service"
import {
  adminHeaders,
  capturePayment,
  getOrderPayment,
  placeOrder,
  seedStore,
  type AuthHeaders,
  type SeededStore,
} from "../helpers"
import { afterEvent, useWoowupSandbox, waitForReward } from "../helpers/woowup"

// Answers lost on the way back, searches that fail, and events that change nothing (issue 13).
const woowup = useWoowupSandbox({ pointsPerCurrencyUnit: 1 })

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let admin: AuthHeaders

    beforeAll(async () => {
      store = await seedStore(getContainer())
      admin = await adminHeaders(getContainer())
    })

    const bus = () => getContainer().resolve<IEventBusModuleService>(Modules.EVENT_BUS)
    const service = () => getContainer().resolve<WoowupModuleService>(WOOWUP_MODULE)
    const customer = (email: string) => woowup.sandbox.state.customers.find((c) => c.email === email)!
    const pointsPosts = (email: string) =>
      woowup.sandbox.requests.filter((r) => r.method === "POST" && r.path === "/multiusers/points" && (r.body as any)?.email === email)

    const after = <T>(event: string, action: () => Promise<T>, triggerCount = 1) =>
      afterEvent(getContainer(), event, action, triggerCount)

    async function placed(email: string, quantity = 2) {
      return await after(OrderWorkflowEvents.PLACED, () =>
        placeOrder(api, store, { email, items: [{ variant_id: store.variants.standard, quantity }] })
      )
    }

    const captured = (orderId: string, amount?: number) =>
      after(PaymentEvents.CAPTURED, () => capturePayment(api, admin, orderId, amount != null ? { amount } : {}))

    async function redeliver(orderId: string) {
      const payment = await getOrderPayment(api, admin, orderId)
      await after(PaymentEvents.CAPTURED, () => bus().emit([{ name: PaymentEvents.CAPTURED, data: { id: payment.id } }]))
    }

    /** A half capture rewarded, then the rest captured while WoowUp stores the top-up and its answer is lost. */
    async function topUpWithLostAnswer(email: string) {
      const order = await placed(email)
      await captured(order.id, 27.5)
      await waitForReward(getContainer(), order.id, (r) => r.status === "synced")
      woowup.sandbox.setFaults({ script: [{ method: "POST", path: "/multiusers/points", fault: "drop-after-store" }] })
      await captured(order.id)
      const [adjustment] = await service().listWoowupPointsAdjustments({ order_id: order.id })
      expect(adjustment).toMatchObject({ status: "pending", points: 25 })
      expect(customer(email).points).toBe(50)
      const due = () => service().updateWoowupPointsAdjustments({ id: adjustment.id, next_attempt_at: new Date(Date.now() - 1_000) })
      return { order, adjustment, due }
    }

    it("never sends a top-up again when the search for it fails: it stays unknown, then is found", async () => {
      const email = "search-fails@example.com"
      const { order, adjustment, due } = await topUpWithLostAnswer(email)

      // The search answers a 400, then garbage past every retry, then a transaction with `points: null`.
      for (const fault of [400, "garbage"] as const) {
        woowup.sandbox.setFaults({ script: [{ method: "GET", path: "/multiusers/transactions", fault, times: 10 }] })
        await due()
        await redeliver(order.id)
        expect(await service().retrieveWoowupPointsAdjustment(adjustment.id)).toMatchObject({ status: "pending", error_code: "outcome_unknown" })
      }
      woowup.sandbox.setFaults({})
      woowup.sandbox.state.transactions.push({ id: "x", service_uid: customer(email).service_uid, points: null as any, concept: "gift", createtime: "2099-01-01 00:00:00" })
      await due()
      await redeliver(order.id)
      expect(await service().retrieveWoowupPointsAdjustment(adjustment.id)).toMatchObject({ status: "pending" })

      woowup.sandbox.state.transactions.pop()
      await due()
      await redeliver(order.id)
      expect(await service().retrieveWoowupPointsAdjustment(adjustment.id)).toMatchObject({ status: "applied" })
      expect(pointsPosts(email)).toHaveLength(1)
      expect(customer(email).points).toBe(50)
    })

    it("finds a lost top-up behind more than a thousand newer transactions, searching by time", async () => {
      const email = "busy-customer@example.com"
      const { order, adjustment, due } = await topUpWithLostAnswer(email)
      const uid = customer(email).service_uid
      const later = new Date(Date.now() + 60_000).toISOString().slice(0, 19).replace("T", " ")
      for (let i = 0; i < 1_100; i++) {
        woowup.sandbox.state.transactions.push({ id: `n${i}`, service_uid: uid, points: 1, concept: "gift", createtime: later })
      }
      await due()
      await redeliver(order.id)
      expect(await service().retrieveWoowupPointsAdjustment(adjustment.id)).toMatchObject({ status: "applied" })
      expect(pointsPosts(email)).toHaveLength(1)
    })

    it("finds a lost top-up when WoowUp reads a time without an offset as its local time (UTC-3)", async () => {
      const email = "argentina@example.com"
      const { order, adjustment, due } = await topUpWithLostAnswer(email)
      // Read as Buenos Aires time, a zone-less "sent minus an hour" would start the search two hours after the send.
      woowup.sandbox.setFaults({ zonelessUtcOffsetHours: -3 })
      await due()
      await redeliver(order.id)
      expect(await service().retrieveWoowupPointsAdjustment(adjustment.id)).toMatchObject({ status: "applied" })
      expect(pointsPosts(email)).toHaveLength(1)
      expect(customer(email).points).toBe(50)
      const [search] = woowup.sandbox.requests.filter((r) => r.path === "/multiusers/transactions")
      expect(search.query.from).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/)
    })

    it("finds a lost top-up on a later page when WoowUp answers 10 transactions a page, whatever the limit asked", async () => {
      const email = "capped-pages@example.com"
      const { order, adjustment, due } = await topUpWithLostAnswer(email)
      const uid = customer(email).service_uid
      const later = new Date(Date.now() + 60_000).toISOString().slice(0, 19).replace("T", " ")
      for (let i = 0; i < 15; i++) {
        woowup.sandbox.state.transactions.push({ id: `c${i}`, service_uid: uid, points: 1, concept: "gift", createtime: later })
      }
      woowup.sandbox.setFaults({ pageCap: 10 })
      await due()
      await redeliver(order.id)
      expect(await service().retrieveWoowupPointsAdjustment(adjustment.id)).toMatchObject({ status: "applied" })
      expect(pointsPosts(email)).toHaveLength(1)
      expect(customer(email).points).toBe(50)
      // Page 0 held 10 newer ones; the mark was on page 1.
      const pages = woowup.sandbox.requests.filter((r) => r.path === "/multiusers/transactions").map((r) => r.query.page)
      expect(pages).toEqual(["0", "1"])
    })

    it("records a purchase WoowUp already had as points unknown when they cannot be read, and finds them out before topping up", async () => {
      const { sandbox } = woowup
      const email = "unknown-points@example.com"
      const order = await placed(email)
      // An earlier attempt, planned on a 40% capture, left the purchase in WoowUp with 20 points.
      const call = (path: string, body: object) =>
        fetch(`${sandbox.url}${path}`, {
          method: "POST",
          headers: { authorization: `Basic ${sandbox.apiKey}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        })
      await call("/users", { email })
      await call("/purchases", { email, invoice_number: order.id, points: 20, prices: { total: 20 }, purchase_detail: [{ sku: "TSHIRT-M-BLUE", quantity: 1, unit_price: 20 }] })

      sandbox.setFaults({ script: [{ method: "GET", path: "/purchases", fault: 400, times: 2 }] })
      await captured(order.id)
      const reward = await waitForReward(getContainer(), order.id, (r) => r.status === "synced")
      expect(reward).toMatchObject({ points_unknown: true, points: null })
      expect(await service().listWoowupPointsAdjustments({ order_id: order.id })).toHaveLength(0)
      expect(customer(email).points).toBe(20)

      sandbox.setFaults({})
      await redeliver(order.id)
      expect(await waitForReward(getContainer(), order.id, (r) => !r.points_unknown)).toMatchObject({ points: 20 })
      expect(await service().listWoowupPointsAdjustments({ order_id: order.id })).toEqual([
        expect.objectContaining({ points: 30, status: "applied" }),
      ])
      expect(customer(email).points).toBe(50)
    })

    it("costs a few queries and no WoowUp call for an event that changes nothing, however large the order", async () => {
      const { sandbox } = woowup
      const knex = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
      const queriesFor = async (quantity: number) => {
        const order = await placed(`quiet-${quantity}@example.com`, quantity)
        await captured(order.id)
        await waitForReward(getContainer(), order.id, (r) => r.status === "synced")
        const payment = await getOrderPayment(api, admin, order.id)
        const requests = sandbox.requests.length
        let queries = 0
        const count = (q: { sql: string }) => {
          queries++
          if (process.env.WOOWUP_LOG_QUERIES) console.log(q.sql.slice(0, 160))
        }
        knex.on("query", count)
        try {
          await after(PaymentEvents.CAPTURED, () => bus().emit([{ name: PaymentEvents.CAPTURED, data: { id: payment.id } }]))
        } finally {
          knex.removeListener("query", count)
        }
        expect(sandbox.requests).toHaveLength(requests)
        return queries
      }
      const small = await queriesFor(1)
      const large = await queriesFor(6)
      console.log(`queries for a redelivered payment.captured on a synced order: ${small} (1 item), ${large} (6 items)`)
      expect(large).toBe(small)
      // The payment's order (the subscriber: 3), Medusa's workflow engine looking for an earlier run (2), the order's
      // record and payments compared (1): the order's items are never loaded.
      expect(small).toBeLessThanOrEqual(6)
    })
  },
})
