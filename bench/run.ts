/**
 * `npm run bench`: how close the plugin gets to WoowUp's 140 requests a minute without a wasted call, and how little
 * it costs the store it runs in. Runs on the embedded defaults (an embedded PostgreSQL unless DATABASE_URL / DB_HOST
 * name one, the WoowUp sandbox, the machine's Redis for the three-process run when one answers), prints a table and
 * writes it as JSON (`bench/results.json`).
 *
 *   npm run bench                      # the default run (about 10 minutes on 2 cores)
 *   npm run bench -- --orders 20000    # a larger catch-up
 *   npm run bench -- --smoke           # tiny numbers, to check it works (part of `npm test`)
 *
 * Options: --orders N (missed orders to catch up, default 2000), --rpm R (the sandbox's and the plugin's limit for
 * the catch-up, default: the catch-up's calls in a minute, at most 1,000), --captures K (capture pairs, default 100),
 * --query-orders Q (orders for the job's query, default 100000), --repeat K (orders per calls scenario, default 3),
 * --concurrency C (the catch-up's reconcile.concurrency, default R / 125, at least 4),
 * --only calls,query,capture,catchup,cluster (parts to run), --out FILE.
 */
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { MedusaError } from "@medusajs/framework/utils"
import { loginAdmin, type AuthHeaders } from "../integration-tests/helpers"
import {
  createSeededApp,
  freePort,
  httpClient,
  medusaEnv,
  REPO,
  runMedusa,
  type SeededApp,
} from "../integration-tests/helpers/medusa-process"
import { claimRedisDatabase, redisAnswers, TEST_REDIS_URL } from "../integration-tests/helpers/redis"
import { summarizeTraffic } from "../integration-tests/helpers/sandbox-traffic"
import { startWoowupSandbox, type WoowupSandbox } from "../src/sandbox"
import { woowupTime } from "../src/sandbox/state"
import { HeapProbe } from "./inspector"
import { timedCapture, watchStoredPurchases } from "./capture-timing"
import { captureUnderFlood, floodRow, type FloodFigures } from "./storefront-flood"
import { BenchProcess, cpuSecondsOf, machineCpu, pluginOffApp } from "./processes"
import type { AgentInput, AgentOutput, BenchCustomer, CallsFigure, QueryCountFigures, QueryFigures } from "./types"
import { percentile, round } from "./util"

// ---------------------------------------------------------------------------------------------------------------
// Options

type Part = "calls" | "query" | "capture" | "catchup" | "cluster"
const ALL_PARTS: Part[] = ["calls", "query", "capture", "catchup", "cluster"]

