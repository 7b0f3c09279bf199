import { OrderWorkflowEvents, PaymentEvents } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { WOOWUP_MODULE } from "../../src/modules/woowup"
import type WoowupModuleService from "../../src/modules/woowup/service"
import {
  adminHeaders,
  cancelOrder,
  capturePayment,
  placeOrder,
  refundPayment,
  seedStore,
  type AuthHeaders,
  type SeededStore,
} from "../helpers"
import { afterEvent, getReward, reconcileJob, useWoowupSandbox, waitForReward } from "../helpers/woowup"

// The edges of the reward record (issue 16): a record that is not synced when its order stops wanting a purchase,
// a purchase whose order changes identity or invoice prefix after WoowUp may have stored it. 2 x 25 of items and
// 5 of shipping: 50 points. Three attempts at most, to see a record give up.
const PREFIX = "MED-"
const woowup = useWoowupSandbox({
  pointsPerCurrencyUnit: 1,
  invoicePrefix: PREFIX,
  reconcile: { enabled: false, maxAttempts: 3 },
})

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let admin: AuthHeaders
    const job = reconcileJob(getContainer)

    beforeAll(async () => {
      store = await seedStore(getContainer())
      admin = await adminHeaders(getContainer())
    })

    const service = () => getContainer().resolve<WoowupModuleService>(WOOWUP_MODULE)
    const customer = (email: string) => woowup.sandbox.state.customers.find((c) => c.email === email)
    const purchases = (orderId: string) => woowup.sandbox.state.purchases.filter((p) => p.invoice_number.endsWith(orderId))
    const pointsPosts = () => woowup.sandbox.requests.filter((r) => r.method === "POST" && r.path === "/multiusers/points")

    const after = <T>(event: string, action: () => Promise<T>, triggerCount = 1) =>
      afterEvent(getContainer(), event, action, triggerCount)

    /**
     * A returning customer's order captured while WoowUp stores the purchase but its answer is lost, and every retry
     * meets a 503: WoowUp holds the purchase and its 50 points, the record says `failed`.
     */
    async function storedButFailed(email: string) {
      woowup.sandbox.state.customers.push({ email, service_uid: `uid-${email}`, points: 0 } as any)
      const order = await after(OrderWorkflowEvents.PLACED, () =>
        placeOrder(api, store, { email, items: [{ variant_id: store.variants.standard, quantity: 2 }] })
      )
      woowup.sandbox.setFaults({
        script: [
          { method: "POST", path: "/purchases", fault: "drop-after-store" },
          { method: "POST", path: "/purchases", fault: 503, times: 20 },
        ],
      })
      await after(PaymentEvents.CAPTURED, () => capturePayment(api, admin, order.id))
      const failed = await waitForReward(getContainer(), order.id, (r) => r.status === "failed")
      woowup.sandbox.setFaults({})
      expect(failed).toMatchObject({ retryable: true, attempts: 1, invoice_number: `${PREFIX}${order.id}` })
      expect(purchases(order.id)).toHaveLength(1)
      expect(customer(email)?.points).toBe(50)
      return order
    }

    /** Time passes: the record's next attempt is due. */
    async function due(orderId: string) {
      const [reward] = await service().listWoowupRewards({ order_id: orderId })
      await service().updateWoowupRewards({ id: reward.id, next_attempt_at: new Date(Date.now() - 1_000) })
    }

    async function waitForRun(id: string) {
      for (let i = 0; i < 600; i++) {
        const { data } = await api.get(`/admin/woowup/resync/${id}`, admin)
        if (data.resync.status === "done" || data.resync.status === "failed") {
          return data.resync
        }
        await new Promise((r) => setTimeout(r, 100))
      }
      throw new Error(`resync ${id} did not finish`)
    }

    it("takes the points of a failed record's stored purchase back to 0 when the order is canceled (the job)", async () => {
      const email = "failed-then-canceled@example.com"
      const order = await storedButFailed(email)
      await after(OrderWorkflowEvents.CANCELED, () => cancelOrder(api, admin, order.id))

      await due(order.id)
      expect(await job.run()).toMatchObject({ found: 1, failed: 0 })
      expect(customer(email)?.points).toBe(0)
      expect(await getReward(getContainer(), order.id)).toMatchObject({ status: "synced", points: 50, attempts: 2 })
      expect(await service().listWoowupPointsAdjustments({ order_id: order.id })).toEqual([
        expect.objectContaining({ cause: "cancel", points: -50, status: "applied" }),
      ])
      expect(purchases(order.id)).toHaveLength(1)

      // Converged: the next run finds nothing.
      const requests = woowup.sandbox.requests.length
      expect(await job.run()).toMatchObject({ found: 0 })
      expect(woowup.sandbox.requests).toHaveLength(requests)
    })

    it("skips, with its reason, a failed record whose purchase WoowUp never got, when an admin resyncs the refunded order", async () => {
      const email = "never-stored@example.com"
      const order = await after(OrderWorkflowEvents.PLACED, () =>
        placeOrder(api, store, { email, items: [{ variant_id: store.variants.standard, quantity: 2 }] })
      )
      woowup.sandbox.setFaults({ errorRate: 1, errorStatuses: [503] })
      await after(PaymentEvents.CAPTURED, () => capturePayment(api, admin, order.id))
      expect(await waitForReward(getContainer(), order.id, (r) => r.status === "failed")).toMatchObject({ attempts: 1 })
      await after(PaymentEvents.REFUNDED, () => refundPayment(api, admin, order.id))
      woowup.sandbox.setFaults({})

      // Not due yet: the admin's resync of the order does it now.
      const { data } = await api.post("/admin/woowup/resync", { order_ids: [order.id] }, admin)
      expect(await waitForRun(data.resync.id)).toMatchObject({ status: "done", failed: 0, skipped: 1 })
      expect(await getReward(getContainer(), order.id)).toMatchObject({ status: "skipped", reason: "refunded" })
      expect(purchases(order.id)).toHaveLength(0)
      expect(pointsPosts()).toHaveLength(0)
      const { data: view } = await api.get(`/admin/woowup/orders/${order.id}`, admin)
      expect(view.woowup).toMatchObject({ needs_resync: false })
      expect(await job.run()).toMatchObject({ found: 0 })
    })

    it("takes back the points of a purchase whose process died mid-send, once its claim is stale, and gives up a check that keeps failing", async () => {
      const email = "dead-claim@example.com"
      const order = await storedButFailed(email)
      await after(OrderWorkflowEvents.CANCELED, () => cancelOrder(api, admin, order.id))
      // What a process killed mid-check leaves: the claim pending, its heartbeat stopped two minutes ago.
      const [reward] = await service().listWoowupRewards({ order_id: order.id })
      const stopped = new Date(Date.now() - 120_000)
      await service().updateWoowupRewards({ id: reward.id, status: "pending", heartbeat_at: stopped, last_attempt_at: stopped })

      // WoowUp cannot answer the check: each job run counts an attempt, and the third gives up.
      woowup.sandbox.setFaults({ script: [{ method: "GET", path: "/purchases", fault: 503, times: 100 }] })
      expect(await job.run()).toMatchObject({ found: 1, failed: 1 })
      expect(await getReward(getContainer(), order.id)).toMatchObject({ status: "failed", retryable: true, attempts: 2 })
      await due(order.id)
      expect(await job.run()).toMatchObject({ found: 1, failed: 1 })
      expect(await getReward(getContainer(), order.id)).toMatchObject({
        status: "failed",
        retryable: false,
        attempts: 3,
        reason: expect.stringMatching(/^Gave up after 3 attempts/),
      })
      await due(order.id)
      expect(await job.run()).toMatchObject({ found: 0 })
      expect(customer(email)?.points).toBe(50)

      // An admin's resync once WoowUp answers again.
      woowup.sandbox.setFaults({})
      const { data } = await api.post("/admin/woowup/resync", { order_ids: [order.id] }, admin)
      expect(await waitForRun(data.resync.id)).toMatchObject({ status: "done", failed: 0 })
      expect(customer(email)?.points).toBe(0)
      expect(await getReward(getContainer(), order.id)).toMatchObject({ status: "synced", points: 50 })
    })

    it("keeps the purchase with the customer it was sent to when an admin corrects the order's email, and says so", async () => {
      const owner = "first-owner@example.com"
      const corrected = "corrected@example.com"
      const order = await storedButFailed(owner)
      await api.post(`/admin/orders/${order.id}`, { email: corrected }, admin)

      await due(order.id)
      expect(await job.run()).toMatchObject({ found: 1, failed: 0 })
      expect(await getReward(getContainer(), order.id)).toMatchObject({
        status: "synced",
        identifier: "email",
        identity: owner,
        current_identifier: "email",
        current_identity: corrected,
        points: 50,
      })
      const retry = woowup.sandbox.requests.filter((r) => r.method === "POST" && r.path === "/purchases").pop()
      expect(retry?.body).toMatchObject({ email: owner, invoice_number: `${PREFIX}${order.id}` })

      await after(PaymentEvents.REFUNDED, () => refundPayment(api, admin, order.id, { amount: 27.5 }))
      expect(customer(owner)?.points).toBe(25)
      expect(customer(corrected)).toBeUndefined()
      expect(pointsPosts().map((r) => r.body)).toEqual([expect.objectContaining({ email: owner, points: -25 })])

      const { data } = await api.get(`/admin/woowup/orders/${order.id}`, admin)
      expect(data.woowup).toMatchObject({
        reward: { identity: owner },
        current_identity: { field: "email", value: corrected },
        points: { awarded: 50, taken_back: 25, net: 25 },
      })
    })

    it("sends a retry under the invoice number of the first attempt after invoicePrefix changed", async () => {
      const email = "prefix-changed@example.com"
      const order = await storedButFailed(email)
      // As if the store restarted with another prefix while the outcome was unknown.
      const options = (service() as unknown as { options_: { invoicePrefix: string } }).options_
      options.invoicePrefix = "OTHER-"
      try {
        await due(order.id)
        expect(await job.run()).toMatchObject({ found: 1, failed: 0 })
      } finally {
        options.invoicePrefix = PREFIX
      }
      expect(purchases(order.id).map((p) => p.invoice_number)).toEqual([`${PREFIX}${order.id}`])
      expect(customer(email)?.points).toBe(50)
      expect(await getReward(getContainer(), order.id)).toMatchObject({ status: "synced", invoice_number: `${PREFIX}${order.id}` })
    })
  },
})
