/**
 * The catch-up: a resync over the window of the missed orders (as an admin asks for a backfill), carried out in the
 * background by the process that handles `woowup.resync_requested` (one process: itself; server + workers: a worker;
 * two windows, so that both workers may take one). Timed from the first POST to the last run's end. Measured by the
 * "catchup" and the "cluster" parts, which differ in the processes only.
 */
import type { AuthHeaders } from "../integration-tests/helpers"
import type { httpClient } from "../integration-tests/helpers/medusa-process"
import { summarizeTraffic } from "../integration-tests/helpers/sandbox-traffic"
import type { WoowupSandbox } from "../src/sandbox"
import type { HeapProbe } from "./inspector"
import { memoryFigures, sampleMemory } from "./memory"
import { cpuSecondsOf, machineCpu, type BenchProcess } from "./processes"
import { say } from "./progress"
import type { CatchupFigures } from "./figures"
import type { Row, TableTools } from "./table"
import { TARGETS } from "./targets"
import { round } from "./util"
import { waitUntil } from "./wait-until"

export async function catchUp(opts: {
  label: string
  api: ReturnType<typeof httpClient>
  admin: AuthHeaders
  sandbox: WoowupSandbox
  windows: Array<{ from: string; to: string }>
  orders: number
  rpm: number
  concurrency: number
  /** Shorter idle stretches before and after (tiny numbers). */
  smoke: boolean
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
  await new Promise((r) => setTimeout(r, opts.smoke ? 1_000 : 2_000))
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
  await new Promise((r) => setTimeout(r, opts.smoke ? 2_000 : 10_000))
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
    figures.memory_all = all
  }
  return figures
}

/** A catch-up's rows: the share of the limit, the orders, and its memory. */
export function catchUpRows(c: CatchupFigures | { skipped: string } | undefined, name: string, { miss, f }: TableTools): Row[] {
  if (!c) {
    return []
  }
  if ("skipped" in c) {
    return [[`Catch-up, ${name}`, `skipped: ${c.skipped}`, ""]]
  }
  const rows: Row[] = []
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
  return rows
}
