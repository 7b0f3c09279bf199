/**
 * "History import of N orders" and "Capture → WoowUp during an import": an admin's `POST /admin/woowup/imports`
 * over the history's window, followed through `GET /admin/woowup/imports/:id` to its end, with the share of WoowUp's
 * limit it used, its calls per order, the process' resident memory and live heap; and live orders captured through
 * the admin API while it runs.
 */
import type { AuthHeaders, HttpClient } from "../integration-tests/helpers"
import { summarizeTraffic } from "../integration-tests/helpers/sandbox-traffic"
import type { WoowupSandbox } from "../src/sandbox"
import { timeCaptures } from "./catalog-backfill"
import type { CaptureLatencyFigures, MemoryFigures } from "./figures"
import type { HeapProbe } from "./inspector"
import { memoryFigures, sampleMemory } from "./memory"
import { cpuSecondsOf, machineCpu, type BenchProcess } from "./processes"
import { say } from "./progress"
import { round } from "./util"
import { waitUntil } from "./wait-until"

export type ImportFigures = {
  orders: number
  rpm_limit: number
  reconcile_concurrency: number
  /** The import as `GET /admin/woowup/imports/:id` shows it at its end. */
  status: string
  total: number
  processed: number
  sent: number
  already_in_woowup: number
  skipped: number
  failed: number
  /** From the POST to the import's end. */
  duration_s: number
  woowup_requests: number
  requests_per_min: number
  share_of_limit: number
  /** Requests a minute ÷ R from the first request to the last. */
  share_while_sending: number
  first_request_after_s: number
  max_in_60s_window: number
  too_many_429: number
  /** The import's calls (the live captures' own left out) per order processed. */
  calls_per_order: number
  orders_per_min: number
  by_path: Record<string, number>
  cpu_percent_of_a_core: number
  machine_busy_percent: number
  rss_mb: { before: number; quarter: number; end: number; peak: number }
  memory: MemoryFigures
}

type Order = { order_id: string; payment_id: string; email: string }

