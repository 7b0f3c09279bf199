import { ContainerRegistrationKeys, Modules, PaymentEvents } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import {
  adminHeaders,
  capturePayment,
  createCapturedOrders,
  dateOrdersBack,
  placeOrder,
  refundPayment,
  seedStore,
  type AuthHeaders,
  type SeededStore,
} from "../helpers"
import { afterEvent, getReward, reconcileJob, useWoowupSandbox, waitForReward } from "../helpers/woowup"

// Issue 22: a store's history into WoowUp. The orders here are made through Medusa's modules with no event (the
// plugin never saw them), then dated back: as history placed before the plugin was installed, or migrated into
// Medusa with its original dates and ids of today. 1 point per currency unit, a week's look-back.
const woowup = useWoowupSandbox(
  {
    pointsPerCurrencyUnit: 1,
    syncCustomers: true,
    requestsPerMinute: 300,
    reconcile: { enabled: false, schedule: "*/15 * * * *", lookbackHours: 168 },
  },
  { requestsPerMinute: 300 }
)

const DAY_MS = 24 * 3_600_000

const pgOf = (container: MedusaContainer) => container.resolve(ContainerRegistrationKeys.PG_CONNECTION)

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let admin: AuthHeaders
    const job = reconcileJob(getContainer)

    beforeAll(async () => {
      store = await seedStore(getContainer())
      admin = await adminHeaders(getContainer())
    })

    const purchasesOf = (email: string) => woowup.sandbox.state.purchases.filter((p: any) => p.email === email)
    const usersCreated = (email: string) =>
      woowup.sandbox.requests.filter((r) => r.method === "POST" && r.path === "/users" && (r.body as any)?.email === email)
    const customer = (email: string) => woowup.sandbox.state.customers.find((c) => c.email === email)

    /** Captured orders the plugin never saw, dated back `daysAgo`. */
    async function history(emails: string[], daysAgo: number) {
      const ids = await createCapturedOrders(getContainer(), store, emails)
      await dateOrdersBack(getContainer(), ids, new Date(Date.now() - daysAgo * DAY_MS))
      return ids
    }

    async function startImport(body: Record<string, unknown>) {
      const { status, data } = await api.post("/admin/woowup/imports", body, admin)
      return { status, run: data.import }
    }

    async function readImport(id: string) {
      return (await api.get(`/admin/woowup/imports/${id}`, admin)).data.import
    }

    async function waitForImport(id: string, done = (run: any) => ["done", "failed", "canceled"].includes(run.status)) {
      for (let i = 0; i < 1200; i++) {
        const run = await readImport(id)
        if (done(run)) {
          return run
        }
        await new Promise((r) => setTimeout(r, 50))
      }
      throw new Error(`import ${id} did not get there`)
    }

    /** The window of the second test: its orders of 400, 300 and 2 days ago. */
    /** The import once it stopped moving: its counts and WoowUp's purchases the same for 2 s. */
    async function settled(id: string) {
      for (let i = 0; i < 30; i++) {
        const before = [await readImport(id), woowup.sandbox.state.purchases.length] as const
        await new Promise((r) => setTimeout(r, 2_000))
        const after = [await readImport(id), woowup.sandbox.state.purchases.length] as const
        if (before[0].processed === after[0].processed && before[1] === after[1]) {
          return after[0]
        }
      }
      throw new Error(`import ${id} kept moving`)
    }

    const window = {
      from: new Date(Date.now() - 420 * DAY_MS).toISOString(),
      to: new Date(Date.now() - 1.5 * DAY_MS).toISOString(),
    }

    it("leaves history to imports: the job never sends orders placed before the installation or older than its look-back, whatever their ids", async () => {
      // Migrated: ids of today, created a year ago. And one placed an hour ago, before the plugin was installed.
      const [migrated] = await history(["migrated@example.com"], 1000)
      const [beforeInstall] = await history(["before-install@example.com"], 1 / 24)
      const pg = pgOf(getContainer())
      const [{ installed_at: installed }] = (await pg.raw(`SELECT installed_at FROM woowup_installation`)).rows
      await pg.raw(`UPDATE woowup_installation SET installed_at = now() - interval '30 minutes'`)
      try {
        const run = await job.run(new Date())
        expect(run).toMatchObject({ status: "done", found: 0, sent: 0 })
        expect(woowup.sandbox.state.purchases).toHaveLength(0)
        expect(await getReward(getContainer(), migrated)).toBeNull()
        expect(await getReward(getContainer(), beforeInstall)).toBeNull()
      } finally {
        await pg.raw(`UPDATE woowup_installation SET installed_at = ?`, [installed])
      }
    })

    it("imports history without points: one purchase each with its original dates, customers once, records historical; a refund takes nothing back; a recent order gets its points", async () => {
      const emails = ["hist-a@example.com", "hist-a@example.com", "hist-b@example.com"]
      const old = await history(emails, 400)
      // Inside the look-back window: live, not history, even in an import without points.
      const [recent] = await history(["hist-recent@example.com"], 2)
      // A customer with an account, whose two orders go after them.
      const [account] = await getContainer()
        .resolve(Modules.CUSTOMER)
        .createCustomers([{ email: "hist-account@example.com", first_name: "Ana", last_name: "Historia", has_account: true }])
      const accountOrders = await history(["hist-account@example.com", "hist-account@example.com"], 300)
      await pgOf(getContainer()).raw(`UPDATE "order" SET customer_id = ? WHERE id = ANY(?)`, [account.id, accountOrders])

      const dry = await startImport({ ...window, dry_run: true })
      expect(dry.status).toBe(200)
      expect(dry.run).toMatchObject({ status: "done", dry_run: true, total: 6, processed: 0 })
      expect(dry.run.estimate).toMatchObject({ orders: 6, calls: expect.any(Number), seconds: expect.any(Number) })
      expect(woowup.sandbox.requests).toHaveLength(0)

      const { status, run } = await startImport(window)
      expect(status).toBe(202)
      expect(run).toMatchObject({ status: "queued", award_points: false, customers: true, total: 6 })
      const done = await waitForImport(run.id)
      expect(done).toMatchObject({ status: "done", total: 6, processed: 6, sent: 6, already_in_woowup: 0, failed: 0 })
      expect(done.sent + done.already_in_woowup + done.skipped + done.failed).toBe(done.processed)

      const created = new Date(Date.now() - 400 * DAY_MS).toISOString().slice(0, 10)
      for (const email of ["hist-a@example.com", "hist-b@example.com", "hist-account@example.com"]) {
        expect(usersCreated(email)).toHaveLength(1)
      }
      expect(purchasesOf("hist-a@example.com")).toHaveLength(2)
      expect(purchasesOf("hist-account@example.com")).toHaveLength(2)
      for (const id of [...old, ...accountOrders]) {
        const reward = await getReward(getContainer(), id)
        expect(reward).toMatchObject({ status: "synced", historical: true, points: 0, trigger: "import" })
        const [purchase] = woowup.sandbox.state.purchases.filter((p: any) => p.invoice_number === reward!.invoice_number)
        expect(purchase).toMatchObject({ points: 0 })
      }
      const [first] = purchasesOf("hist-b@example.com") as any[]
      expect(first.createtime.slice(0, 10)).toBe(created)
      expect(first.approvedtime.slice(0, 10)).toBe(created)
      expect(customer("hist-a@example.com")?.points ?? 0).toBe(0)

      // The recent order is live: its points, as usual.
      expect(await getReward(getContainer(), recent)).toMatchObject({ status: "synced", historical: false, points: 25 })
      expect(customer("hist-recent@example.com")?.points).toBe(25)

      // A refund of history takes back nothing, since nothing was given.
      const points = woowup.sandbox.requests.filter((r) => r.path === "/multiusers/points").length
      await afterEvent(getContainer(), PaymentEvents.REFUNDED, () => refundPayment(api, admin, old[2], { amount: 10 }))
      await waitForReward(getContainer(), old[2], (r) => Number(r.refunded_amount) === 10)
      expect(woowup.sandbox.requests.filter((r) => r.path === "/multiusers/points")).toHaveLength(points)
      expect(customer("hist-b@example.com")?.points ?? 0).toBe(0)

      // Done: an import of the same window finds everything in WoowUp.
      const again = await startImport(window)
      expect(await waitForImport(again.run.id)).toMatchObject({ status: "done", processed: 6, sent: 0, already_in_woowup: 6 })
    })

    it("imports history with points when asked", async () => {
      const [order] = await history(["hist-points@example.com"], 500)
      const { run } = await startImport({
        from: new Date(Date.now() - 501 * DAY_MS).toISOString(),
        to: new Date(Date.now() - 499 * DAY_MS).toISOString(),
        award_points: true,
      })
      expect(await waitForImport(run.id)).toMatchObject({ status: "done", total: 1, sent: 1 })
      expect(await getReward(getContainer(), order)).toMatchObject({ status: "synced", historical: false, points: 25 })
      expect(customer("hist-points@example.com")?.points).toBe(25)
    })

    it("pauses, resumes and cancels through the routes, one purchase per order; refuses bad bodies and a second import", async () => {
      const emails = Array.from({ length: 45 }, (_, i) => `pause-${i}@example.com`)
      await history(emails, 600)
      const narrow = {
        from: new Date(Date.now() - 601 * DAY_MS).toISOString(),
        to: new Date(Date.now() - 599 * DAY_MS).toISOString(),
      }
      const bad = async (body: unknown, message: RegExp, code = 400) => {
        const { status, data } = await api.post("/admin/woowup/imports", body, { ...admin, validateStatus: () => true } as any)
        expect({ status, message: data.message }).toEqual({ status: code, message: expect.stringMatching(message) })
      }
      await bad({ from: narrow.to, to: narrow.from }, /from must be before to/)
      await bad({ ...narrow, speed: "max" }, /speed/)
      await bad({ ...narrow, award_points: "yes" }, /award_points/)
      await bad({ to: narrow.to }, /from/)

      woowup.sandbox.setFaults({ latencyMs: 150 })
      const { run } = await startImport(narrow)
      await bad(narrow, /already (queued|running)/, 409)
      const running = await waitForImport(run.id, (r) => r.processed >= 8)
      expect(running.status).toBe("running")
      const paused = (await api.post(`/admin/woowup/imports/${run.id}/pause`, {}, admin)).data.import
      expect(paused.status).toBe("paused")
      // It stops after the orders in hand, its cursor written.
      const still = await settled(run.id)
      expect(still).toMatchObject({ status: "paused" })
      expect(still.processed).toBeLessThan(45)
      expect(still.last_order_id).toEqual(expect.any(String))
      expect(woowup.sandbox.state.purchases).toHaveLength(still.processed)
      await bad(narrow, /already paused/, 409)

      await api.post(`/admin/woowup/imports/${run.id}/resume`, {}, admin)
      woowup.sandbox.setFaults({})
      const done = await waitForImport(run.id)
      expect(done).toMatchObject({ status: "done", total: 45, processed: 45, sent: 45, failed: 0 })
      expect(woowup.sandbox.state.purchases).toHaveLength(45)
      expect(new Set(woowup.sandbox.state.purchases.map((p: any) => p.invoice_number)).size).toBe(45)
      const { status } = await api.post(`/admin/woowup/imports/${run.id}/resume`, {}, { ...admin, validateStatus: () => true } as any)
      expect(status).toBe(409)

      // Over: a new import of the window may start, and finds it all in WoowUp.
      const next = await startImport(narrow)
      expect(await waitForImport(next.run.id)).toMatchObject({ status: "done", processed: 45, already_in_woowup: 45 })
      const list = (await api.get(`/admin/woowup/imports?limit=2`, admin)).data
      expect(list).toMatchObject({ count: expect.any(Number), limit: 2, offset: 0 })
      expect(list.imports.map((i: any) => i.id)).toEqual([next.run.id, run.id])
      const cancel = await api.post(`/admin/woowup/imports/${run.id}/cancel`, {}, { ...admin, validateStatus: () => true } as any)
      expect(cancel.status).toBe(409)
      const csv = await api.get(`/admin/woowup/imports/${run.id}/failures.csv`, admin)
      expect(csv.headers["content-type"]).toMatch(/text\/csv/)
      expect(csv.data).toBe("order_id,reason\n")
    })

    it("keeps live orders first: an order captured during an import reaches WoowUp within seconds", async () => {
      const emails = Array.from({ length: 60 }, (_, i) => `busy-${i}@example.com`)
      await history(emails, 700)
      woowup.sandbox.setFaults({ latencyMs: 100 })
      const { run } = await startImport({
        from: new Date(Date.now() - 701 * DAY_MS).toISOString(),
        to: new Date(Date.now() - 699 * DAY_MS).toISOString(),
      })
      await waitForImport(run.id, (r) => r.processed >= 20)
      const order = await placeOrder(api, store, { email: "live@example.com", items: [{ variant_id: store.variants.standard, quantity: 1 }] })
      const captured = Date.now()
      await capturePayment(api, admin, order.id)
      let reached = 0
      for (let i = 0; i < 400 && !reached; i++) {
        if (purchasesOf("live@example.com").length) {
          reached = Date.now() - captured
        }
        await new Promise((r) => setTimeout(r, 25))
      }
      const during = await readImport(run.id)
      const canceled = (await api.post(`/admin/woowup/imports/${run.id}/cancel`, {}, admin)).data.import
      expect(canceled.status).toBe("canceled")
      expect(during.status).toBe("running")
      // It stops after the orders in hand, and sends nothing more.
      const stopped = await settled(run.id)
      expect(stopped).toMatchObject({ status: "canceled" })
      expect(stopped.processed).toBeLessThan(60)
      expect(reached).toBeGreaterThan(0)
      expect(reached).toBeLessThan(5_000)
      console.log(`live order during an import: in WoowUp ${reached} ms after its capture (import at ${during.processed}/${during.total})`)
    })

    it("answers 404 for an id that is not an import", async () => {
      const { status, data } = await api.get(`/admin/woowup/imports/wurun_nope`, { ...admin, validateStatus: () => true } as any)
      expect(status).toBe(404)
      expect(data.message).toMatch(/No import with id wurun_nope/)
    })
  },
})

jest.setTimeout(240_000)
