/**
 * `npm run demo`: the whole reward path on a machine with nothing set up.
 *
 * Starts an embedded PostgreSQL (unless DATABASE_URL / DB_HOST name one) and the WoowUp sandbox (unless
 * WOOWUP_API_KEY names a real account), migrates a fresh database, seeds a store, boots the app with
 * `medusa start`, places an order as a customer through the store API, captures it as an admin through the
 * admin API, and prints what WoowUp received and the order's reward record. With the sandbox it then shows an
 * order captured while WoowUp is down caught up by the reconcile job, and an order WoowUp refused sent by an
 * admin's resync. `--serve` keeps everything up.
 */
import { spawn, type ChildProcess } from "node:child_process"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { MedusaError } from "@medusajs/framework/utils"
import { Client } from "pg"
import {
  capturePayment,
  httpClient,
  loginAdmin,
  placeOrder,
  type HttpClient,
  type SeededStore,
} from "../integration-tests/helpers"
import { startWoowupSandbox, type WoowupSandbox } from "../src/sandbox"
import { summarizeCustomer, summarizePurchase, summarizeRequests, summarizeReward } from "./demo-summary"

const serve = process.argv.includes("--serve")
const root = path.resolve(__dirname, "..")
const children: ChildProcess[] = []
const cleanups: Array<() => Promise<void>> = []

const say = (line = "") => process.stdout.write(`${line}\n`)
const step = (line: string) => say(`\n▸ ${line}`)

async function main() {
  const started = Date.now()
  // services.mjs is shared with `npm test`; it is an ES module.
  const { ensureDatabase, freePort } = await import(path.join(root, "scripts/services.mjs"))

  step("Database")
  const db = await ensureDatabase({ log: say })
  cleanups.push(db.stop)
  const databaseUrl = await createDemoDatabase()
  say(`  ${redact(databaseUrl)}`)

  step("WoowUp")
  let sandbox: WoowupSandbox | undefined
  if (process.env.WOOWUP_API_KEY) {
    say(`  using WOOWUP_API_KEY against ${process.env.WOOWUP_API_URL ?? "https://api.woowup.com/apiv3"}`)
  } else {
    sandbox = await startWoowupSandbox({ port: serve ? Number(process.env.WOOWUP_SANDBOX_PORT ?? 8787) : 0 })
    cleanups.push(() => sandbox!.close())
    say(`  sandbox on ${sandbox.url} (inspect: ${sandbox.controlUrl}/state)`)
  }

  const port = await freePort()
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    WOOWUP_DEMO: "true",
    MEDUSA_DISABLE_TELEMETRY: "true",
    MEDUSA_ADMIN_DISABLE: process.env.MEDUSA_ADMIN_DISABLE ?? "true",
    ...(sandbox
      ? {
          WOOWUP_API_URL: sandbox.url,
          WOOWUP_API_KEY: sandbox.apiKey,
          // Failures show quickly, and the reconcile job runs every minute rather than every quarter hour.
          WOOWUP_OPTIONS: JSON.stringify({ maxRetries: 1, retryBaseDelayMs: 200, reconcile: { schedule: "* * * * *" } }),
        }
      : {}),
  }

  step("Migrating (Medusa core and the plugin's woowup_reward table)")
  await medusa(["db:migrate"], env)

  step("Seeding a store and an admin user")
  const seedOut = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "woowup-demo-")), "seed.json")
  await medusa(["exec", "./scripts/demo-seed.ts"], { ...env, DEMO_SEED_OUT: seedOut })
  const { store, admin: credentials } = JSON.parse(fs.readFileSync(seedOut, "utf8")) as {
    store: SeededStore
    admin: { email: string; password: string }
  }
  say(`  region ${store.currencyCode.toUpperCase()}, publishable key ${store.publishableKey}`)

  step(`Starting Medusa on http://localhost:${port}`)
  await startMedusa(env, port)
  const api = httpClient(`http://localhost:${port}`)

  step("A customer places an order through the store API")
  const order = await placeOrder(api, store, {
    customer: {
      email: "ana.garcia@example.com",
      password: "demo-password",
      first_name: "Ana",
      last_name: "García",
      phone: "+5491155550000",
    },
    items: [
      { variant_id: store.variants.standard, quantity: 2 },
      { variant_id: store.variants.oddSku, quantity: 1 },
    ],
  })
  say(`  order #${order.display_id} (${order.id}): ${order.total} ${order.currency_code.toUpperCase()}, payment authorized`)
  const admin = await loginAdmin(api, credentials)
  say(`  reward record now: ${summarizeReward(await readReward(api, admin, order.id))}`)

  step("An admin captures the payment through the admin API")
  await capturePayment(api, admin, order.id)
  const reward = await waitForReward(api, admin, order.id)

  step("What WoowUp received")
  if (sandbox) {
    const purchase = sandbox.state.purchases.find((p) => p.invoice_number === reward?.invoice_number)
    const customer = sandbox.state.customers.find((c) => c.email === reward?.identity)
    say(`  customer: ${summarizeCustomer(customer)}`)
    say(`  purchase: ${summarizePurchase(purchase).join("\n  ")}`)
    say(`  calls: ${summarizeRequests(sandbox.requests)}`)
    say(`  (everything WoowUp holds: ${sandbox.controlUrl}/state, while the demo runs)`)
  } else {
    say("  (a real WoowUp account: see the purchase in WoowUp's admin)")
  }

  step("The order's reward record (GET /admin/orders/:id?fields=*woowup_reward)")
  say(`  ${summarizeReward(reward)}`)

  if (reward?.status !== "synced") {
    throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `the order's reward is ${reward?.status ?? "missing"}, expected synced`)
  }
  if (sandbox) {
    await showCatchUp(api, admin, store, sandbox)
  }
  say(`\n✔ Demo done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${sandbox ? 3 : 1} orders captured, 1 purchase each in WoowUp.`)

  if (serve) {
    say(`\nServing. Store/admin API: http://localhost:${port} (admin ${credentials.email} / ${credentials.password})`)
    if (sandbox) {
      say(`WoowUp sandbox: ${sandbox.url} (key ${sandbox.apiKey}); state at ${sandbox.controlUrl}/state`)
    }
    say("Ctrl-C to stop.")
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve)
      process.once("SIGTERM", resolve)
    })
  }
}