function parseArgs(argv: string[]) {
  const flag = (name: string) => argv.includes(`--${name}`)
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`)
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
  }
  const int = (name: string, fallback: number) => {
    const v = value(name)
    if (v === undefined) {
      return fallback
    }
    const n = Number(v)
    if (!Number.isInteger(n) || n < 1) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `--${name} must be a positive integer, got ${v}`)
    }
    return n
  }
  const smoke = flag("smoke")
  const orders = int("orders", smoke ? 20 : 2000)
  const parts = (value("only")?.split(",") ?? ALL_PARTS) as Part[]
  for (const p of parts) {
    if (!ALL_PARTS.includes(p)) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `--only: unknown part ${p} (${ALL_PARTS.join(", ")})`)
    }
  }
  return {
    smoke,
    orders,
    rpm: value("rpm") ? int("rpm", 140) : undefined,
    captures: int("captures", smoke ? 2 : 100),
    warmup: smoke ? 1 : 10,
    queryOrders: int("query-orders", smoke ? 2000 : 100_000),
    repeat: int("repeat", smoke ? 1 : 3),
    concurrency: value("concurrency") ? int("concurrency", 4) : undefined,
    parts,
    out: value("out") ?? (smoke ? path.join(REPO, ".tmp", "bench", "results.smoke.json") : path.join(REPO, "bench", "results.json")),
  }
}

const args = parseArgs(process.argv.slice(2))
const started = Date.now()
const say = (line = "") => process.stdout.write(`${line}\n`)
const step = (line: string) => say(`\n▸ ${line} (${((Date.now() - started) / 1000).toFixed(0)} s)`)
const WORK = path.join(REPO, ".tmp", "bench")
const cleanups: Array<() => Promise<unknown>> = []
const CPU_SAFE_RPM = 1000

/** Targets the figures are read against (the issue's). */
const TARGETS = {
  rateShare: 0.95,
  returningCalls: 1,
  captureOverhead: 1.05,
  captureToWoowupP50Ms: 1000,
  queryPageMs: 50,
  /** Resident memory may grow this much from the first half of the catch-up to the second, and be called flat. */
  memoryGrowthMb: 25,
}

// ---------------------------------------------------------------------------------------------------------------
// Figures

type CatchupFigures = {
  processes: string
  orders: number
  rpm_limit: number
  woowup_requests: number
  requests_per_min: number
  share_of_limit: number
  max_in_60s_window: number
  too_many_429: number
  orders_per_min: number
  total_s: number
  calls_per_order: number
  /** Seconds from the resync's POST to the first request WoowUp saw. */
  first_request_after_s: number
  /** Requests a minute ÷ R from the first request to the last (the limiter's own pace). */
  share_while_sending: number
  purchases: number
  by_path: Record<string, number>
  reconcile_concurrency: number
  /** CPU each Medusa process used during the catch-up, in % of one core. */
  cpu_percent_of_a_core: Record<string, number>
  /** How busy the whole machine was meanwhile (all cores; other users' work included), in %. */
  machine_busy_percent: number
  handled_by?: Record<string, string>
  memory?: MemoryFigures
  note?: string
}

type MemoryFigures = {
  process: string
  before_mb: number
  peak_mb: number
  after_mb: number
  /** Peak while the first half of the orders was sent, and while the second half was. */
  first_half_peak_mb: number
  second_half_peak_mb: number
  growth_mb: number
  /** Heap in use right after a full garbage collection (V8 inspector), before, halfway, at the end, 10 s after. */
  live_heap?: { before_mb: number; half_mb: number; end_mb: number; after_mb: number; growth_half_to_end_mb: number; gc_pause_ms: number[] }
  samples: Array<{ s: number; rss_mb: number; done: number }>
}

type CaptureFigures = {
  pairs: number
  samples: { on: number[]; off: number[] }
  plugin_on: { p50_ms: number; p95_ms: number }
  plugin_off: { p50_ms: number; p95_ms: number }
  p50_ratio: number
  p95_ratio: number
  /** Median over the pairs of (with − without): what the plugin adds to one capture, paired against the noise. */
  median_paired_diff_ms: number
  mean_ratio: number
  min_ms: { on: number; off: number }
  capture_to_woowup: { p50_ms: number; p95_ms: number; max_ms: number; latency_ms: number }
  plugin_off_is: string
}

type Results = {
  machine: {
    cpus: number
    cpu_model: string
    memory_gb: number
    node: string
    platform: string
    load_avg_at_start: number[]
    load_avg_at_end?: number[]
  }
  date: string
  options: ReturnType<typeof parseArgs>
  duration_s?: number
  calls?: { scenarios: CallsFigure[]; woowup_connectors_per_order: number }
  catchup?: { one_process?: CatchupFigures; three_processes?: CatchupFigures | { skipped: string } }
  capture?: CaptureFigures
  flood?: FloodFigures
  query?: Omit<QueryFigures, "plan"> & { plan: string[] }
  queries_per_redelivered_event?: QueryCountFigures
  table?: string
  misses?: string[]
}

const results: Results = {
  machine: {
    cpus: os.cpus().length,
    cpu_model: os.cpus()[0]?.model ?? "unknown",
    memory_gb: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    load_avg_at_start: os.loadavg().map((l) => round(l, 2)),
  },
  date: new Date().toISOString(),
  options: args,
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

async function agent(app: SeededApp, input: AgentInput[], env: Record<string, string | undefined>, timeoutMs: number): Promise<AgentOutput[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "woowup-bench-agent-"))
  const inFile = path.join(dir, "in.json")
  const outFile = path.join(dir, "out.json")
  fs.writeFileSync(inFile, JSON.stringify(input))
  const output = await runMedusa(
    ["exec", "./bench/agent.ts"],
    medusaEnv({
      NODE_ENV: "production",
      DATABASE_URL: app.databaseUrl,
      REDIS_URL: undefined,
      WOOWUP_REDIS_MODULES: undefined,
      BENCH_AGENT_IN: inFile,
      BENCH_AGENT_OUT: outFile,
      ...env,
    }),
    timeoutMs
  )
  for (const line of output.split("\n").filter((l) => l.includes("[bench agent]"))) {
    say(`  ${line.replace(/^.*\[bench agent\] /, "")}`)
  }
  const out = JSON.parse(fs.readFileSync(outFile, "utf8")) as AgentOutput[]
  fs.rmSync(dir, { recursive: true, force: true })
  return out
}

/** A database cloned from `source` (which nobody may be connected to). */
async function cloneDatabase(source: SeededApp, name: string): Promise<SeededApp> {
  const { Client } = await import("pg")
  const admin = new URL(source.databaseUrl)
  const sourceName = admin.pathname.slice(1)
  admin.pathname = "/postgres"
  const client = new Client({ connectionString: admin.toString() })
  await client.connect()
  const target = `${sourceName.slice(0, 40)}_${name}`
  try {
    await client.query(`DROP DATABASE IF EXISTS "${target}" WITH (FORCE)`)
    await client.query(`CREATE DATABASE "${target}" TEMPLATE "${sourceName}"`)
  } finally {
    await client.end()
  }
  const url = new URL(source.databaseUrl)
  url.pathname = `/${target}`
  return {
    ...source,
    databaseUrl: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: admin.toString() })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS "${target}" WITH (FORCE)`).catch(() => {})
      await c.end()
    },
  }
}

function pluginEnv(app: SeededApp, sandbox: WoowupSandbox, options: Record<string, unknown>, extra: Record<string, string | undefined> = {}) {
  return medusaEnv({
    NODE_ENV: "production",
    DATABASE_URL: app.databaseUrl,
    REDIS_URL: undefined,
    WOOWUP_REDIS_MODULES: undefined,
    WOOWUP_API_URL: sandbox.url,
    WOOWUP_API_KEY: sandbox.apiKey,
    WOOWUP_OPTIONS: JSON.stringify(options),
    // For looking into a run (e.g. --cpu-prof, --trace-gc); unset in normal runs.
    NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS,
    ...extra,
  })
}

/** Customers for the missed orders: one per 10 orders, the first half of them already known to WoowUp. */
function missedOrderCustomers(orders: number): { customers: BenchCustomer[]; known: BenchCustomer[] } {
  const count = Math.max(10, Math.round(orders / 10))
  const stamp = Date.now().toString(36)
  const customers = Array.from({ length: count }, (_, i) => ({
    email: `missed.${i}.${stamp}@example.com`,
    first_name: "Missed",
    last_name: `Order ${i}`,
    phone: `+5698${String(i).padStart(7, "0")}`,
  }))
  return { customers, known: customers.slice(0, Math.ceil(count / 2)) }
}

