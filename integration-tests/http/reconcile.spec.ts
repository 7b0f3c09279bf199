import type { IEventBusModuleService } from "@medusajs/framework/types"
import { CustomerWorkflowEvents, Modules, OrderWorkflowEvents, PaymentEvents } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import { WOOWUP_MODULE } from "../../src/modules/woowup"
import { accountFingerprint } from "../../src/modules/woowup/account"
import type WoowupModuleService from "../../src/modules/woowup/service"
import {
  adminHeaders,
  capturePayment,
  createCapturedOrders,
  getOrderPayment,
  loginOrRegisterCustomer,
  placeOrder,
  seedStore,
  type AuthHeaders,
  type SeededStore,
} from "../helpers"
import { EVENT_WAIT_MS, getReward, purchaseRequests, useWoowupSandbox, waitForReward, reconcileJob } from "../helpers/woowup"

// The job is run by the tests themselves (`runJob`), at times of their choosing: the minute ticker stays off.
// WoowUp's limit is raised for the test with 200 orders, in the plugin and in the sandbox alike. The customer sync is
// on for the status's feeds (the other tests' orders are guests': it sends nothing for them).
const LIMIT = 300
const woowup = useWoowupSandbox(
  {
    pointsPerCurrencyUnit: 1,
    requestsPerMinute: LIMIT,
    syncCustomers: true,
    reconcile: { enabled: false, schedule: "*/15 * * * *", concurrency: 8 },
  },
  { requestsPerMinute: LIMIT }
)

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
    const job = reconcileJob(getContainer)
    const runJob = () => job.run()

    async function placed(email: string) {
      const handled = TestEventUtils.waitSubscribersExecution(OrderWorkflowEvents.PLACED, bus(), { timeout: EVENT_WAIT_MS })
      const order = await placeOrder(api, store, { email, items: [{ variant_id: store.variants.standard, quantity: 2 }] })
      await handled
      return order
    }

    /** Captured through the payment module: a capture path that emits no event, as the plugin may meet. */
    async function capturedSilently(orderId: string) {
      const payment = await getOrderPayment(api, admin, orderId)
      await getContainer().resolve(Modules.PAYMENT).capturePayment({ payment_id: payment.id })
    }

    async function captured(orderId: string) {
      const handled = TestEventUtils.waitSubscribersExecution(PaymentEvents.CAPTURED, bus(), { timeout: EVENT_WAIT_MS })
      await capturePayment(api, admin, orderId)
      await handled
      return await waitForReward(getContainer(), orderId, (r) => r.reason !== "nothing_captured")
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

    it("rewards, once, orders whose events never came, and records the run", async () => {
      const { sandbox } = woowup
      const noRecord = await placed("lost-event@example.com")
      const skipped = await placed("silent-capture@example.com")
      await capturedSilently(noRecord.id)
      await capturedSilently(skipped.id)
      // As if order.placed had never reached the plugin.
      const [record] = await service().listWoowupRewards({ order_id: noRecord.id })
      await service().deleteWoowupRewards(record.id)
      expect(await getReward(getContainer(), skipped.id)).toMatchObject({ status: "skipped", reason: "nothing_captured" })

      const run = await runJob()
      expect(run).toMatchObject({ kind: "job", status: "done", found: 2, sent: 2, failed: 0 })
      for (const order of [noRecord, skipped]) {
        expect(await getReward(getContainer(), order.id)).toMatchObject({ status: "synced", trigger: "reconcile", points: 50 })
        expect(purchaseRequests(sandbox, order.id).filter((r) => r.status === 201)).toHaveLength(1)
      }

      // Nothing left: the next run finds nothing and sends nothing.
      const requests = sandbox.requests.length
      expect(await runJob()).toMatchObject({ found: 0, sent: 0 })
      expect(sandbox.requests).toHaveLength(requests)
    })

    it("retries, spaced, an order WoowUp failed for longer than every retry, once WoowUp is back", async () => {
      const { sandbox } = woowup
      const order = await placed("outage@example.com")
      sandbox.setFaults({ errorRate: 1, errorStatuses: [503] })
      const failed = await captured(order.id)
      expect(failed).toMatchObject({ status: "failed", retryable: true })
      expect(new Date(failed.next_attempt_at!).getTime()).toBeGreaterThan(Date.now())

      // Not due yet: the job spends nothing on it, but reports the failure to WoowUp's screen.
      sandbox.setFaults({})
      const before = sandbox.requests.length
      expect(await runJob()).toMatchObject({ found: 0 })
      const sent = sandbox.requests.slice(before)
      expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /integration-stats"])
      expect((sent[0].body as any).purchases.failed).toEqual(expect.arrayContaining([expect.objectContaining({ element: order.id })]))

      await service().updateWoowupRewards({ id: failed.id, next_attempt_at: new Date(Date.now() - 1_000) })
      expect(await runJob()).toMatchObject({ found: 1, sent: 1 })
      expect(await getReward(getContainer(), order.id)).toMatchObject({ status: "synced", attempts: 2 })
      expect(sandbox.state.purchases.filter((p) => p.invoice_number === order.id)).toHaveLength(1)
    })

    it("retries now, in an admin's window resync, a failure whose next attempt the job would still wait for", async () => {
      const { sandbox } = woowup
      const order = await placed("resync-now@example.com")
      sandbox.setFaults({ errorRate: 1, errorStatuses: [503] })
      expect(await captured(order.id)).toMatchObject({ status: "failed", retryable: true })
      sandbox.setFaults({})

      const from = new Date(Date.now() - 3_600_000).toISOString()
      const to = new Date(Date.now() + 60_000).toISOString()
      const { data } = await api.post("/admin/woowup/resync", { from, to, only_failed: true }, admin)
      expect(data.resync.found).toBe(1)
      expect(await waitForRun(data.resync.id)).toMatchObject({ status: "done", found: 1, sent: 1, failed: 0 })
      expect(await getReward(getContainer(), order.id)).toMatchObject({ status: "synced", trigger: "resync" })
    })

    it("runs one of two job runs started at once; the other skips", async () => {
      const now = job.next()
      const ran = (await Promise.all([job.run(now), job.run(now)])).filter(Boolean)
      expect(ran).toHaveLength(1)
      expect(ran[0]).toMatchObject({ kind: "job", status: "done" })
    })

    it("closes, as interrupted, a job run its process left running", async () => {
      const orphan = await service().createWoowupReconcileRuns({ kind: "job", status: "running", started_at: new Date() })
      expect(await runJob()).toMatchObject({ status: "done" })
      expect(await service().retrieveWoowupReconcileRun(orphan.id)).toMatchObject({
        status: "failed",
        error: expect.stringMatching(/^Interrupted/),
        finished_at: expect.any(Date),
      })
    })

    it("syncs with an admin's resync an order WoowUp refused for good, once the cause is fixed", async () => {
      const { sandbox } = woowup
      const order = await placed("refused@example.com")
      sandbox.setFaults({ script: [{ method: "POST", path: "/purchases", fault: 400 }] })
      expect(await captured(order.id)).toMatchObject({ status: "failed", retryable: false, error_code: "bad_request" })
      // The job leaves a permanent failure alone.
      expect(await runJob()).toMatchObject({ found: 0 })

      const { data } = await api.post("/admin/woowup/resync", { order_ids: [order.id] }, admin)
      expect(data.resync).toMatchObject({ status: "queued", order_ids: [order.id], dry_run: false, found: 1 })
      expect(await waitForRun(data.resync.id)).toMatchObject({ status: "done", kind: "resync", sent: 1 })
      expect(await getReward(getContainer(), order.id)).toMatchObject({ status: "synced", trigger: "resync" })

      const { data: view } = await api.get(`/admin/woowup/orders/${order.id}`, admin)
      expect(view.woowup).toMatchObject({ reward: { status: "synced" }, points: { awarded: 50, net: 50 }, needs_resync: false })
    })

    it("resyncs a window, previews it with a dry run that sends nothing, and sends nothing for synced orders", async () => {
      const { sandbox } = woowup
      const synced = await placed("window-synced@example.com")
      await captured(synced.id)
      const missed = await placed("window-missed@example.com")
      await capturedSilently(missed.id)
      const from = new Date(Date.now() - 3_600_000).toISOString()
      const to = new Date(Date.now() + 60_000).toISOString()

      const before = sandbox.requests.length
      const { data: dry } = await api.post("/admin/woowup/resync", { from, to, dry_run: true }, admin)
      expect(dry.resync).toMatchObject({ status: "done", dry_run: true, found: 1, from, to })
      expect(sandbox.requests).toHaveLength(before)

      const { data: real } = await api.post("/admin/woowup/resync", { from, to }, admin)
      expect(real.status ?? 202).toBe(202)
      expect(await waitForRun(real.resync.id)).toMatchObject({ status: "done", found: 1, sent: 1 })
      expect(await getReward(getContainer(), missed.id)).toMatchObject({ status: "synced" })

      // An explicit resync of a synced order sends nothing.
      const sent = sandbox.requests.length
      const { data: again } = await api.post("/admin/woowup/resync", { order_ids: [synced.id] }, admin)
      expect(await waitForRun(again.resync.id)).toMatchObject({ status: "done", sent: 0, already_synced: 1 })
      expect(sandbox.requests).toHaveLength(sent)
    })

    it("answers 401 without an admin, and 400 naming the field for bad resync input", async () => {
      await expect(api.post("/admin/woowup/resync", { order_ids: ["order_1"] })).rejects.toMatchObject({ response: { status: 401 } })
      await expect(api.get("/admin/woowup/status")).rejects.toMatchObject({ response: { status: 401 } })

      const bad = async (body: unknown, field: RegExp) => {
        const error = await api.post("/admin/woowup/resync", body, admin).catch((e: any) => e)
        expect(error.response?.status).toBe(400)
        expect(error.response.data.message).toMatch(field)
      }
      await bad({}, /order_ids/)
      await bad({ order_ids: ["order_1"], from: "2026-01-01", to: "2026-02-01" }, /order_ids/)
      await bad({ order_ids: Array.from({ length: 1001 }, (_, i) => `order_${i}`) }, /order_ids/)
      await bad({ order_ids: "order_1" }, /order_ids/)
      await bad({ from: "2026-02-01", to: "2026-01-01" }, /from/)
      await bad({ from: "yesterday", to: "2026-01-01" }, /from/)
      await bad({ from: "2026-01-01" }, /to/)
      await bad({ order_ids: ["order_1"], dry_run: "yes" }, /dry_run/)
      await bad({ order_ids: ["order_1"], everything: true }, /everything/)
      const unknown = await api.post("/admin/woowup/resync", { order_ids: ["order_nope"] }, admin).catch((e: any) => e)
      expect(unknown.response?.status).toBe(404)
    })

    it("gets 200 orders into WoowUp once each while a third of WoowUp's answers fail, never over the limit", async () => {
      const { sandbox } = woowup
      const emails = Array.from({ length: Number(process.env.BULK_ORDERS ?? 200) }, (_, i) => `bulk-${i}@example.com`)
      // Returning customers: one call per order when WoowUp answers.
      emails.forEach((email, i) => sandbox.state.customers.push({ email, service_uid: `bulk-${i}`, points: 0 } as any))
      const orders = (await createCapturedOrders(getContainer(), store, emails)).map((id) => ({ id }))
      sandbox.requests.length = 0
      sandbox.setFaults({ errorRate: 0.3, errorStatuses: [500, 502, 503, 429], latencyMs: 30, retryAfterSeconds: 1 })

      let runs = 0
      const ids = new Set(orders.map((o) => o.id))
      const unsynced = async () =>
        (await service().listWoowupRewards({ order_id: [...ids] })).filter((r) => r.status !== "synced")
      for (let left = orders.length; left > 0 && runs < 10; runs++) {
        // Time passes between runs: whatever failed is due again.
        const failed = (await unsynced()).filter((r) => r.status === "failed")
        await Promise.all(failed.map((r) => service().updateWoowupRewards({ id: r.id, next_attempt_at: new Date(Date.now() - 1_000) })))
        await runJob()
        left = (await unsynced()).length
      }
      sandbox.setFaults({})
      expect(await unsynced()).toEqual([])
      for (const order of orders) {
        expect(sandbox.state.purchases.filter((p) => p.invoice_number === order.id)).toHaveLength(1)
      }
      // WoowUp saw no more than its limit in any minute (the requests it accepted, by arrival).
      const times = sandbox.requests.filter((r) => !r.fault && r.status !== 429).map((r) => r.time).sort((a, b) => a - b)
      let busiest = 0
      for (let i = 0, j = 0; i < times.length; i++) {
        while (times[i] - times[j] >= 60_000) j++
        busiest = Math.max(busiest, i - j + 1)
      }
      console.log(`200 orders: ${runs} job runs, ${sandbox.requests.length} requests, busiest minute ${busiest}/${LIMIT}`)
      expect(busiest).toBeLessThanOrEqual(LIMIT)
      expect(sandbox.requests.filter((r) => r.status === 429 && !r.fault)).toHaveLength(0)
    })

    it("lists rewards with filters, and tells the status while WoowUp is down without failing", async () => {
      const { sandbox } = woowup
      const order = await placed("listed@example.com")
      await captured(order.id)

      const { data: list } = await api.get(`/admin/woowup/rewards?status[]=synced&q=listed@example&limit=5`, admin)
      expect(list).toMatchObject({ count: 1, limit: 5, offset: 0 })
      expect(list.rewards[0]).toMatchObject({ order_id: order.id, status: "synced", identity: "listed@example.com" })
      const { data: none } = await api.get(`/admin/woowup/rewards?status=failed&order_id=${order.id}`, admin)
      expect(none.count).toBe(0)

      const { data: up } = await api.get("/admin/woowup/status", admin)
      expect(up.status.connection.status).toBe("ok")
      expect(up.status.counts.synced).toBeGreaterThanOrEqual(1)
      expect(up.status.rate_limit.limit).toBe(LIMIT)
      expect(JSON.stringify(up)).not.toContain(sandbox.apiKey)

      sandbox.setFaults({ errorRate: 1, errorStatuses: [503] })
      const { data: down } = await api.get("/admin/woowup/status", admin)
      expect(down.status.connection).toMatchObject({ status: "unreachable", error: expect.any(String) })
      expect(JSON.stringify(down)).not.toContain(sandbox.apiKey)
      sandbox.setFaults({})
    })

    it("tells each feed's records per status and its latest failures, this account's only", async () => {
      const { sandbox } = woowup
      const signUp = async (name: string) => {
        const created = TestEventUtils.waitSubscribersExecution(CustomerWorkflowEvents.CREATED, bus(), { timeout: EVENT_WAIT_MS })
        const me = await loginOrRegisterCustomer(api, store, { email: `${name}@example.com`, password: "secret-123", first_name: name })
        await created
        return me
      }
      // Orders: one rewarded, one WoowUp refuses as invalid.
      const rewarded = await placed("feeds-rewarded@example.com")
      await captured(rewarded.id)
      sandbox.setFaults({ script: [{ method: "POST", path: "/purchases", fault: 400, times: 100 }] })
      const refused = await placed("feeds-refused@example.com")
      expect(await captured(refused.id)).toMatchObject({ status: "failed", error_code: "bad_request" })
      // Customers: one WoowUp takes, one it cannot take now (a retryable 503), one it takes for another account.
      sandbox.setFaults({})
      const ada = await signUp("feeds-ada")
      const other = await signUp("feeds-other")
      sandbox.setFaults({ script: [{ method: "POST", path: "/users", fault: 503, times: 100 }] })
      const bob = await signUp("feeds-bob")
      sandbox.setFaults({})
      const [otherSync] = await service().listWoowupCustomerSyncs({ customer_id: other.id })
      await service().updateWoowupCustomerSyncs({ id: otherSync.id, account: accountFingerprint("https://staging.example.com/apiv3", "k") })
      const [adaSync] = await service().listWoowupCustomerSyncs({ customer_id: ada.id })
      expect(adaSync.status).toBe("synced")

      const { data } = await api.get("/admin/woowup/status", admin)
      const { feeds } = data.status
      expect(feeds.orders).toEqual({
        enabled: true,
        counts: { pending: 0, synced: 1, skipped: 0, failed: 1 },
        failures: [
          {
            entity_id: refused.id,
            reason: expect.stringContaining("injected by the WoowUp sandbox"),
            error_code: "bad_request",
            retryable: false,
            next_attempt_at: null,
            updated_at: expect.any(String),
          },
        ],
      })
      // The top-level counts are the orders feed's.
      expect(data.status.counts).toEqual(feeds.orders.counts)
      expect(feeds.customers).toMatchObject({ enabled: true, counts: { pending: 0, synced: 1, skipped: 0, failed: 1 } })
      expect(feeds.customers.failures).toEqual([
        {
          entity_id: bob.id,
          reason: expect.any(String),
          error_code: "http_503",
          retryable: true,
          next_attempt_at: expect.any(String),
          updated_at: expect.any(String),
        },
      ])
      expect(Date.parse(feeds.customers.failures[0].next_attempt_at)).toBeGreaterThan(Date.now())
      // No catalog option in this branch's options: off, and no records.
      expect(feeds.products).toEqual({ enabled: false, counts: { pending: 0, synced: 0, skipped: 0, failed: 0 }, failures: [] })
      expect(JSON.stringify(data)).not.toContain(sandbox.apiKey)

      // Deleted records are left out; the latest failure comes first.
      await service().softDeleteWoowupCustomerSyncs(adaSync.id)
      sandbox.setFaults({ script: [{ method: "POST", path: "/users", fault: 400, times: 100 }] })
      const cleo = await signUp("feeds-cleo")
      sandbox.setFaults({})
      const { data: later } = await api.get("/admin/woowup/status", admin)
      expect(later.status.feeds.customers.counts).toEqual({ pending: 0, synced: 0, skipped: 0, failed: 2 })
      expect(later.status.feeds.customers.failures.map((f: any) => [f.entity_id, f.error_code, f.retryable])).toEqual([
        [cleo.id, "bad_request", false],
        [bob.id, "http_503", true],
      ])
    })
  },
})