export async function runImport(opts: {
  process: BenchProcess
  api: HttpClient
  admin: AuthHeaders
  sandbox: WoowupSandbox
  window: { from: string; to: string }
  orders: number
  rpm: number
  concurrency: number
  /** Captured while the import runs, `captureGapMs` apart. */
  live: Order[]
  captureGapMs: number
  probe: HeapProbe
  smoke: boolean
}): Promise<{ import: ImportFigures; during: CaptureLatencyFigures & { under_way: number } }> {
  const { api, admin, sandbox, probe } = opts
  const purchasesBefore = sandbox.state.purchases.length
  const done = () => sandbox.state.purchases.length - purchasesBefore
  const memory = sampleMemory([opts.process], done)
  const t0 = performance.now()
  await new Promise((r) => setTimeout(r, opts.smoke ? 1_000 : 2_000))
  const heap = [await probe.liveHeap()]
  const startS = (performance.now() - t0) / 1000
  const since = Date.now()
  const started = performance.now()
  const cpuBefore = cpuSecondsOf(opts.process.pid!)
  const machineBefore = machineCpu()

  const { data } = await api.post("/admin/woowup/imports", { from: opts.window.from, to: opts.window.to }, admin)
  const id: string = data.import.id
  let state = data.import
  const captures = timeCaptures({ process: opts.process, admin, sandbox, orders: opts.live, gapMs: opts.captureGapMs, progress: () => state.processed })
  let lastLog = 0
  state = await waitUntil(
    "the import to end",
    async () => {
      state = (await api.get(`/admin/woowup/imports/${id}`, admin)).data.import
      if (heap.length === 1 && state.total && state.processed >= state.total / 2) {
        heap.push(await probe.liveHeap())
      }
      if (Date.now() - lastLog > 30_000) {
        lastLog = Date.now()
        say(`  ${state.processed}/${state.total} processed, ${done()} purchases in WoowUp, ETA ${state.eta_seconds ?? "?"} s, ${((performance.now() - started) / 1000).toFixed(0)} s`)
      }
      return ["done", "failed", "canceled"].includes(state.status) ? state : undefined
    },
    Math.max(30 * 60_000, opts.orders * 400),
    500
  )
  const totalMs = performance.now() - started
  const endS = (performance.now() - t0) / 1000
  const cpuAfter = cpuSecondsOf(opts.process.pid!)
  const machineAfter = machineCpu()
  const live = await captures
  heap.push(await probe.liveHeap())
  await new Promise((r) => setTimeout(r, opts.smoke ? 2_000 : 10_000))
  heap.push(await probe.liveHeap())
  memory.stop()

  const traffic = summarizeTraffic(sandbox, { since })
  const requests = sandbox.requests.filter((r) => r.time >= since && r.status !== 429)
  const liveEmails = opts.live.map((o) => o.email)
  const liveCalls = requests.filter((r) => liveEmails.some((e) => JSON.stringify(r.body ?? "").includes(e))).length
  const times = requests.map((r) => r.time)
  const sendingMs = times.length > 1 ? Math.max(...times) - Math.min(...times) : NaN
  const samples = memory.samples.get(opts.process.name) ?? []
  const during = samples.filter((s) => s.s > startS && s.s <= endS)
  const quarter = during.find((s) => s.done >= opts.orders / 4)
  const figures = memoryFigures(opts.process.name, samples, startS, endS, opts.orders)
  if (heap.length === 4) {
    figures.live_heap = {
      before_mb: heap[0].heap_used_mb,
      half_mb: heap[1].heap_used_mb,
      end_mb: heap[2].heap_used_mb,
      after_mb: heap[3].heap_used_mb,
      growth_half_to_end_mb: round(heap[2].heap_used_mb - heap[1].heap_used_mb, 1),
      gc_pause_ms: heap.map((h) => h.gc_ms),
    }
  }
  return {
    import: {
      orders: opts.orders,
      rpm_limit: opts.rpm,
      reconcile_concurrency: opts.concurrency,
      status: state.status,
      total: state.total,
      processed: state.processed,
      sent: state.sent,
      already_in_woowup: state.already_in_woowup,
      skipped: state.skipped,
      failed: state.failed,
      duration_s: round(totalMs / 1000, 1),
      woowup_requests: traffic.accepted,
      requests_per_min: round((traffic.accepted / totalMs) * 60_000, 1),
      share_of_limit: round(((traffic.accepted / totalMs) * 60_000) / opts.rpm, 3),
      share_while_sending: round((((traffic.accepted - 1) / sendingMs) * 60_000) / opts.rpm, 3),
      first_request_after_s: round((Math.min(...times) - since) / 1000, 1),
      max_in_60s_window: traffic.maxInWindow,
      too_many_429: traffic.tooMany,
      calls_per_order: round((requests.length - liveCalls) / Math.max(1, state.processed), 3),
      orders_per_min: round((state.processed / totalMs) * 60_000, 1),
      by_path: traffic.byPath,
      cpu_percent_of_a_core: round((((cpuAfter ?? NaN) - (cpuBefore ?? NaN)) * 100_000) / totalMs, 0),
      machine_busy_percent:
        machineBefore && machineAfter ? round(((machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total)) * 100, 0) : NaN,
      rss_mb: {
        before: figures.before_mb,
        quarter: quarter?.rss_mb ?? NaN,
        end: during[during.length - 1]?.rss_mb ?? NaN,
        peak: figures.peak_mb,
      },
      memory: figures,
    },
    during: {
      captures: live.captures,
      samples_ms: live.samples_ms,
      p50_ms: live.p50_ms,
      p95_ms: live.p95_ms,
      // Captures made while the import had not processed every order yet.
      under_way: live.progress_at.filter((n) => n < state.total).length,
    },
  }
}