function addKnownCustomers(sandbox: WoowupSandbox, known: BenchCustomer[]) {
  const now = woowupTime()
  for (const c of known) {
    sandbox.state.customers.push({
      service_uid: `uid-${c.email}`,
      email: c.email,
      first_name: c.first_name,
      last_name: c.last_name,
      points: 0,
      createtime: now,
      updatetime: now,
    })
  }
}

/** Resident memory of processes over time, with how many purchases WoowUp holds at each sample. */
function sampleMemory(processes: BenchProcess[], done: () => number, intervalMs = 500) {
  const t0 = performance.now()
  const samples = new Map<string, Array<{ s: number; rss_mb: number; done: number }>>()
  const take = () => {
    for (const p of processes) {
      const rss = p.rssMb()
      if (rss !== null) {
        const list = samples.get(p.name) ?? []
        list.push({ s: round((performance.now() - t0) / 1000, 1), rss_mb: round(rss, 1), done: done() })
        samples.set(p.name, list)
      }
    }
  }
  take()
  const timer = setInterval(take, intervalMs)
  return {
    samples,
    stop: () => {
      take()
      clearInterval(timer)
    },
  }
}

function memoryFigures(name: string, samples: Array<{ s: number; rss_mb: number; done: number }>, startS: number, endS: number, total: number): MemoryFigures {
  const before = samples.filter((x) => x.s <= startS)
  const during = samples.filter((x) => x.s > startS && x.s <= endS)
  const after = samples.filter((x) => x.s > endS)
  const max = (xs: typeof samples) => (xs.length ? Math.max(...xs.map((x) => x.rss_mb)) : NaN)
  const first = max(during.filter((x) => x.done <= total / 2))
  const second = max(during.filter((x) => x.done > total / 2))
  return {
    process: name,
    before_mb: before.length ? before[before.length - 1].rss_mb : NaN,
    peak_mb: max(during),
    after_mb: after.length ? after[after.length - 1].rss_mb : NaN,
    first_half_peak_mb: first,
    second_half_peak_mb: second,
    growth_mb: round(second - first, 1),
    // A sample every 5 s is enough to show the shape.
    samples: samples.filter((_, i) => i % 10 === 0 || i === samples.length - 1),
  }
}

async function waitUntil<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, intervalMs = 250): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await check()
    if (v !== undefined && v !== false) {
      return v as T
    }
    if (Date.now() > until) {
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `timed out after ${timeoutMs / 1000} s waiting for ${what}`)
    }
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Parts

/**
 * The catch-up: a resync over the window of the missed orders (as an admin asks for a backfill), carried out in the
 * background by the process that handles `woowup.resync_requested` (one process: itself; server + workers: a worker;
 * two windows, so that both workers may take one). Timed from the first POST to the last run's end.
 */
