/**
 * Issue 22: a real `medusa start` killed (SIGKILL) in the middle of an import of the store's history, then started
 * again. Nothing mocked: the orders are made through Medusa's modules with no event (the plugin never saw them)
 * and dated back two years; WoowUp (the sandbox) answers in 150 ms, so the import is still under way when the
 * process dies. The new process must take the import up on its own (its heartbeat goes stale in 60 s; the job
 * ticks every minute) and finish it from its cursor: exactly one purchase per order, and counts that add up.
 */
import { loginAdmin, type AuthHeaders } from "../helpers"
import {
  createSeededApp,
  freePort,
  httpClient,
  logDirFor,
  MedusaProcess,
  medusaEnv,
  runMedusa,
  waitFor,
  type SeededApp,
} from "../helpers/medusa-process"
import { startWoowupSandbox, type WoowupSandbox } from "../../src/sandbox"
import { CLAIM_STALE_MS } from "../../src/modules/woowup/service"

jest.setTimeout(600_000)

const log = (line: string) => process.stdout.write(`[killed-mid-import] ${line}\n`)
const ORDERS = 60
const DAY_MS = 24 * 3_600_000

describe("a process killed mid-import (issue 22)", () => {
  let app: SeededApp
  let sandbox: WoowupSandbox
  const processes: MedusaProcess[] = []

  beforeAll(async () => {
    app = await createSeededApp("import", { log })
    sandbox = await startWoowupSandbox({ port: 0, requestsPerMinute: 600 })
  })

  afterAll(async () => {
    for (const p of processes) {
      await p.stop().catch(() => {})
    }
    await sandbox?.close()
    await app?.drop().catch(() => {})
  })

  it("resumes on its own in the new process and finishes with one purchase per order", async () => {
    const logDir = logDirFor("killed-mid-import")
    const env = medusaEnv({
      NODE_ENV: "production",
      DATABASE_URL: app.databaseUrl,
      WOOWUP_API_URL: sandbox.url,
      WOOWUP_API_KEY: sandbox.apiKey,
      WOOWUP_OPTIONS: JSON.stringify({ requestsPerMinute: 600, reconcile: { schedule: "* * * * *" } }),
    })
    let t = Date.now()
    await runMedusa(["exec", "./integration-tests/fixtures/history-orders.ts"], {
      ...env,
      HISTORY_STORE: JSON.stringify(app.store),
      HISTORY_ORDERS: String(ORDERS),
      HISTORY_DAYS_AGO: "730",
    })
    log(`${ORDERS} orders of two years ago made in ${Date.now() - t} ms`)
    sandbox.setFaults({ latencyMs: 150 })

    t = Date.now()
    const first = new MedusaProcess({ name: "first", env, port: await freePort(), logDir })
    processes.push(first)
    await first.start()
    log(`first process up in ${Date.now() - t} ms (pid ${first.pid})`)
    const api = httpClient(first.url)
    const admin: AuthHeaders = await loginAdmin(api, app.admin)
    const window = { from: new Date(Date.now() - 731 * DAY_MS).toISOString(), to: new Date(Date.now() - 729 * DAY_MS).toISOString() }
    const { data } = await api.post("/admin/woowup/imports", window, admin)
    const id = data.import.id
    expect(data.import).toMatchObject({ status: "queued", total: ORDERS })

    const running = await waitFor(
      "the import to be under way",
      async () => {
        const run = (await api.get(`/admin/woowup/imports/${id}`, admin)).data.import
        return run.processed >= 10 ? run : undefined
      },
      { timeoutMs: 120_000, intervalMs: 100 }
    )
    await first.kill("SIGKILL")
    const killedAt = Date.now()
    const sentBefore = sandbox.state.purchases.length
    log(`killed pid ${first.pid} at ${running.processed}/${ORDERS} orders (${sentBefore} purchases in WoowUp)`)
    expect(sentBefore).toBeLessThan(ORDERS)

    t = Date.now()
    const second = new MedusaProcess({ name: "second", env, port: await freePort(), logDir })
    processes.push(second)
    await second.start()
    log(`second process up in ${Date.now() - t} ms (pid ${second.pid})`)
    const api2 = httpClient(second.url)
    const admin2 = await loginAdmin(api2, app.admin)

    // Stale 60 s after the last heartbeat, then the next minute's job run; the rest of the import on top.
    let resumedAt = 0
    const done = await waitFor(
      "the import to finish in the new process",
      async () => {
        const run = (await api2.get(`/admin/woowup/imports/${id}`, admin2)).data.import
        if (!resumedAt && run.processed > running.processed) {
          resumedAt = Date.now()
        }
        return run.status === "done" ? run : undefined
      },
      { timeoutMs: CLAIM_STALE_MS + 60_000 + 150_000, intervalMs: 500 }
    )
    log(`resumed ${resumedAt - killedAt} ms after the kill; done ${Date.now() - killedAt} ms after it`)
    expect(resumedAt - killedAt).toBeLessThan(2 * 60_000 + 15_000)

    const invoices = sandbox.state.purchases.map((p) => p.invoice_number)
    expect(invoices).toHaveLength(ORDERS)
    expect(new Set(invoices).size).toBe(ORDERS)
    expect(sandbox.state.purchases.every((p) => p.points === 0)).toBe(true)
    expect(done).toMatchObject({ status: "done", total: ORDERS, processed: ORDERS, failed: 0, skipped: 0 })
    expect(done.sent + done.already_in_woowup).toBe(ORDERS)
    expect(second.log()).toMatch(new RegExp(`woowup: import ${id} done`))
  })
})
