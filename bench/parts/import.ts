/**
 * The history import's rows (issue 22): "History import of N orders", its memory, "Capture → WoowUp during an
 * import" and "The import's page query". On a clone of the seeded store: the agent inserts Q orders with SQL dated
 * 3 to 5 years back and walks them as an import does (`findHistoryPage`, timed, with EXPLAIN ANALYZE), then makes N
 * real captured orders the plugin never saw, dated back over the last 2 years with ids of today (a migrated
 * history), of N/10 customers, half of them known to WoowUp. One app with the plugin, WoowUp's limit and the
 * plugin's `requestsPerMinute` at R (`--import-rpm`, default 1,000: what one process on 2 shared cores can feed, as
 * for the catch-up), imports them with `award_points: false`, while K live orders are captured through the admin
 * API; K more are captured before it, on the quiet store.
 */
import path from "node:path"
import { loginAdmin } from "../../integration-tests/helpers"
import { freePort, httpClient, REPO } from "../../integration-tests/helpers/medusa-process"
import { startWoowupSandbox } from "../../src/sandbox"
import { timeCaptures } from "../catalog-backfill"
import { onCleanup } from "../cleanups"
import { addKnownCustomers, captureCustomers, missedOrderCustomers } from "../customers"
import { cloneDatabase } from "../databases"
import type { CaptureLatencyFigures } from "../figures"
import { runImport, type ImportFigures } from "../import-run"
import { HeapProbe } from "../inspector"
import { pluginEnv } from "../plugin-env"
import { BenchProcess } from "../processes"
import { say, step, WORK } from "../progress"
import { runAgent } from "../run-agent"
import type { Row } from "../table"
import { TARGETS } from "../targets"
import type { HistoryQueryFigures } from "../types"
import type { BenchPart } from "./part"

const DAY_MS = 24 * 3_600_000

export type ImportPartFigures = {
  /** Seconds the agent took to make the N orders (not measured against a target). */
  made_in_s: number
  window: { from: string; to: string }
  import: ImportFigures
  capture_to_woowup: { without: CaptureLatencyFigures; during: CaptureLatencyFigures & { under_way: number } }
  query: HistoryQueryFigures
}

