/**
 * Issue 9, Redis away: the server and two workers of the Redis-cluster test, on a `redis-server` of the test's own
 * (no persistence), which is killed in the middle of a burst of captures and started again 20 s later, empty: the
 * events queued in it, the reconcile lock and the shared rate-limit window are gone. No process may crash, nothing
 * may be doubled (one purchase per order), WoowUp may still see no 429 (while Redis is away each process keeps to
 * its share of the limit, `requestsPerMinute / processes`), and nothing may be lost: every captured order ends
 * `synced`.
 *
 * What a restart of an empty Redis costs, measured here on Medusa 2.21.2: events that were queued in it are gone,
 * and so are the scheduled jobs of the Redis workflow engine (registered once, when a worker starts), so the
 * reconcile job does not tick again until the workers restart. The orders whose events were lost are then found by
 * an admin resync over the window (`POST /admin/woowup/resync`), which this test runs as an admin would; the README
 * says to run Redis with persistence, or to restart the workers after Redis lost its data.
 *
 * Never touches the machine's shared Redis. Needs the `redis-server` binary; without it the test is skipped, and
 * says so.
 */
import { capturePayment, getOrderPayment, loginAdmin, placeOrder, type AuthHeaders, type PlacedOrder } from "../helpers"
import {
  createSeededApp,
  freePort,
  httpClient,
  logDirFor,
  MedusaProcess,
  medusaEnv,
  queryApp,
  waitFor,
  type SeededApp,
} from "../helpers/medusa-process"
import { PrivateRedis } from "../helpers/redis"
import { forEachLimit, onePerKey, summarizeTraffic } from "../helpers/sandbox-traffic"
import { startWoowupSandbox, type WoowupSandbox } from "../../src/sandbox"
import { woowupTime } from "../../src/sandbox/state"

jest.setTimeout(900_000)

const ORDERS = 20
const CUSTOMERS = 5
const LIMIT = 60
const OUTAGE_MS = 20_000
/** Stop Redis once this many purchases are in WoowUp. */
const STOP_AT_PURCHASES = 5

const log = (line: string) => process.stdout.write(`[redis-outage] ${line}\n`)
const haveRedisServer = PrivateRedis.available()
if (!haveRedisServer) {
  log("SKIPPED: no redis-server binary (apt-get install -y redis-server)")
}
const describeWithRedisServer = haveRedisServer ? describe : describe.skip