async function catchUp(opts: {
  label: string
  api: ReturnType<typeof httpClient>
  admin: AuthHeaders
  sandbox: WoowupSandbox
  windows: Array<{ from: string; to: string }>
  orders: number
  rpm: number
  concurrency: number
  memoryOf: BenchProcess[]
  /** Processes whose CPU is reported. */
  cpuOf: BenchProcess[]
  probe?: HeapProbe
}): Promise<CatchupFigures> {
  const { api, admin, sandbox } = opts
  const purchasesBefore = sandbox.state.purchases.length
  const done = () => sandbox.state.purchases.length - purchasesBefore
  const memory = sampleMemory(opts.memoryOf, done)
  const t0 = performance.now()
  // Resident memory before: a few samples of the idle process.
  await new Promise((r) => setTimeout(r, args.smoke ? 1_000 : 2_000))
  const heap: Array<{ heap_used_mb: number; rss_mb: number; gc_ms: number }> = []
  if (opts.probe) {
    heap.push(await opts.probe.liveHeap())
  }
  const startS = (performance.now() - t0) / 1000
  const since = Date.now()
  const startedAt = performance.now()
  const cpuOf = (procs: BenchProcess[]) => Object.fromEntries(procs.map((p) => [p.name, p.pid ? cpuSecondsOf(p.pid) : null]))
  const cpuBefore = cpuOf(opts.cpuOf)
  const machineBefore = machineCpu()
  const runs: string[] = []
  for (const w of opts.windows) {
    const { data } = await api.post("/admin/woowup/resync", { from: w.from, to: w.to }, admin)
    runs.push(data.resync.id)
  }
  let lastLog = 0
  const finished = await waitUntil(
    "the catch-up to finish",
    async () => {
      if (opts.probe && heap.length === 1 && done() >= opts.orders / 2) {
        heap.push(await opts.probe.liveHeap())
      }
      const states = await Promise.all(runs.map(async (id) => (await api.get(`/admin/woowup/resync/${id}`, admin)).data.resync))
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now()
        say(`  ${done()}/${opts.orders} purchases in WoowUp, ${sandbox.requests.filter((r) => r.time >= since).length} requests, ${((performance.now() - startedAt) / 1000).toFixed(0)} s`)
      }
      return states.every((s) => s.status === "done" || s.status === "failed") ? states : undefined
    },
    30 * 60_000,
    200
  )
  const totalMs = performance.now() - startedAt
  const endS = (performance.now() - t0) / 1000
  const cpuAfter = cpuOf(opts.cpuOf)
  const machineAfter = machineCpu()
  if (opts.probe) {
    heap.push(await opts.probe.liveHeap())
  }
  // Resident memory after: the process idle again.
  await new Promise((r) => setTimeout(r, args.smoke ? 2_000 : 10_000))
  if (opts.probe) {
    heap.push(await opts.probe.liveHeap())
  }
  memory.stop()

  const traffic = summarizeTraffic(sandbox, { since })
  const requests = sandbox.requests.filter((r) => r.time >= since)
  // From the first request WoowUp saw to the last: the limiter's pace, without the resync's start (the POST's dry
  // count, the event reaching a worker, the first page) and the last answers.
  const times = requests.filter((r) => r.status !== 429).map((r) => r.time)
  const sendingMs = times.length > 1 ? Math.max(...times) - Math.min(...times) : NaN
  const failed = finished.filter((s: any) => s.status === "failed")
  const figures: CatchupFigures = {
    processes: opts.label,
    orders: opts.orders,
    rpm_limit: opts.rpm,
    woowup_requests: traffic.accepted,
    requests_per_min: round((traffic.accepted / totalMs) * 60_000, 1),
    share_of_limit: round(((traffic.accepted / totalMs) * 60_000) / opts.rpm, 3),
    max_in_60s_window: traffic.maxInWindow,
    too_many_429: traffic.tooMany,
    orders_per_min: round((done() / totalMs) * 60_000, 1),
    total_s: round(totalMs / 1000, 1),
    calls_per_order: round(requests.filter((r) => r.status !== 429).length / Math.max(1, done()), 3),
    first_request_after_s: round((Math.min(...times) - since) / 1000, 1),
    share_while_sending: round((((traffic.accepted - 1) / sendingMs) * 60_000) / opts.rpm, 3),
    purchases: done(),
    by_path: traffic.byPath,
    reconcile_concurrency: opts.concurrency,
    cpu_percent_of_a_core: Object.fromEntries(
      opts.cpuOf.map((p) => [p.name, round((((cpuAfter[p.name] ?? NaN) - (cpuBefore[p.name] ?? NaN)) * 100_000) / totalMs, 0)])
    ),
    machine_busy_percent:
      machineBefore && machineAfter ? round(((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * 100, 0) : NaN,
  }
  if (failed.length || done() !== opts.orders) {
    figures.note = `${done()} of ${opts.orders} purchases in WoowUp; runs: ${finished.map((s: any) => `${s.status} found ${s.found} sent ${s.sent} failed ${s.failed}${s.error ? ` (${s.error})` : ""}`).join("; ")}`
  }
  const worker = opts.memoryOf.find((p) => /worker|shared/.test(p.name)) ?? opts.memoryOf[0]
  if (opts.memoryOf.length === 1) {
    figures.memory = memoryFigures(worker.name, memory.samples.get(worker.name) ?? [], startS, endS, opts.orders)
    if (heap.length === 4) {
      figures.memory.live_heap = {
        before_mb: heap[0].heap_used_mb,
        half_mb: heap[1].heap_used_mb,
        end_mb: heap[2].heap_used_mb,
        after_mb: heap[3].heap_used_mb,
        growth_half_to_end_mb: round(heap[2].heap_used_mb - heap[1].heap_used_mb, 1),
        gc_pause_ms: heap.map((h) => h.gc_ms),
      }
    }
  } else {
    // Each worker's memory; the table shows the one that sent the most.
    const all = opts.memoryOf.map((p) => memoryFigures(p.name, memory.samples.get(p.name) ?? [], startS, endS, opts.orders))
    figures.memory = all.sort((a, b) => b.peak_mb - b.before_mb - (a.peak_mb - a.before_mb))[0]
    ;(figures as any).memory_all = all
  }
  return figures
}

async function captureOverhead(opts: {
  on: BenchProcess
  off: BenchProcess
  app: SeededApp
  sandbox: WoowupSandbox
  customers: BenchCustomer[]
  orders: Array<{ order_id: string; payment_id: string }>
}): Promise<CaptureFigures> {
  const { on, off, app, sandbox } = opts
  const latencyMs = 100
  const pairs = args.captures + args.warmup
  const apiOn = httpClient(on.url)
  const apiOff = httpClient(off.url)
  const adminOn = await loginAdmin(apiOn, app.admin)
  const adminOff = await loginAdmin(apiOff, app.admin)
  // Returning customers (WoowUp knows them): the purchase is the plugin's first call. Their orders are authorized
  // and not captured; made by the bench agent (bulk through the order and payment modules), after the missed orders.
  addKnownCustomers(sandbox, opts.customers)
  const orders = Array.from({ length: pairs }, (_, i) => ({
    on: opts.orders[2 * i].order_id,
    onPayment: opts.orders[2 * i].payment_id,
    off: opts.orders[2 * i + 1].order_id,
    offPayment: opts.orders[2 * i + 1].payment_id,
  }))

  const purchases = watchStoredPurchases(sandbox)
  sandbox.setFaults({ latencyMs })

  const onMs: number[] = []
  const offMs: number[] = []
  const toWoowup: number[] = []
  const t = Date.now()
  for (let i = 0; i < pairs; i++) {
    const o = orders[i]
    const runOn = async () => {
      const r = await timedCapture(on.url, o.onPayment, adminOn)
      const stored = await purchases.storedAt(o.on)
      // Let the plugin finish (WoowUp's answer, the record) before the next capture: each capture on a quiet store.
      await waitUntil(`WoowUp's answer for ${o.on}`, () => sandbox.requests.some((q) => (q.body as any)?.invoice_number === o.on), 60_000, 5)
      await new Promise((res) => setTimeout(res, 150))
      return { ...r, toWoowup: stored - r.at }
    }
    const runOff = async () => {
      const r = await timedCapture(off.url, o.offPayment, adminOff)
      await new Promise((res) => setTimeout(res, 150))
      return r
    }
    // Alternate which goes first, so neither always follows the other.
    let a: Awaited<ReturnType<typeof runOn>>
    let b: Awaited<ReturnType<typeof runOff>>
    if (i % 2 === 0) {
      a = await runOn()
      b = await runOff()
    } else {
      b = await runOff()
      a = await runOn()
    }
    if (i >= args.warmup) {
      onMs.push(a.ms)
      offMs.push(b.ms)
      toWoowup.push(a.toWoowup)
    }
  }
  purchases.stop()
  sandbox.setFaults({})
  say(`  ${pairs} capture pairs in ${((Date.now() - t) / 1000).toFixed(1)} s`)

  const p = (xs: number[], q: number) => round(percentile(xs, q), 1)
  return {
    pairs: args.captures,
    samples: { on: onMs.map((x) => round(x, 1)), off: offMs.map((x) => round(x, 1)) },
    plugin_on: { p50_ms: p(onMs, 50), p95_ms: p(onMs, 95) },
    plugin_off: { p50_ms: p(offMs, 50), p95_ms: p(offMs, 95) },
    p50_ratio: round(percentile(onMs, 50) / percentile(offMs, 50), 3),
    p95_ratio: round(percentile(onMs, 95) / percentile(offMs, 95), 3),
    median_paired_diff_ms: round(percentile(onMs.map((x, i) => x - offMs[i]), 50), 1),
    mean_ratio: round(onMs.reduce((a, b) => a + b, 0) / offMs.reduce((a, b) => a + b, 0), 3),
    min_ms: { on: round(Math.min(...onMs), 1), off: round(Math.min(...offMs), 1) },
    capture_to_woowup: { p50_ms: p(toWoowup, 50), p95_ms: p(toWoowup, 95), max_ms: round(Math.max(...toWoowup), 1), latency_ms: latencyMs },
    plugin_off_is:
      "the same app configuration without the plugin (medusa-config.js without the WoowUp module and no src/: no WoowUp " +
      "subscribers, routes, links or job), a second `medusa start` on the same database, captures interleaved with the plugin's",
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Main

async function main() {
  fs.mkdirSync(WORK, { recursive: true })
  const { ensureDatabase } = await import(path.join(REPO, "scripts/services.mjs"))
  step("Database")
  const db = await ensureDatabase({ log: (l: string) => say(`  ${l}`) })
  cleanups.push(db.stop)
  const base = await createSeededApp("bench", { log: (l) => say(`  ${l}`) })
  cleanups.push(base.drop)
  say(`  migrated and seeded database ready`)

  const { customers, known } = missedOrderCustomers(args.orders)
  // Calls the catch-up makes: one purchase each, plus a customer creation and a second purchase for the first
  // order of each customer WoowUp does not know.
  const expectedCalls = args.orders + 2 * (customers.length - known.length)
  // About a minute per catch-up, but not above what one process on this machine can feed: on 2 shared cores one
  // process sends 1,100 to 1,700 calls a minute at most (measured), and a limit above that would measure the CPU,
  // not how close the plugin gets to the limit. 1,000 a minute is 7 times WoowUp's real 140.
  const rpm = args.rpm ?? Math.max(140, Math.min(expectedCalls, CPU_SAFE_RPM))
  // The catch-up keeps R/60 × (the time one order takes, about 0.25 s here) orders in flight at the limiter. The
  // plugin's default of 4 is far more than WoowUp's real 140 a minute needs, but at the bench's R it is not enough,
  // so the bench sets reconcile.concurrency to R / 125, at least 4: 8 at R = 1,000 (measured at 1,000 with 4: 0.95
  // of R, with 8: 0.97).
  const concurrency = args.concurrency ?? Math.min(32, Math.max(4, Math.ceil(rpm / 125)))

  // The calls scenarios and the missed orders, in one agent on the base database (one boot).
  let window: { from: string; to: string; middle: string } | undefined
  const tasks: AgentInput[] = []
  const wantsCatchup = args.parts.includes("catchup") || args.parts.includes("cluster")
  const capturePairs = args.captures + args.warmup
  // Captures timed quiet, and as many under a storefront flood (bench/storefront-flood.ts).
  const floodCaptures = args.smoke ? 1 : 10
  const captureCustomers: BenchCustomer[] = Array.from({ length: capturePairs }, (_, i) => ({
    email: `capture.${i}.${Date.now().toString(36)}@example.com`,
    first_name: "Capture",
    last_name: `Pair ${i}`,
    phone: `+5697${String(i).padStart(7, "0")}`,
  }))
  let authorized: Array<{ order_id: string; payment_id: string }> = []
  if (wantsCatchup || args.parts.includes("capture")) {
    tasks.push({
      mode: "missed-orders",
      store: base.store,
      count: wantsCatchup ? args.orders : 0,
      customers,
      authorized: { count: args.parts.includes("capture") ? 2 * capturePairs + 2 * floodCaptures : 0, customers: captureCustomers },
    })
  }
  const scenarioSandbox = await startWoowupSandbox({ port: 0, apiKey: `bench-calls-${process.pid}` })
  cleanups.push(() => scenarioSandbox.close())
  if (args.parts.includes("calls")) {
    tasks.push({
      mode: "scenarios",
      store: base.store,
      sandbox: { url: scenarioSandbox.url, controlUrl: scenarioSandbox.controlUrl, apiKey: scenarioSandbox.apiKey },
      repeat: args.repeat,
    })
  }
  // The reconcile job's query: orders inserted with SQL into this scratch database, created over the week before the
  // missed orders (outside every window the other parts use), last so nothing else runs on a table that large.
  if (args.parts.includes("query")) {
    const to = Date.now() - 3_600_000
    tasks.push({ mode: "query", orders: args.queryOrders, from: new Date(to - 7 * 24 * 3_600_000).toISOString(), to: new Date(to).toISOString(), region_id: base.store.regionId })
  }
  if (tasks.length) {
    step(`In process (medusa exec): ${tasks.map((t) => t.mode).join(", ")}`)
    const outputs = await agent(
      base,
      tasks,
      { WOOWUP_API_URL: scenarioSandbox.url, WOOWUP_API_KEY: scenarioSandbox.apiKey, WOOWUP_OPTIONS: JSON.stringify({ reconcile: { enabled: false } }) },
      Math.max(600_000, args.orders * 200)
    )
    for (const out of outputs) {
      if (out.mode === "missed-orders") {
        window = { from: out.from, to: out.to, middle: out.middle }
        authorized = out.authorized
        say(`  ${out.count} missed orders (captured, never seen by the plugin) in ${(out.ms / 1000).toFixed(1)} s`)
      }
      if (out.mode === "scenarios") {
        results.calls = { scenarios: out.calls, woowup_connectors_per_order: 3 }
        results.queries_per_redelivered_event = out.queries
      }
      if (out.mode === "query") {
        results.query = out.query
        say(`  the job's query on ${out.query.orders} orders: ${out.query.pages} pages of ${out.query.scan}, p50 ${round(out.query.page_ms.p50)} ms, p95 ${round(out.query.page_ms.p95)} ms`)
      }
    }
  }
  await scenarioSandbox.close()

  // Databases for the two catch-ups, cloned before anything catches up.
  const clusterDb = args.parts.includes("cluster") ? await cloneDatabase(base, "cluster") : undefined
  if (clusterDb) {
    cleanups.push(clusterDb.drop)
  }

  // Capture overhead: the app with the plugin and the same app without it, on the same database, WoowUp (the
  // sandbox, with its real limit of 140 a minute) answering in 100 ms.
  if (args.parts.includes("capture")) {
    step("The app with the plugin, and without it")
    const sandbox = await startWoowupSandbox({ port: 0, apiKey: `bench-capture-${process.pid}` })
    cleanups.push(() => sandbox.close())
    const on = new BenchProcess("plugin-on", await freePort(), pluginEnv(base, sandbox, { reconcile: { enabled: false } }), path.join(WORK, "plugin-on.log"))
    const off = new BenchProcess("plugin-off", await freePort(), pluginEnv(base, sandbox, {}), path.join(WORK, "plugin-off.log"), pluginOffApp(path.join(WORK, "app-off")))
    cleanups.push(() => on.stop(), () => off.stop())
    const bootMs = await Promise.all([on.start(), off.start()])
    say(`  up in ${bootMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(", ")} (logs in .tmp/bench)`)
    step(`Capture overhead: ${args.captures} interleaved captures with and without the plugin, WoowUp answering in 100 ms`)
    results.capture = await captureOverhead({ on, off, app: base, sandbox, customers: captureCustomers, orders: authorized })
    const c = results.capture
    say(`  p50 ${c.plugin_on.p50_ms} ms with, ${c.plugin_off.p50_ms} ms without (×${c.p50_ratio}); capture → WoowUp p50 ${c.capture_to_woowup.p50_ms} ms`)
    await off.stop()
    step(`Capture → WoowUp under a storefront flood: ${floodCaptures} captures quiet, ${floodCaptures} among 100 points reads`)
    results.flood = await captureUnderFlood({
      url: on.url,
      admin: await loginAdmin(httpClient(on.url), base.admin),
      publishableKey: base.store.publishableKey,
      sandbox,
      orders: authorized.slice(2 * capturePairs),
      say,
    })
    say(`  flood p50 ${results.flood.capture_to_woowup.flood.p50_ms} ms, quiet p50 ${results.flood.capture_to_woowup.quiet.p50_ms} ms`)
    await on.stop()
    await sandbox.close()
  }

  // The one-process catch-up (shared mode: routes, subscribers and the resync in one process), with its memory.
  if (args.parts.includes("catchup") && window) {
    step(`Catch-up, one process: ${args.orders} missed orders, WoowUp limited to ${rpm}/min`)
    const sandbox = await startWoowupSandbox({ port: 0, requestsPerMinute: rpm, apiKey: `bench-one-${process.pid}` })
    cleanups.push(() => sandbox.close())
    addKnownCustomers(sandbox, known)
    const on = new BenchProcess(
      "shared",
      await freePort(),
      pluginEnv(base, sandbox, { requestsPerMinute: rpm, reconcile: { enabled: false, concurrency } }),
      path.join(WORK, "shared.log"),
      REPO,
      await freePort()
    )
    cleanups.push(() => on.stop())
    say(`  up in ${((await on.start()) / 1000).toFixed(1)} s`)
    const probe = new HeapProbe(on.inspectPort!)
    await probe.connect()
    cleanups.push(async () => probe.close())
    const api = httpClient(on.url)
    const admin = await loginAdmin(api, base.admin)
    const one = await catchUp({ label: "1 (shared)", api, admin, sandbox, windows: [window], orders: args.orders, rpm, concurrency, memoryOf: [on], cpuOf: [on], probe })
    results.catchup = { ...results.catchup, one_process: one }
    say(`  ${one.requests_per_min}/min of ${rpm} (${one.share_of_limit}), ${one.too_many_429} × 429, ${one.orders_per_min} orders/min, ${one.total_s} s`)
    probe.close()
    await on.stop()
    await sandbox.close()
  }

  if (args.parts.includes("cluster") && clusterDb && window) {
    step(`Catch-up, server + 2 workers on Redis: ${args.orders} missed orders, WoowUp limited to ${rpm}/min`)
    if (!redisAnswers(TEST_REDIS_URL)) {
      const why = `no Redis answers at ${TEST_REDIS_URL} (start redis-server, or set WOOWUP_TEST_REDIS_URL)`
      say(`  SKIPPED: ${why}`)
      results.catchup = { ...results.catchup, three_processes: { skipped: why } }
    } else {
      const redis = await claimRedisDatabase(TEST_REDIS_URL)
      cleanups.push(() => redis.release())
      const sandbox = await startWoowupSandbox({ port: 0, requestsPerMinute: rpm, apiKey: `bench-cluster-${process.pid}-${Date.now()}` })
      cleanups.push(() => sandbox.close())
      addKnownCustomers(sandbox, known)
      const env = pluginEnv(
        clusterDb,
        sandbox,
        { requestsPerMinute: rpm, processes: 3, reconcile: { enabled: false, concurrency } },
        { WOOWUP_REDIS_MODULES: "true", REDIS_URL: redis.url }
      )
      const ports = await Promise.all([freePort(), freePort(), freePort()])
      const procs = [
        new BenchProcess("server", ports[0], { ...env, MEDUSA_WORKER_MODE: "server" }, path.join(WORK, "server.log")),
        new BenchProcess("worker-1", ports[1], { ...env, MEDUSA_WORKER_MODE: "worker" }, path.join(WORK, "worker-1.log")),
        new BenchProcess("worker-2", ports[2], { ...env, MEDUSA_WORKER_MODE: "worker" }, path.join(WORK, "worker-2.log")),
      ]
      const server = procs[0]
      for (const p of procs) {
        cleanups.push(() => p.stop())
      }
      const bootMs = await Promise.all(procs.map((p) => p.start()))
      say(`  up in ${bootMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(", ")}`)
      const api = httpClient(server.url)
      const admin = await loginAdmin(api, clusterDb.admin)
      // Two windows (the first and the second half of the missed orders): two resync events, which the Redis event
      // bus hands to whichever workers take them, so both may be sending at once through the shared limit.
      const windows = [
        { from: window.from, to: window.middle },
        { from: window.middle, to: window.to },
      ]
      const three = await catchUp({ label: "3 (server + 2 workers, Redis)", api, admin, sandbox, windows, orders: args.orders, rpm, concurrency, memoryOf: procs.slice(1), cpuOf: procs })
      three.handled_by = Object.fromEntries(
        procs.map((p) => [p.name, `${(p.log().match(/woowup: resync wurun_\w+ done/g) ?? []).length} resync run(s)`])
      )
      results.catchup = { ...results.catchup, three_processes: three }
      say(`  ${three.requests_per_min}/min of ${rpm} (${three.share_of_limit}), ${three.too_many_429} × 429, ${three.orders_per_min} orders/min, ${three.total_s} s; ${JSON.stringify(three.handled_by)}`)
      for (const p of procs) {
        await p.stop()
      }
      await sandbox.close()
    }
  }

  results.duration_s = round((Date.now() - started) / 1000, 0)
  results.machine.load_avg_at_end = os.loadavg().map((l) => round(l, 2))
  const { table, misses } = renderTable(results)
  results.table = table
  results.misses = misses
  fs.mkdirSync(path.dirname(args.out), { recursive: true })
  fs.writeFileSync(args.out, `${JSON.stringify(results, null, 2)}\n`)
  say(`\n${table}`)
  say(`\nWritten to ${path.relative(process.cwd(), args.out)} in ${results.duration_s} s.`)
}

// ---------------------------------------------------------------------------------------------------------------
// The table

function renderTable(r: Results): { table: string; misses: string[] } {
  const rows: Array<[string, string, string]> = []
  const misses: string[] = []
  const miss = (ok: boolean, text: string) => {
    if (!ok) {
      misses.push(text)
    }
    return ok ? "met" : `MISSED: ${text}`
  }
  const f = (v: number, d = 1) => (Number.isFinite(v) ? String(round(v, d)) : "n/a")

  if (r.calls) {
    const label: Record<string, string> = {
      returning_customer: "returning customer",
      new_customer: "new customer",
      customer_synced_at_signup: "customer synced at sign-up",
      same_event_three_times: "same event delivered 3 times",
      partial_capture_then_rest: "partial capture, then the rest",
      refund: "capture, then a half refund",
    }
    for (const s of r.calls.scenarios) {
      const target = s.scenario === "returning_customer" ? miss(s.per_order <= TARGETS.returningCalls, `returning customer costs ${s.per_order} calls, target 1.0`) : ""
      rows.push([
        `WoowUp calls per order: ${label[s.scenario]}`,
        `${f(s.per_order, 2)}${s.signup_calls !== undefined ? ` (+ ${s.signup_calls} at sign-up)` : ""} (WoowUp's connectors: 3) [${Object.entries(s.by_path).map(([k, v]) => `${v}× ${k}`).join(", ")}]`,
        target,
      ])
    }
  }
  if (r.queries_per_redelivered_event) {
    const q = r.queries_per_redelivered_event
    rows.push(["SQL queries per redelivered event (synced, fully captured order)", `${q.workflow} (award workflow), ${q.event} (whole payment.captured delivery)`, ""])
  }
  const catchup = (c: CatchupFigures | { skipped: string } | undefined, name: string) => {
    if (!c) {
      return
    }
    if ("skipped" in c) {
      rows.push([`Catch-up, ${name}`, `skipped: ${c.skipped}`, ""])
      return
    }
    const ok = c.share_of_limit >= TARGETS.rateShare && c.too_many_429 === 0
    rows.push([
      `Catch-up, ${c.processes}: requests/min ÷ R`,
      `${f(c.requests_per_min)} / ${c.rpm_limit} = ${f(c.share_of_limit, 3)}; ${c.too_many_429} × 429; max ${c.max_in_60s_window} in any 60 s; ` +
        `${f(c.share_while_sending, 3)} from the first request to the last (the first ${f(c.first_request_after_s)} s after the POST)`,
      miss(ok, `${name}: ${f(c.share_of_limit, 3)} of R${c.too_many_429 ? ` with ${c.too_many_429} × 429` : ""}, target ≥ 0.95 with no 429 (short by ${f((TARGETS.rateShare - c.share_of_limit) * 100, 1)} points)`),
    ])
    rows.push([
      `Catch-up, ${c.processes}: orders`,
      `${c.purchases}/${c.orders} in ${f(c.total_s)} s = ${f(c.orders_per_min)} orders/min, ${f(c.calls_per_order, 2)} calls/order, ` +
        `reconcile.concurrency ${c.reconcile_concurrency}; CPU ${Object.entries(c.cpu_percent_of_a_core).map(([k, v]) => `${k} ${v}%`).join(", ")} of a core, ` +
        `machine ${c.machine_busy_percent}% busy${c.note ? ` (${c.note})` : ""}`,
      "",
    ])
    if (c.memory) {
      const m = c.memory
      rows.push([
        `Resident memory (RSS) of ${m.process} in the catch-up`,
        `before ${f(m.before_mb)} MB, peak ${f(m.peak_mb)} MB, after ${f(m.after_mb)} MB (peak in the 1st half of the orders ${f(m.first_half_peak_mb)}, in the 2nd ${f(m.second_half_peak_mb)})`,
        "",
      ])
      if (m.live_heap) {
        const h = m.live_heap
        rows.push([
          `Live heap of ${m.process} after a full GC: before, N/2, N, 10 s after`,
          `${f(h.before_mb)} → ${f(h.half_mb)} → ${f(h.end_mb)} → ${f(h.after_mb)} MB (N/2 → N: ${h.growth_half_to_end_mb >= 0 ? "+" : ""}${f(h.growth_half_to_end_mb)} MB)`,
          miss(!(h.growth_half_to_end_mb > TARGETS.memoryGrowthMb), `the live heap grew ${f(h.growth_half_to_end_mb)} MB from N/2 to N orders`),
        ])
      }
    }
  }
  catchup(r.catchup?.one_process, "one process")
  catchup(r.catchup?.three_processes, "three processes")
  if (r.capture) {
    const c = r.capture
    rows.push([
      `Capture route p50 / p95, plugin on vs off (${c.pairs} pairs)`,
      `on ${f(c.plugin_on.p50_ms)} / ${f(c.plugin_on.p95_ms)} ms, off ${f(c.plugin_off.p50_ms)} / ${f(c.plugin_off.p95_ms)} ms; ratio p50 ${f(c.p50_ratio, 3)}, p95 ${f(c.p95_ratio, 3)}, mean ${f(c.mean_ratio, 3)}; median of paired differences ${f(c.median_paired_diff_ms)} ms`,
      miss(c.p50_ratio <= TARGETS.captureOverhead, `capture p50 is ${f((c.p50_ratio - 1) * 100)}% slower with the plugin, target within 5%`),
    ])
    rows.push([
      `Capture → purchase stored in WoowUp (WoowUp answers in ${c.capture_to_woowup.latency_ms} ms)`,
      `p50 ${f(c.capture_to_woowup.p50_ms)} ms, p95 ${f(c.capture_to_woowup.p95_ms)} ms`,
      miss(c.capture_to_woowup.p50_ms < TARGETS.captureToWoowupP50Ms, `capture → WoowUp p50 ${f(c.capture_to_woowup.p50_ms)} ms, target under 1 s`),
    ])
  }
  if (r.flood) {
    const { row, ok, miss: text } = floodRow(r.flood)
    rows.push([...row, miss(ok, text)])
  }
  if (r.query) {
    const q = r.query
    rows.push([
      `Reconcile job's page query, ${q.orders.toLocaleString("en")} orders (${q.pages} pages of ${q.scan})`,
      `p50 ${f(q.page_ms.p50)} ms, p95 ${f(q.page_ms.p95)} ms, max ${f(q.page_ms.max)} ms; EXPLAIN ANALYZE ${f(q.explain_execution_ms ?? NaN, 2)} ms; ${q.found} found; uses ${q.indexes.join(", ")}`,
      miss(q.page_ms.p95 < TARGETS.queryPageMs, `the job's page p95 is ${f(q.page_ms.p95)} ms, target under 50 ms`),
    ])
  }

  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length), ["Figure", "Measured", "Target"][i].length))
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`
  const m = r.machine
  const table = [
    `medusa-plugin-woowup bench, ${r.date.slice(0, 16).replace("T", " ")} UTC: ${m.cpus} CPUs (${m.cpu_model}), ${m.memory_gb} GB, Node ${m.node}` +
      `, load average ${m.load_avg_at_start[0]} at the start and ${m.load_avg_at_end?.[0] ?? "?"} at the end` +
      `${r.options.smoke ? ", SMOKE (tiny numbers, not figures)" : ""}`,
    line(["Figure", "Measured", "Target"]),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
  ].join("\n")
  return { table, misses }
}

main()
  .catch((e) => {
    process.stderr.write(`\nbench failed: ${(e as Error).stack ?? e}\n`)
    process.exitCode = 1
  })
  .finally(async () => {
    const code = process.exitCode ?? 0
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch(() => {})
    }
    // Keep-alive sockets and timers of the helpers must not hold the process (and the embedded Postgres' exit hook
    // must not turn a failure into success).
    process.exit(code)
  })
