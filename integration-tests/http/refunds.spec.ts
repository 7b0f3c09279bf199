import type { IEventBusModuleService } from "@medusajs/framework/types"
import { Modules, OrderWorkflowEvents, PaymentEvents } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { WOOWUP_MODULE } from "../../src/modules/woowup"
import type WoowupModuleService from "../../src/modules/woowup/service"
import { CLAIM_STALE_MS } from "../../src/modules/woowup/service"
import {
  adminHeaders,
  cancelOrder,
  capturePayment,
  getOrderPayment,
  placeOrder,
  refundPayment,
  seedStore,
  type AuthHeaders,
  type SeededStore,
} from "../helpers"
import { afterEvent, EVENT_WAIT_MS, useWoowupSandbox, waitForReward, reconcileJob } from "../helpers/woowup"

// 2 x 25 of items and 5 of shipping: a 55 order whose 50 of items earn 50 points.
const woowup = useWoowupSandbox({ pointsPerCurrencyUnit: 1, reconcile: { enabled: false } })

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let admin: AuthHeaders
    const job = reconcileJob(getContainer)

    beforeAll(async () => {
      store = await seedStore(getContainer())
      admin = await adminHeaders(getContainer())
    })

    const bus = () => getContainer().resolve<IEventBusModuleService>(Modules.EVENT_BUS)
    const service = () => getContainer().resolve<WoowupModuleService>(WOOWUP_MODULE)
    const customer = (email: string) => woowup.sandbox.state.customers.find((c) => c.email === email)
    const pointsCalls = () => woowup.sandbox.requests.filter((r) => r.path === "/multiusers/points")
    const negative = (email: string) =>
      woowup.sandbox.state.transactions.filter((t) => t.service_uid === customer(email)?.service_uid && t.points < 0)

    const after = <T>(event: string, action: () => Promise<T>, triggerCount = 1) =>
      afterEvent(getContainer(), event, action, triggerCount)

    async function rewarded(email: string, amount?: number) {
      const order = await after(OrderWorkflowEvents.PLACED, () =>
        placeOrder(api, store, { email, items: [{ variant_id: store.variants.standard, quantity: 2 }] })
      )
      await after(PaymentEvents.CAPTURED, () => capturePayment(api, admin, order.id, amount != null ? { amount } : {}))
      await waitForReward(getContainer(), order.id, (r) => r.reason !== "nothing_captured")
      return order
    }

    const refund = (orderId: string, amount: number) =>
      after(PaymentEvents.REFUNDED, () => refundPayment(api, admin, orderId, { amount }))

    async function waitUntil(check: () => boolean) {
      const until = Date.now() + EVENT_WAIT_MS
      while (!check() && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 20))
      }
      expect(check()).toBe(true)
    }

    async function redeliver(name: string, id: string, times: number) {
      await after(name, () => bus().emit(Array.from({ length: times }, () => ({ name, data: { id } }))), times)
    }

    it("takes back half the points for a refund of half the order, once however often the event comes", async () => {
      const order = await rewarded("half@example.com")
      expect(customer("half@example.com")?.points).toBe(50)

      await refund(order.id, 27.5)
      expect(customer("half@example.com")?.points).toBe(25)
      const payment = await getOrderPayment(api, admin, order.id)
      await redeliver(PaymentEvents.REFUNDED, payment.id, 3)
      expect(customer("half@example.com")?.points).toBe(25)
      expect(negative("half@example.com").map((t) => t.points)).toEqual([-25])

      const { data } = await api.get(`/admin/woowup/orders/${order.id}`, admin)
      expect(data.woowup.points).toEqual({ awarded: 50, taken_back: 25, net: 25 })
      expect(data.woowup.adjustments).toEqual([expect.objectContaining({ cause: "refund", points: -25, status: "applied" })])
    })

    it("takes points back in steps for a refund in two parts, never more than given", async () => {
      const order = await rewarded("steps@example.com")
      await refund(order.id, 11)
      expect(customer("steps@example.com")?.points).toBe(40)
      await refund(order.id, 44)
      expect(customer("steps@example.com")?.points).toBe(0)
      expect(negative("steps@example.com").map((t) => t.points)).toEqual([-10, -40])
    })

    it("takes every point back when a captured order is canceled, once for two order.canceled", async () => {
      const order = await rewarded("cancel@example.com")
      await after(OrderWorkflowEvents.CANCELED, () => cancelOrder(api, admin, order.id))
      expect(customer("cancel@example.com")?.points).toBe(0)
      await redeliver(OrderWorkflowEvents.CANCELED, order.id, 2)
      expect(negative("cancel@example.com").map((t) => t.points)).toEqual([-50])
      const [adjustment] = await service().listWoowupPointsAdjustments({ order_id: order.id })
      expect(adjustment).toMatchObject({ cause: "cancel", points: -50, status: "applied" })
    })

    it("sends the purchase with the net points when the refund came before WoowUp got the award", async () => {
      const { sandbox } = woowup
      sandbox.setFaults({ errorRate: 1, errorStatuses: [503] })
      const order = await rewarded("late@example.com")
      await refund(order.id, 27.5)
      sandbox.setFaults({})
      const [failed] = await service().listWoowupRewards({ order_id: order.id })
      expect(failed).toMatchObject({ status: "failed", retryable: true })

      await service().updateWoowupRewards({ id: failed.id, next_attempt_at: new Date(Date.now() - 1_000) })
      const run = await job.run()
      expect(run).toMatchObject({ sent: 1, failed: 0 })
      expect(sandbox.state.purchases.find((p) => p.invoice_number === order.id)?.points).toBe(25)
      expect(customer("late@example.com")?.points).toBe(25)
      expect(negative("late@example.com")).toHaveLength(0)
    })

    it("applies a taking-back once when WoowUp stores it but the answer is lost", async () => {
      const { sandbox } = woowup
      const order = await rewarded("lost-refund@example.com")
      sandbox.setFaults({ script: [{ method: "POST", path: "/multiusers/points", fault: "drop-after-store" }] })
      await refund(order.id, 27.5)
      const [unknown] = await service().listWoowupPointsAdjustments({ order_id: order.id })
      expect(unknown).toMatchObject({ status: "pending", points: -25 })

      await service().updateWoowupPointsAdjustments({ id: unknown.id, next_attempt_at: new Date(Date.now() - 1_000) })
      const payment = await getOrderPayment(api, admin, order.id)
      await redeliver(PaymentEvents.REFUNDED, payment.id, 1)
      expect(await service().listWoowupPointsAdjustments({ order_id: order.id })).toEqual([
        expect.objectContaining({ status: "applied", points: -25 }),
      ])
      expect(pointsCalls().filter((r) => (r.body as any)?.email === "lost-refund@example.com")).toHaveLength(1)
      expect(customer("lost-refund@example.com")?.points).toBe(25)
    })

    it("never sends a taking-back twice when its call waited past the stale time while another run took it over", async () => {
      const { sandbox } = woowup
      const email = "stalled@example.com"
      const order = await rewarded(email)
      // The taking-back's first attempt meets a 429: the client holds it, and every other call, back for 5 s.
      sandbox.setFaults({ retryAfterSeconds: 5, script: [{ method: "POST", path: "/multiusers/points", fault: 429 }] })
      const first = refund(order.id, 27.5)
      await waitUntil(() => pointsCalls().some((r) => r.status === 429))
      const [adjustment] = await service().listWoowupPointsAdjustments({ order_id: order.id })
      expect(adjustment).toMatchObject({ status: "pending", points: -25, attempts: 1 })

      // The stall: no heartbeat of the first run's claim has landed for over a minute (a paused process, a database
      // that would not answer), so the job takes the adjustment over while the first call still waits to retry.
      await service().updateWoowupPointsAdjustments({ id: adjustment.id, heartbeat_at: new Date(Date.now() - CLAIM_STALE_MS - 1_000) })
      const second = job.run()
      await Promise.all([first, second])

      expect(negative(email).map((t) => t.points)).toEqual([-25])
      expect(customer(email)?.points).toBe(25)
      expect(await service().listWoowupPointsAdjustments({ order_id: order.id })).toEqual([
        expect.objectContaining({ status: "applied", points: -25, attempts: 2 }),
      ])
      // The first run's retry never left: one 429, one taking-back.
      expect(pointsCalls().map((r) => r.status)).toEqual([429, 200])
    })

    it("ends with the rules applied to the net amount after a partial capture, a partial refund and the rest captured", async () => {
      const order = await rewarded("mixed@example.com", 27.5)
      expect(customer("mixed@example.com")?.points).toBe(25)
      await refund(order.id, 11)
      expect(customer("mixed@example.com")?.points).toBe(15)
      await after(PaymentEvents.CAPTURED, () => capturePayment(api, admin, order.id))
      // Captured 55, refunded 11: 44 of 55 kept, 40 of the 50 points.
      expect(customer("mixed@example.com")?.points).toBe(40)
    })

    it("shows a refused taking-back as failed with its reason, never calls the order converged, and a resync settles it", async () => {
      const { sandbox } = woowup
      const email = "refused@example.com"
      const counts = async () => (await api.get("/admin/woowup/status", admin)).data.status.counts
      const order = await rewarded(email)
      const before = await counts()

      // WoowUp refuses the first taking-back; the rest of the refund's waits behind it.
      sandbox.setFaults({ script: [{ method: "POST", path: "/multiusers/points", fault: 400 }] })
      await refund(order.id, 27.5)
      sandbox.setFaults({})
      await refund(order.id, 27.5)
      expect(customer(email)?.points).toBe(50)

      const { data } = await api.get(`/admin/woowup/orders/${order.id}`, admin)
      expect(data.woowup).toMatchObject({
        status: "failed",
        error_code: "bad_request",
        reason: expect.stringContaining("injected by the WoowUp sandbox"),
        reward: expect.objectContaining({ status: "synced" }),
        needs_resync: true,
      })
      expect(data.woowup.adjustments).toEqual([expect.objectContaining({ status: "failed", points: -25, error_code: "bad_request" })])
      expect(await counts()).toMatchObject({ synced: before.synced - 1, failed: before.failed + 1 })
      const listed = async (status: string) =>
        (await api.get(`/admin/woowup/rewards?status[]=${status}&order_id=${order.id}`, admin)).data.rewards
      expect(await listed("failed")).toEqual([expect.objectContaining({ status: "failed", error_code: "bad_request" })])
      expect(await listed("synced")).toEqual([])

      // The job finds the order every run and reports it failed, sending nothing: only an admin's resync sends.
      const calls = sandbox.requests.length
      for (let i = 0; i < 2; i++) {
        expect(await job.run()).toMatchObject({ found: 1, failed: 1, already_synced: 0, sent: 0 })
      }
      // Only the first run's report of the purchase sent earlier (WoowUp's "Sincronizaciones" screen).
      expect(sandbox.requests.slice(calls).map((r) => `${r.method} ${r.path}`)).toEqual(["POST /integration-stats"])
      expect((await service().getOrderSyncState(order.id))?.converged).toBe(false)

      const { data: resync } = await api.post("/admin/woowup/resync", { order_ids: [order.id] }, admin)
      let settled: any
      for (const until = Date.now() + EVENT_WAIT_MS; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
        settled = (await api.get(`/admin/woowup/orders/${order.id}`, admin)).data.woowup
        if (settled.status === "synced" && !settled.needs_resync) {
          break
        }
      }
      expect(settled).toMatchObject({ status: "synced", needs_resync: false, points: { awarded: 50, taken_back: 50, net: 0 } })
      expect(negative(email).map((t) => t.points)).toEqual([-25, -25])
      expect(customer(email)?.points).toBe(0)
      let run: any
      for (const until = Date.now() + EVENT_WAIT_MS; Date.now() < until; await new Promise((r) => setTimeout(r, 100))) {
        run = (await api.get(`/admin/woowup/resync/${resync.resync.id}`, admin)).data.resync
        if (run.status === "done") {
          break
        }
      }
      expect(run).toMatchObject({ status: "done", sent: 1, failed: 0 })
      expect(await counts()).toEqual(before)
    })
  },
})