describeWithRedisServer("server and two workers while Redis is away for 20 s (issue 9)", () => {
  let app: SeededApp
  let sandbox: WoowupSandbox
  let redis: PrivateRedis
  let processes: MedusaProcess[] = []

  beforeAll(async () => {
    redis = new PrivateRedis(await freePort())
    await redis.start()
    app = await createSeededApp("outage", { log })
    sandbox = await startWoowupSandbox({ port: 0, requestsPerMinute: LIMIT, apiKey: `process-outage-${process.pid}-${Date.now()}` })
    const logDir = logDirFor("redis-outage")
    const env = medusaEnv({
      NODE_ENV: "production",
      DATABASE_URL: app.databaseUrl,
      WOOWUP_REDIS_MODULES: "true",
      REDIS_URL: redis.url,
      WOOWUP_API_URL: sandbox.url,
      WOOWUP_API_KEY: sandbox.apiKey,
      WOOWUP_OPTIONS: JSON.stringify({
        requestsPerMinute: LIMIT,
        processes: 3,
        timeoutMs: 10_000,
        retryBaseDelayMs: 200,
        retryMaxDelayMs: 2_000,
        reconcile: { schedule: "* * * * *" },
      }),
    })
    processes = [
      new MedusaProcess({ name: "server", env: { ...env, MEDUSA_WORKER_MODE: "server" }, port: await freePort(), logDir }),
      new MedusaProcess({ name: "worker-1", env: { ...env, MEDUSA_WORKER_MODE: "worker" }, port: await freePort(), logDir }),
      new MedusaProcess({ name: "worker-2", env: { ...env, MEDUSA_WORKER_MODE: "worker" }, port: await freePort(), logDir }),
    ]
    const t = Date.now()
    await Promise.all(processes.map((p) => p.start()))
    log(`server and 2 workers up in ${Date.now() - t} ms on redis-server :${redis.port}`)
  })

  afterAll(async () => {
    for (const p of processes) {
      await p.stop().catch(() => {})
    }
    await redis?.stop().catch(() => {})
    await sandbox?.close()
    await app?.drop().catch(() => {})
  })

  it("every order synced once, no crash and no 429 after Redis was away for 20 s", async () => {
    const [server] = processes
    const api = httpClient(server.url)
    const admin: AuthHeaders = await loginAdmin(api, app.admin)

    const emails = Array.from({ length: CUSTOMERS }, (_, i) => `outage.${i}@example.com`)
    for (const email of emails) {
      const now = woowupTime()
      sandbox.state.customers.push({ service_uid: `uid-${email}`, email, points: 0, createtime: now, updatetime: now })
    }
    let t = Date.now()
    const orders: PlacedOrder[] = []
    const perEmail = onePerKey()
    await forEachLimit(Array.from({ length: ORDERS }, (_, i) => emails[i % CUSTOMERS]), 6, async (email) => {
      const order = await perEmail(email, () => placeOrder(api, app.store, { email, items: [{ variant_id: app.store.variants.standard, quantity: 1 }] }))
      orders.push(order)
    })
    log(`${ORDERS} orders placed in ${Date.now() - t} ms`)

    // Redis goes away once purchases are flowing, for 20 s, and comes back empty.
    const since = Date.now()
    let outage: { from: number; to: number; purchasesBefore: number } | undefined
    const outageDone = (async () => {
      await waitFor("purchases to reach the outage point", async () => sandbox.state.purchases.length >= STOP_AT_PURCHASES, {
        timeoutMs: 300_000,
        intervalMs: 100,
      })
      const purchasesBefore = sandbox.state.purchases.length
      await redis.stop()
      const from = Date.now()
      log(`redis-server stopped (SIGKILL) at ${purchasesBefore} purchases`)
      await new Promise((r) => setTimeout(r, OUTAGE_MS))
      await redis.start()
      outage = { from, to: Date.now(), purchasesBefore }
      log(`redis-server started again, empty, after ${outage.to - from} ms`)
    })()

    // Half the captures before the outage, the rest whenever the server takes them (some while Redis is away).
    t = Date.now()
    const captureErrors: string[] = []
    await forEachLimit(orders, 4, async (order, i) => {
      if (i >= ORDERS / 2) {
        await new Promise((r) => setTimeout(r, 1_000))
      }
      await capturePayment(api, admin, order.id).catch((e) => captureErrors.push(`${order.id}: ${(e as Error).message}`))
    })
    log(`captures done in ${Date.now() - t} ms; ${captureErrors.length} failed${captureErrors.length ? `: ${captureErrors.slice(0, 3).join(" | ")}` : ""}`)
    await outageDone

    // A capture the server could not finish while Redis was away is done again, as an admin would.
    for (const order of orders) {
      const payment = await getOrderPayment(api, admin, order.id)
      if (!payment.captured_at && !(payment.captures ?? []).length) {
        await capturePayment(api, admin, order.id)
        log(`captured ${order.id} again after the outage`)
      }
    }

    const synced = async () => (await api.get(`/admin/woowup/rewards?status=synced&limit=1`, admin)).data.count as number
    // What the events that survived bring, until nothing changes for 10 s.
    let last = -1
    let stableSince = Date.now()
    const settleUntil = Date.now() + 120_000
    while (Date.now() < settleUntil && Date.now() - stableSince < 10_000) {
      const now = await synced()
      if (now !== last) {
        last = now
        stableSince = Date.now()
      }
      if (now === ORDERS) {
        break
      }
      await new Promise((r) => setTimeout(r, 1_000))
    }
    const jobRunsAfter = await queryApp<{ n: number }>(
      app.databaseUrl,
      `SELECT count(*)::int AS n FROM woowup_reconcile_run WHERE kind = 'job' AND created_at > $1`,
      [new Date(outage!.to)]
    )
    log(`${last} of ${ORDERS} synced without help; reconcile job runs since Redis came back: ${jobRunsAfter[0].n}`)

    // An admin's resync over the window finds what the lost events did not bring.
    if (last < ORDERS) {
      const { resync } = (
        await api.post(`/admin/woowup/resync`, { from: new Date(since - 3_600_000).toISOString(), to: new Date().toISOString() }, admin)
      ).data
      const run = await waitFor(
        `resync ${resync.id} to finish`,
        async () => {
          const { resync: r } = (await api.get(`/admin/woowup/resync/${resync.id}`, admin)).data
          return ["done", "failed"].includes(r.status) ? r : undefined
        },
        { timeoutMs: 180_000, intervalMs: 1_000 }
      )
      log(`resync ${run.id} ${run.status}: ${run.found} found, ${run.sent} sent, ${run.already_synced} already in WoowUp`)
      expect(run.status).toBe("done")
    }
    await waitFor(`all ${ORDERS} rewards to be synced`, async () => (await synced()) === ORDERS, { timeoutMs: 60_000, intervalMs: 1_000 })
    log(`all synced ${Date.now() - since} ms after the first capture, ${Date.now() - outage!.to} ms after Redis came back`)

    for (const order of orders) {
      const { woowup } = (await api.get(`/admin/woowup/orders/${order.id}`, admin)).data
      const purchases = sandbox.state.purchases.filter((p) => p.invoice_number === order.id)
      expect({ order: order.id, status: woowup.reward?.status, purchases: purchases.length }).toEqual({
        order: order.id,
        status: "synced",
        purchases: 1,
      })
    }
    expect(sandbox.state.purchases).toHaveLength(ORDERS)

    // No process crashed.
    for (const p of processes) {
      expect({ name: p.name, running: p.running }).toEqual({ name: p.name, running: true })
      expect(await fetch(`${p.url}/health`).then((r) => r.status)).toBe(200)
    }

    const traffic = summarizeTraffic(sandbox, { since })
    log(`WoowUp saw ${traffic.accepted} requests, ${traffic.tooMany} answered 429, at most ${traffic.maxInWindow} in any 60 s window`)
    log(`requests: ${JSON.stringify(traffic.byPath)}`)
    expect(traffic.tooMany).toBe(0)
    expect(traffic.maxInWindow).toBeLessThanOrEqual(LIMIT)

    const lines = processes.flatMap((p) => p.log().split("\n").map((l) => `${p.name}: ${l}`))
    const woowupLines = lines.filter((l) => /woowup:/.test(l) && /warn|error/i.test(l))
    log(`woowup warnings/errors: ${woowupLines.length}\n  ${woowupLines.slice(0, 15).join("\n  ")}`)
  })
})