/**
 * WoowUp down while an order is captured: the reconcile job catches it up once WoowUp is back. WoowUp refusing an
 * order: an admin's resync sends it once the cause is fixed.
 */
async function showCatchUp(api: HttpClient, admin: { headers: Record<string, string> }, store: SeededStore, sandbox: WoowupSandbox) {
  const items = [{ variant_id: store.variants.standard, quantity: 1 }]

  step("WoowUp is down while a second order is captured")
  sandbox.setFaults({ errorRate: 1, errorStatuses: [503] })
  const late = await placeOrder(api, store, { email: "luis@example.com", items })
  await capturePayment(api, admin, late.id)
  say(`  reward record: ${summarizeReward(await waitForReward(api, admin, late.id))}`)
  sandbox.setFaults({})
  say("  WoowUp is back. The reconcile job (every minute in this demo) takes the order once its retry is due...")
  const caught = await waitForReward(api, admin, late.id, (r) => r.status === "synced", 180_000)
  say(`  reward record: ${summarizeReward(caught)} (trigger ${caught?.trigger})`)
  // The record turns synced while its run is still going (it writes its duration when it ends): wait for its end.
  const run = await waitForRun(api, admin, (r) => r.kind === "job" && r.sent > 0 && r.finished_at !== null)
  say(`  the reconcile run that sent it: ${run ? `${run.found} found, ${run.sent} sent, ${run.failed} failed in ${run.duration_ms} ms` : "none within 60 s"}`)

  step("WoowUp refuses a third order; the admin fixes the cause and resyncs it")
  sandbox.setFaults({ script: [{ method: "POST", path: "/purchases", fault: 400 }] })
  const refused = await placeOrder(api, store, { email: "marta@example.com", items })
  await capturePayment(api, admin, refused.id)
  say(`  reward record: ${summarizeReward(await waitForReward(api, admin, refused.id))}`)
  sandbox.setFaults({})
  const { data } = await api.post("/admin/woowup/resync", { order_ids: [refused.id] }, admin)
  say(`  POST /admin/woowup/resync → ${data.resync.status}, ${data.resync.found} order to send (run ${data.resync.id})`)
  const resynced = await waitForReward(api, admin, refused.id, (r) => r.status === "synced")
  say(`  reward record: ${summarizeReward(resynced)} (trigger ${resynced?.trigger})`)
  for (const order of [late, refused]) {
    const count = sandbox.state.purchases.filter((p) => p.invoice_number === order.id).length
    if (count !== 1) {
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `order ${order.id} has ${count} purchases in WoowUp, expected 1`)
    }
  }
}