export const importPart: BenchPart = {
  name: "import",
  measure: async ({ options, base }) => {
    const { importOrders: n, importCaptures: k, importRpm: rpm, importQueryOrders: q } = options
    const concurrency = options.concurrency ?? Math.min(32, Math.max(4, Math.ceil(rpm / 125)))
    step(`History import: ${q} orders for the page query, ${n} orders of the last 2 years to import`)
    const app = await cloneDatabase(base, "import")
    onCleanup(app.drop)
    const now = Date.now()
    // The history: the last 2 years, up to a day before the reconcile job's look-back of 7 days.
    const window = { from: new Date(now - 731 * DAY_MS).toISOString(), to: new Date(now - 8 * DAY_MS).toISOString() }
    const { customers, known } = missedOrderCustomers(n)
    const live = captureCustomers(2 * k)
    const agent = await runAgent(
      app,
      [
        // Older than the import's window: the import walks past them (the table is large), and sends none.
        { mode: "history-query", orders: q, from: new Date(now - 5 * 365 * DAY_MS).toISOString(), to: new Date(now - 3 * 365 * DAY_MS).toISOString(), region_id: app.store.regionId },
        { mode: "history-orders", store: app.store, count: n, customers, from: new Date(now - 730 * DAY_MS).toISOString(), to: new Date(now - 9 * DAY_MS).toISOString() },
        { mode: "missed-orders", store: app.store, count: 0, customers: live, authorized: { count: 2 * k, customers: live } },
      ],
      // The feed off while the history is made: nothing is sent.
      { WOOWUP_API_URL: "http://127.0.0.1:9", WOOWUP_API_KEY: "bench-import-agent", WOOWUP_OPTIONS: JSON.stringify({ reconcile: { enabled: false } }) },
      Math.max(900_000, n * 150)
    )
    const query = agent.flatMap((o) => (o.mode === "history-query" ? [o.query] : []))[0]
    const made = agent.flatMap((o) => (o.mode === "history-orders" ? [o] : []))[0]
    const orders = agent.flatMap((o) => (o.mode === "missed-orders" ? o.authorized : []))
    say(`  page query on ${query.table_orders} orders: ${query.pages} pages, p50 ${query.page_ms.p50.toFixed(1)} ms, p95 ${query.page_ms.p95.toFixed(1)} ms; ${query.seq_scans.join(", ") || "no seq scan"}`)
    say(`  ${made.count} history orders made in ${(made.ms / 1000).toFixed(1)} s`)

    const sandbox = await startWoowupSandbox({ port: 0, requestsPerMinute: rpm, apiKey: `bench-import-${process.pid}`, maxLoggedRequests: 3 * n + 10_000 })
    onCleanup(() => sandbox.close())
    addKnownCustomers(sandbox, [...known, ...live])
    const on = new BenchProcess(
      "import",
      await freePort(),
      pluginEnv(app, sandbox, { requestsPerMinute: rpm, reconcile: { enabled: false, concurrency } }),
      path.join(WORK, "import.log"),
      REPO,
      await freePort()
    )
    onCleanup(() => on.stop())
    say(`  up in ${((await on.start()) / 1000).toFixed(1)} s`)
    const probe = new HeapProbe(on.inspectPort!)
    await probe.connect()
    onCleanup(async () => probe.close())
    const api = httpClient(on.url)
    const admin = await loginAdmin(api, app.admin)

    step(`Capture → WoowUp without an import: ${k} captures`)
    const { progress_at: _p, ...without } = await timeCaptures({ process: on, admin, sandbox, orders: orders.slice(0, k), gapMs: 200 })
    say(`  p50 ${without.p50_ms} ms, p95 ${without.p95_ms} ms`)

    step(`History import of ${n} orders, WoowUp and the plugin at ${rpm}/min, reconcile.concurrency ${concurrency}; ${k} captures while it runs`)
    const { import: imp, during } = await runImport({
      process: on,
      api,
      admin,
      sandbox,
      window,
      orders: n,
      rpm,
      concurrency,
      live: orders.slice(k, 2 * k),
      captureGapMs: options.smoke ? 200 : 3000,
      probe,
      smoke: options.smoke,
    })
    say(`  ${imp.status}: ${imp.processed}/${imp.total} in ${imp.duration_s} s, ${imp.requests_per_min}/min (${imp.share_of_limit} of R), ${imp.calls_per_order} calls per order, ${imp.too_many_429} × 429`)
    say(`  captures during it p50 ${during.p50_ms} ms (${during.under_way} of ${during.captures} before it ended)`)
    probe.close()
    await on.stop()
    await sandbox.close()
    const figures: ImportPartFigures = { made_in_s: Math.round(made.ms / 100) / 10, window, import: imp, capture_to_woowup: { without, during }, query }
    return { import: figures }
  },
  rows: (r, { miss, f }) => {
    const x = r.import
    if (!x) {
      return []
    }
    const i = x.import
    const m = i.memory
    const h = m.live_heap
    const { without, during } = x.capture_to_woowup
    const q = x.query
    const onPkey = q.indexes.some((ix) => /order_pkey on "order"/.test(ix))
    const orderSeqScan = q.seq_scans.some((s) => /Seq Scan on "?order"?$/.test(s))
    const rows: Row[] = [
      [
        `History import of ${i.orders} orders (award_points: false; WoowUp and the plugin at ${i.rpm_limit}/min): requests/min ÷ R`,
        `${f(i.requests_per_min)} / ${i.rpm_limit} = ${f(i.share_of_limit, 3)}; ${i.too_many_429} × 429; max ${i.max_in_60s_window} in any 60 s; ` +
          `${f(i.share_while_sending, 3)} from the first request to the last (the first ${f(i.first_request_after_s)} s after the POST)`,
        miss(
          i.share_of_limit >= TARGETS.rateShare && i.too_many_429 === 0 && i.status === "done",
          `import: ${f(i.share_of_limit, 3)} of R (${i.status}${i.too_many_429 ? `, ${i.too_many_429} × 429` : ""}), target ≥ 0.95 with no 429`
        ),
      ],
      [
        `History import of ${i.orders} orders: orders and calls`,
        `${i.status}: ${i.processed}/${i.total} in ${f(i.duration_s)} s = ${f(i.orders_per_min)} orders/min; sent ${i.sent}, already in WoowUp ${i.already_in_woowup}, ` +
          `skipped ${i.skipped}, failed ${i.failed}; ${f(i.calls_per_order, 3)} calls/order; reconcile.concurrency ${i.reconcile_concurrency}; ` +
          `CPU ${i.cpu_percent_of_a_core}% of a core, machine ${i.machine_busy_percent}% busy`,
        "",
      ],
      [
        `Memory of the app in the import: RSS; live heap after a full GC before, N/2, N, 10 s after`,
        `RSS before ${f(i.rss_mb.before)} MB, at N/4 ${f(i.rss_mb.quarter)}, at N ${f(i.rss_mb.end)}, peak ${f(i.rss_mb.peak)} (peak in the 1st half ${f(m.first_half_peak_mb)}, in the 2nd ${f(m.second_half_peak_mb)}); ` +
          (h ? `heap ${f(h.before_mb)} → ${f(h.half_mb)} → ${f(h.end_mb)} → ${f(h.after_mb)} MB (N/2 → N: ${h.growth_half_to_end_mb >= 0 ? "+" : ""}${f(h.growth_half_to_end_mb)} MB)` : "heap not read"),
        miss(!!h && !(h.growth_half_to_end_mb > TARGETS.memoryGrowthMb), `import: the live heap grew ${h ? f(h.growth_half_to_end_mb) : "?"} MB from N/2 to N orders (flat: ${TARGETS.memoryGrowthMb} MB)`),
      ],
      [
        `Capture → WoowUp during an import vs without (${during.captures} captures each, WoowUp answering at once)`,
        `during p50 ${f(during.p50_ms)} ms, p95 ${f(during.p95_ms)} ms (${during.under_way} of ${during.captures} before the import ended); without p50 ${f(without.p50_ms)} ms, p95 ${f(without.p95_ms)} ms`,
        miss(
          during.p50_ms <= 2 * without.p50_ms && during.under_way === during.captures,
          `capture → WoowUp p50 ${f(during.p50_ms)} ms during an import (${during.under_way} of ${during.captures} before it ended), ${f(without.p50_ms)} ms without: target within 2×`
        ),
      ],
      [
        `The import's page query, ${q.table_orders.toLocaleString("en")} orders in the table (${q.pages} pages of ${q.scan} by primary key, filtered by created_at)`,
        `p50 ${f(q.page_ms.p50)} ms, p95 ${f(q.page_ms.p95)} ms, max ${f(q.page_ms.max)} ms; EXPLAIN ANALYZE ${f(q.explain_execution_ms ?? NaN, 2)} ms; ${q.found} found; ` +
          `uses ${q.indexes.join(", ")}; ${q.seq_scans.length ? q.seq_scans.join(", ") : "no sequential scan"}`,
        miss(onPkey && !orderSeqScan, `the import's page: ${onPkey ? "" : "does not use order_pkey; "}${orderSeqScan ? "scans the order table" : ""}`),
      ],
    ]
    return rows
  },
}
