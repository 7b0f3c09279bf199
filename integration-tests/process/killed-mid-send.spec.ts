/**
 * Issue 6: a Medusa process killed (SIGKILL, by pid) while its WoowUp call is in flight.
 *
 * Real OS processes, nothing mocked: `medusa start` of the app against a fresh database and the WoowUp sandbox.
 * The order's purchase is stored by WoowUp but its answer is lost (the socket is destroyed after the store), and the
 * retry hangs (timeoutMs 50 s, the most the options allow), so the process holds a pending claim with a call in
 * flight when it is killed. A new process must, within the stale-claim time (60 s) plus one run of the reconcile job (every minute here), take the
 * order again, find the purchase already in WoowUp (duplicated_purchase_number) and record it `synced`: exactly
 * one purchase in WoowUp.
 */
import { capturePayment, loginAdmin, placeOrder, type AuthHeaders } from "../helpers"
import {
  createSeededApp,
  freePort,
  httpClient,
  logDirFor,
  MedusaProcess,
  medusaEnv,
  waitFor,
  type SeededApp,
} from "../helpers/medusa-process"
import { startWoowupSandbox, type WoowupSandbox } from "../../src/sandbox"
import { CLAIM_STALE_MS } from "../../src/modules/woowup/service"

jest.setTimeout(600_000)

const log = (line: string) => process.stdout.write(`[killed-mid-send] ${line}\n`)
const CUSTOMER = { email: "killed.midsend@example.com", password: "secret-pass", first_name: "Kim", last_name: "Ortiz" }

describe("a process killed mid-send (issue 6)", () => {
  let app: SeededApp
  let sandbox: WoowupSandbox
  const processes: MedusaProcess[] = []

  beforeAll(async () => {
    const t = Date.now()
    app = await createSeededApp("kill", { log })
    log(`database ready in ${Date.now() - t} ms`)
    sandbox = await startWoowupSandbox({ port: 0 })
  })

  afterAll(async () => {
    for (const p of processes) {
      await p.stop().catch(() => {})
    }
    await sandbox?.close()
    await app?.drop().catch(() => {})
  })

  it("a new process records the order synced with exactly one purchase, within the stale time plus one job run", async () => {
    const logDir = logDirFor("killed-mid-send")
    const env = medusaEnv({
      NODE_ENV: "production",
      DATABASE_URL: app.databaseUrl,
      WOOWUP_API_URL: sandbox.url,
      WOOWUP_API_KEY: sandbox.apiKey,
      WOOWUP_OPTIONS: JSON.stringify({
        // The hanging retry must still be in flight when the process is killed.
        timeoutMs: 50_000,
        maxRetries: 2,
        retryBaseDelayMs: 50,
        retryMaxDelayMs: 200,
        reconcile: { schedule: "* * * * *" },
      }),
    })

    // The customer is already in WoowUp: the order's first call is its POST /purchases.
    const created = await fetch(`${sandbox.url}/users`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Basic ${sandbox.apiKey}` },
      body: JSON.stringify({ email: CUSTOMER.email, first_name: CUSTOMER.first_name, last_name: CUSTOMER.last_name }),
    })
    expect(created.status).toBe(201)
    // The purchase is stored and its answer lost; the retry (duplicated_purchase_number would answer it) hangs.
    sandbox.setFaults({
      script: [
        { method: "POST", path: "/purchases", fault: "drop-after-store" },
        { method: "POST", path: "/purchases", fault: "hang" },
      ],
    })

    let t = Date.now()
    const first = new MedusaProcess({ name: "first", env, port: await freePort(), logDir })
    processes.push(first)
    await first.start()
    log(`first process up in ${Date.now() - t} ms (pid ${first.pid})`)

    const api = httpClient(first.url)
    const admin: AuthHeaders = await loginAdmin(api, app.admin)
    const order = await placeOrder(api, app.store, { customer: CUSTOMER, items: [{ variant_id: app.store.variants.standard, quantity: 2 }] })
    await capturePayment(api, admin, order.id)
    const invoice = order.id

    // The purchase is stored, and the process is waiting on the hanging retry with its claim pending.
    await waitFor("the retry of POST /purchases to hang", async () =>
      sandbox.requests.some((r) => r.path === "/purchases" && r.status === "hang" && (r.body as any)?.invoice_number === invoice)
    )
    expect(sandbox.state.purchases.filter((p) => p.invoice_number === invoice)).toHaveLength(1)
    const before = (await api.get(`/admin/woowup/orders/${order.id}`, admin)).data.woowup
    expect(before.reward).toMatchObject({ status: "pending", trigger: "payment_captured" })

    const pid = first.pid!
    await first.kill("SIGKILL")
    const killedAt = Date.now()
    expect(() => process.kill(pid, 0)).toThrow()
    log(`killed pid ${pid} with SIGKILL while its POST /purchases was in flight`)

    t = Date.now()
    const second = new MedusaProcess({ name: "second", env, port: await freePort(), logDir })
    processes.push(second)
    await second.start()
    log(`second process up in ${Date.now() - t} ms (pid ${second.pid})`)
    const api2 = httpClient(second.url)
    const admin2 = await loginAdmin(api2, app.admin)

    // Stale after 60 s without a heartbeat, then the next minute's job run; a few seconds for a busy CI on top.
    const budgetMs = CLAIM_STALE_MS + 60_000 + 30_000
    const after = await waitFor(
      "the order's reward to be synced by the new process",
      async () => {
        const { woowup } = (await api2.get(`/admin/woowup/orders/${order.id}`, admin2)).data
        // Synced, and the run's last write (the payments WoowUp now matches) done.
        return woowup.reward?.status === "synced" && !woowup.needs_resync ? woowup : undefined
      },
      { timeoutMs: budgetMs, intervalMs: 1_000 }
    )
    const recoveredMs = Date.now() - killedAt
    log(`synced ${recoveredMs} ms after the kill`)

    // Exactly one purchase, with the points the record says.
    const purchases = sandbox.state.purchases.filter((p) => p.invoice_number === invoice)
    expect(purchases).toHaveLength(1)
    expect(after.reward).toMatchObject({
      status: "synced",
      trigger: "reconcile",
      invoice_number: invoice,
      points: purchases[0].points,
    })
    expect(after.points.awarded).toBe(purchases[0].points)
    expect(after.needs_resync).toBe(false)
    // The new process sent again and WoowUp refused the duplicate: that is how it knew.
    const sends = sandbox.requests.filter((r) => r.path === "/purchases" && r.method === "POST" && (r.body as any)?.invoice_number === invoice)
    expect(sends.map((r) => r.status)).toEqual(["dropped", "hang", 409])
    // Not before the claim went stale, and within the stale time plus one job run (and some slack).
    expect(recoveredMs).toBeGreaterThanOrEqual(CLAIM_STALE_MS - 20_000)
    // The job run that took it ends after its other phases (the feeds, WoowUp's integration stats).
    await waitFor("the reconcile run's end in the log", async () => /woowup: reconcile wurun_\w+ done/.test(second.log()), {
      timeoutMs: 60_000,
    })
  })
})