/** A fresh database for this run, on whatever server DATABASE_URL or DB_* point at. */
async function createDemoDatabase(): Promise<string> {
  const base = process.env.DATABASE_URL
    ? new URL(process.env.DATABASE_URL)
    : new URL(
        `postgres://${process.env.DB_USERNAME ?? "postgres"}:${process.env.DB_PASSWORD ?? ""}@${process.env.DB_HOST}:${process.env.DB_PORT ?? 5432}/postgres`
      )
  const name = `medusa_woowup_demo_${Date.now()}`
  const admin = new URL(base.toString())
  admin.pathname = "/postgres"
  const client = new Client({ connectionString: admin.toString() })
  await client.connect()
  await client.query(`CREATE DATABASE "${name}"`)
  await client.end()
  if (!serve) {
    cleanups.push(async () => {
      const c = new Client({ connectionString: admin.toString() })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await c.end()
    })
  }
  const url = new URL(base.toString())
  url.pathname = `/${name}`
  return url.toString()
}

// Asynchronous on purpose: this process must keep reading the embedded Postgres' output while Medusa runs.
async function medusa(args: string[], env: NodeJS.ProcessEnv) {
  let output = ""
  const child = spawn("npx", ["medusa", ...args], { cwd: root, env })
  child.stdout.on("data", (d) => (output += d))
  child.stderr.on("data", (d) => (output += d))
  const status = await new Promise<number | null>((resolve) => child.on("exit", resolve))
  if (status !== 0) {
    process.stderr.write(output)
    throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `medusa ${args.join(" ")} failed (exit ${status})`)
  }
}

async function startMedusa(env: NodeJS.ProcessEnv, port: number) {
  const log = path.join(os.tmpdir(), `woowup-demo-medusa-${port}.log`)
  const out = fs.openSync(log, "w")
  const child = spawn("npx", ["medusa", "start"], { cwd: root, env, stdio: ["ignore", out, out], detached: true })
  children.push(child)
  const until = Date.now() + 120_000
  while (Date.now() < until) {
    if (child.exitCode !== null) {
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `medusa start exited (${child.exitCode}); see ${log}`)
    }
    const ok = await fetch(`http://localhost:${port}/health`).then((r) => r.ok, () => false)
    if (ok) {
      say(`  up (log: ${log})`)
      return
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `medusa start did not answer /health within 120 s; see ${log}`)
}

async function readReward(api: HttpClient, admin: { headers: Record<string, string> }, orderId: string) {
  const { data } = await api.get(`/admin/orders/${orderId}?fields=id,*woowup_reward`, admin)
  return data.order.woowup_reward ?? null
}

async function waitForReward(
  api: HttpClient,
  admin: { headers: Record<string, string> },
  orderId: string,
  done: (reward: { status: string }) => boolean = (r) => !["pending", "skipped"].includes(r.status),
  timeoutMs = 30_000
) {
  const until = Date.now() + timeoutMs
  let reward = null
  while (Date.now() < until) {
    reward = await readReward(api, admin, orderId)
    if (reward && done(reward)) {
      return reward
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  return reward
}

type Run = { kind: string; found: number; sent: number; failed: number; duration_ms: number | null; finished_at: string | null }

/** The newest reconcile run that `done` accepts, as `GET /admin/woowup/status` lists them; null after `timeoutMs`. */
async function waitForRun(api: HttpClient, admin: { headers: Record<string, string> }, done: (run: Run) => boolean, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    const { data } = await api.get("/admin/woowup/status", admin)
    const run = (data.status.runs as Run[]).find(done)
    if (run) {
      return run
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  return null
}

function redact(url: string) {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@")
}

async function shutdown() {
  for (const child of children) {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM")
      } catch {
        // already gone
      }
    }
  }
  for (const cleanup of cleanups.reverse()) {
    await cleanup().catch(() => {})
  }
}

main()
  .then(shutdown)
  .then(() => process.exit(0))
  .catch(async (e) => {
    process.stderr.write(`\n✘ Demo failed: ${e instanceof Error ? e.message : String(e)}\n`)
    await shutdown()
    process.exit(1)
  })
