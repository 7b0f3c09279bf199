import { OrderWorkflowEvents, PaymentEvents } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { WOOWUP_MODULE } from "../../src/modules/woowup"
import { accountFingerprint } from "../../src/modules/woowup/account"
import type WoowupModuleService from "../../src/modules/woowup/service"
import {
  adminHeaders,
  capturePayment,
  placeOrder,
  refundPayment,
  seedStore,
  type AuthHeaders,
  type SeededStore,
} from "../helpers"
import { afterEvent, getReward, purchaseRequests, reconcileJob, useWoowupSandbox, waitForReward } from "../helpers/woowup"

// What the job and the resyncs find, and which WoowUp account a record is for (issue 16, items 3, 5 and 6).
// 2 x 25 of items and 5 of shipping: a 55 order whose 50 of items earn 50 points. The job's window is a week.
const woowup = useWoowupSandbox({
  pointsPerCurrencyUnit: 1,
  reconcile: { enabled: false, schedule: "*/15 * * * *", lookbackHours: 168 },
})

const DAY_MS = 24 * 3_600_000

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

    const after = <T>(event: string, action: () => Promise<T>, triggerCount = 1) =>
      afterEvent(getContainer(), event, action, triggerCount)

    async function placed(email: string) {
      return await after(OrderWorkflowEvents.PLACED, () =>
        placeOrder(api, store, { email, items: [{ variant_id: store.variants.standard, quantity: 2 }] })
      )
    }

    async function rewarded(email: string, amount?: number) {
      const order = await placed(email)
      await after(PaymentEvents.CAPTURED, () => capturePayment(api, admin, order.id, amount != null ? { amount } : {}))
      await waitForReward(getContainer(), order.id, (r) => r.reason !== "nothing_captured")
      return order
    }

    /** Time has passed: the order's pending adjustments are due. */
    async function adjustmentsDue(orderId: string) {
      const pending = await service().listWoowupPointsAdjustments({ order_id: orderId, status: "pending" })
      expect(pending).toHaveLength(1)
      await service().updateWoowupPointsAdjustments({ id: pending[0].id, next_attempt_at: new Date(Date.now() - 1_000) })
    }

    /** A job run `days` from now: the order of today is older than its window. */
    const jobIn = (days: number) => job.run(new Date(job.next().getTime() + days * DAY_MS))

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

    describe("work the records know about, whatever the order's age", () => {
      it("finishes, 8 days later, a refund's taking-back that WoowUp failed", async () => {
        const { sandbox } = woowup
        const order = await rewarded("old-refund@example.com")
        sandbox.setFaults({ errorRate: 1, errorStatuses: [503] })
        await after(PaymentEvents.REFUNDED, () => refundPayment(api, admin, order.id, { amount: 27.5 }))
        sandbox.setFaults({})
        expect(customer("old-refund@example.com")?.points).toBe(50)
        await adjustmentsDue(order.id)

        const run = await jobIn(8)
        expect(new Date(run!.window_from!).getTime()).toBeGreaterThan(Date.now())
        expect(run).toMatchObject({ status: "done", found: 1, sent: 1, failed: 0, busy: 0 })
        expect(customer("old-refund@example.com")?.points).toBe(25)
        expect(await service().listWoowupPointsAdjustments({ order_id: order.id })).toEqual([
          expect.objectContaining({ cause: "refund", points: -25, status: "applied" }),
        ])
        // Done: the next run finds nothing.
        expect(await jobIn(8)).toMatchObject({ found: 0 })
      })

      it("finishes, 8 days later, a late capture's top-up that WoowUp failed", async () => {
        const { sandbox } = woowup
        const order = await rewarded("old-topup@example.com", 27.5)
        expect(customer("old-topup@example.com")?.points).toBe(25)
        sandbox.setFaults({ errorRate: 1, errorStatuses: [503] })
        await after(PaymentEvents.CAPTURED, () => capturePayment(api, admin, order.id))
        sandbox.setFaults({})
        await adjustmentsDue(order.id)

        expect(await jobIn(8)).toMatchObject({ status: "done", found: 1, sent: 1, failed: 0 })
        expect(customer("old-topup@example.com")?.points).toBe(50)
      })

      it("retries, 8 days later, a purchase whose retryable failure is due, takes a dead process's claim, and reads points it could not", async () => {
        const { sandbox } = woowup
        const unknown = await rewarded("old-unknown@example.com")
        const [unknownRecord] = await service().listWoowupRewards({ order_id: unknown.id })
        // WoowUp had the purchase ("duplicate") and its points could not be read then.
        await service().updateWoowupRewards({ id: unknownRecord.id, points: null, points_unknown: true })
        sandbox.setFaults({ errorRate: 1, errorStatuses: [503] })
        const failed = await rewarded("old-failed@example.com")
        const dead = await rewarded("old-dead@example.com")
        sandbox.setFaults({})
        const [failedRecord] = await service().listWoowupRewards({ order_id: failed.id })
        const [deadRecord] = await service().listWoowupRewards({ order_id: dead.id })
        await service().updateWoowupRewards([
          { id: failedRecord.id, next_attempt_at: new Date(Date.now() - 1_000) },
          // A process claimed it and died two minutes ago.
          { id: deadRecord.id, status: "pending", attempts: 2, heartbeat_at: new Date(Date.now() - 120_000) },
        ])

        expect(await jobIn(8)).toMatchObject({ status: "done", found: 3, sent: 2, already_synced: 1, failed: 0 })
        for (const order of [failed, dead, unknown]) {
          expect(await getReward(getContainer(), order.id)).toMatchObject({ status: "synced", points: 50, points_unknown: false })
          expect(sandbox.state.purchases.filter((p) => p.invoice_number === order.id)).toHaveLength(1)
        }
      })
    })

    describe("orders another claim holds when the run passes", () => {
      it("takes them once the claim goes stale, counts busy those whose owner is alive, and shows it", async () => {
        const { sandbox } = woowup
        sandbox.setFaults({ errorRate: 1, errorStatuses: [503] })
        const stopped = await rewarded("claim-stopped@example.com")
        const alive = await rewarded("claim-alive@example.com")
        sandbox.setFaults({})
        const [stoppedRecord] = await service().listWoowupRewards({ order_id: stopped.id })
        const [aliveRecord] = await service().listWoowupRewards({ order_id: alive.id })
        // A process claimed this one and was stopped 55 s ago: its claim is fresh now, and stale in 5 s.
        await service().updateWoowupRewards([
          { id: stoppedRecord.id, status: "pending", attempts: 2, heartbeat_at: new Date(Date.now() - 55_000) },
          { id: aliveRecord.id, status: "pending", attempts: 2, heartbeat_at: new Date() },
        ])
        // The other is held by a live owner, proving it alive twice a second while the run lasts.
        const heartbeat = setInterval(() => {
          service().updateWoowupRewards({ id: aliveRecord.id, heartbeat_at: new Date() }).catch(() => {})
        }, 500)
        let run
        try {
          run = await job.run()
        } finally {
          clearInterval(heartbeat)
        }
        expect(run).toMatchObject({ status: "done", found: 2, sent: 1, busy: 1, failed: 0 })
        expect(await getReward(getContainer(), stopped.id)).toMatchObject({ status: "synced", points: 50 })
        expect(purchaseRequests(sandbox, stopped.id).filter((r) => r.status === 201)).toHaveLength(1)
        expect(purchaseRequests(sandbox, alive.id).filter((r) => !r.fault)).toHaveLength(0)

        const { data } = await api.get(`/admin/woowup/resync/${run!.id}`, admin)
        expect(data.resync).toMatchObject({ busy: 1, sent: 1 })
        const { data: status } = await api.get("/admin/woowup/status", admin)
        expect(status.status.runs.find((r: any) => r.id === run!.id)).toMatchObject({ busy: 1 })

        // Its owner is gone too now: an admin's resync of the window takes it once its claim is stale.
        await service().updateWoowupRewards({ id: aliveRecord.id, heartbeat_at: new Date(Date.now() - 58_000) })
        const from = new Date(Date.now() - 3_600_000).toISOString()
        const to = new Date(Date.now() + 60_000).toISOString()
        const { data: resync } = await api.post("/admin/woowup/resync", { from, to }, admin)
        expect(await waitForRun(resync.resync.id)).toMatchObject({ status: "done", found: 1, sent: 1, busy: 0 })
        expect(await getReward(getContainer(), alive.id)).toMatchObject({ status: "synced", points: 50 })
      })
    })

    describe("records of another WoowUp account", () => {
      const staging = accountFingerprint("https://staging.example.com/apiv3", "staging-key")

      it("never counts them as synced, never sends them silently, and sends them on an admin's explicit resync", async () => {
        const { sandbox } = woowup
        const order = await rewarded("other-account@example.com")
        const [record] = await service().listWoowupRewards({ order_id: order.id })
        expect(record.account).toBe(accountFingerprint(sandbox.url, sandbox.apiKey))
        // The database came from staging: the record went to staging's account; this one has nothing yet.
        await service().updateWoowupRewards({ id: record.id, account: staging })
        sandbox.reset()

        const { data: before } = await api.get("/admin/woowup/status", admin)
        expect(before.status).toMatchObject({ other_account: 1, account: accountFingerprint(sandbox.url, sandbox.apiKey) })
        expect(JSON.stringify(before)).not.toContain(sandbox.apiKey)
        const { data: view } = await api.get(`/admin/woowup/orders/${order.id}`, admin)
        expect(view.woowup).toMatchObject({ other_account: true, needs_resync: true })

        // Neither a refund's event, nor the job, nor a window resync sends it.
        await after(PaymentEvents.REFUNDED, () => refundPayment(api, admin, order.id, { amount: 11 }))
        expect(await job.run()).toMatchObject({ found: 0 })
        const from = new Date(Date.now() - 3_600_000).toISOString()
        const to = new Date(Date.now() + 60_000).toISOString()
        const { data: window } = await api.post("/admin/woowup/resync", { from, to, dry_run: true }, admin)
        expect(window.resync.found).toBe(0)
        const { data: named } = await api.post("/admin/woowup/resync", { order_ids: [order.id] }, admin)
        expect(await waitForRun(named.resync.id)).toMatchObject({ status: "done", sent: 0, skipped: 1 })
        expect(sandbox.requests.filter((r) => r.path === "/purchases" || r.path === "/multiusers/points")).toHaveLength(0)

        const { data: dry } = await api.post("/admin/woowup/resync", { other_account: true, dry_run: true }, admin)
        expect(dry.resync).toMatchObject({ other_account: true, found: 1 })
        const { data: real } = await api.post("/admin/woowup/resync", { other_account: true }, admin)
        expect(await waitForRun(real.resync.id)).toMatchObject({ status: "done", found: 1, sent: 1, failed: 0 })
        // Captured 55, refunded 11: 44 of 55 kept, 40 of the 50 points, in one purchase.
        expect(sandbox.state.purchases.filter((p) => p.invoice_number === order.id)).toEqual([
          expect.objectContaining({ points: 40 }),
        ])
        expect(customer("other-account@example.com")?.points).toBe(40)
        expect(await getReward(getContainer(), order.id)).toMatchObject({
          status: "synced",
          account: accountFingerprint(sandbox.url, sandbox.apiKey),
        })
        const { data: afterwards } = await api.get("/admin/woowup/status", admin)
        expect(afterwards.status.other_account).toBe(0)
        expect(await job.run()).toMatchObject({ found: 0 })
      })

      it("answers 400 naming other_account for a wrong resync", async () => {
        const bad = async (body: unknown) => {
          const error = await api.post("/admin/woowup/resync", body, admin).catch((e: any) => e)
          expect(error.response?.status).toBe(400)
          expect(error.response.data.message).toMatch(/other_account/)
        }
        await bad({ other_account: "yes" })
        await bad({ other_account: true, from: "2026-01-01", to: "2026-02-01" })
        await bad({ other_account: true, only_failed: true })
      })
    })
  },
})
