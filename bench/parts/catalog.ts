/**
 * The catalog feed's rows: "WoowUp calls per catalog change", "Catalog backfill of N variants" and "Capture → WoowUp
 * during a catalog backfill". On a clone of the seeded store with a catalog WoowUp has never seen (the agent's
 * `catalog-variants`), one app with the feed on, WoowUp's limit and the plugin's `requestsPerMinute` raised to R
 * (`--catalog-rpm`, default 2,000) so that 10,000 variants take minutes, not the 143 they take at 140 a minute: the
 * share of R is what is read. Not higher: the backfill sends one variant at a time, and one process on 2 shared cores
 * sends about 1,100 a minute that way (measured), so above 2,000 the products lane's half of R is not what paces it.
 */
import path from "node:path"
import { loginAdmin } from "../../integration-tests/helpers"
import { freePort, httpClient } from "../../integration-tests/helpers/medusa-process"
import { startWoowupSandbox } from "../../src/sandbox"
import { backfill, timeCaptures } from "../catalog-backfill"
import { callsPerCatalogChange } from "../catalog-calls"
import { onCleanup } from "../cleanups"
import { addKnownCustomers, captureCustomers } from "../customers"
import { cloneDatabase } from "../databases"
import { pluginEnv } from "../plugin-env"
import { BenchProcess } from "../processes"
import { say, step, WORK } from "../progress"
import { runAgent } from "../run-agent"
import type { Row } from "../table"
import { TARGETS } from "../targets"
import type { BenchPart } from "./part"

export const catalogPart: BenchPart = {
  name: "catalog",
  measure: async ({ options, base }) => {
    const { catalogVariants: n, catalogCaptures: k, catalogRpm: rpm } = options
    step(`Catalog: ${n} variants WoowUp has never seen, WoowUp and the plugin limited to ${rpm}/min`)
    const app = await cloneDatabase(base, "catalog")
    onCleanup(app.drop)
    const customers = captureCustomers(2 * k)
    const agent = await runAgent(
      app,
      [
        { mode: "missed-orders", store: app.store, count: 0, customers, authorized: { count: 2 * k, customers } },
        { mode: "catalog-variants", count: n },
      ],
      // The feed off while the catalog is made: nothing is sent (and the agent forgets any sync record anyway).
      { WOOWUP_API_URL: "http://127.0.0.1:9", WOOWUP_API_KEY: "bench-catalog-agent", WOOWUP_OPTIONS: JSON.stringify({ reconcile: { enabled: false } }) },
      Math.max(600_000, n * 100)
    )
    const orders = agent.flatMap((o) => (o.mode === "missed-orders" ? o.authorized : []))
    const made = agent.flatMap((o) => (o.mode === "catalog-variants" ? [o] : []))[0]

    const sandbox = await startWoowupSandbox({ port: 0, requestsPerMinute: rpm, apiKey: `bench-catalog-${process.pid}`, maxLoggedRequests: 4 * n + 10_000 })
    onCleanup(() => sandbox.close())
    addKnownCustomers(sandbox, customers)
    const options_ = { requestsPerMinute: rpm, catalog: { enabled: true, currency: app.store.currencyCode }, reconcile: { enabled: false } }
    const on = new BenchProcess("catalog", await freePort(), pluginEnv(app, sandbox, options_), path.join(WORK, "catalog.log"))
    onCleanup(() => on.stop())
    say(`  up in ${((await on.start()) / 1000).toFixed(1)} s`)
    const api = httpClient(on.url)
    const admin = await loginAdmin(api, app.admin)

    step(`Capture → WoowUp without a backfill: ${k} captures`)
    const without = await timeCaptures({ process: on, admin, sandbox, orders: orders.slice(0, k), gapMs: 200 })
    say(`  p50 ${without.p50_ms} ms, p95 ${without.p95_ms} ms`)

    step(`Catalog backfill: the resync of every product, ${k} captures while it runs`)
    const { backfill: b, during } = await backfill({ process: on, api, admin, sandbox, rpm, orders: orders.slice(k, 2 * k), captureGapMs: options.smoke ? 200 : 2000 })
    say(`  ${b.variants} variants in ${b.duration_s} s, ${b.calls_per_min}/min (${b.share_of_limit} of ${rpm}), ${b.calls_per_variant} calls each`)
    say(`  RSS ${b.rss_mb.quarter} MB at a quarter, ${b.rss_mb.end} MB at the end; captures during it p50 ${during.p50_ms} ms (${during.under_way} of ${during.captures} before it ended)`)

    step("WoowUp calls per catalog change (admin API)")
    const changes = await callsPerCatalogChange({ api, admin, app, sandbox })
    say(`  ${changes.map((c) => `${c.change}: ${c.calls}`).join("; ")}`)
    await on.stop()
    await sandbox.close()
    const { progress_at: _w, ...withoutFigures } = without
    return {
      catalog: {
        rpm_limit: rpm,
        created_in_s: Math.round((made?.ms ?? NaN) / 100) / 10,
        changes,
        backfill: b,
        capture_to_woowup: { without: withoutFigures, during, latency_ms: 0 },
      },
    }
  },
  rows: (r, { miss, f }) => {
    const c = r.catalog
    if (!c) {
      return []
    }
    const b = c.backfill
    const { without, during } = c.capture_to_woowup
    const wrong = c.changes.filter((x) => x.calls !== x.expected)
    const rows: Row[] = [
      [
        "WoowUp calls per catalog change (admin API; a product of 3 variants)",
        c.changes.map((x) => `${x.change}: ${x.calls}`).join("; "),
        miss(!wrong.length, `${wrong.map((x) => `${x.change}: ${x.calls} calls, expected ${x.expected}`).join("; ")}`),
      ],
      [
        `Catalog backfill of ${b.variants} variants (WoowUp and the plugin at ${c.rpm_limit}/min, products lane: half)`,
        `${f(b.duration_s)} s; ${f(b.calls_per_min, 0)} calls/min = ${f(b.share_of_limit, 3)} of R (the catalog's share: 0.5); ${f(b.calls_per_variant, 3)} calls per variant; ${b.too_many_429} × 429; RSS ${f(b.rss_mb.quarter)} MB at a quarter, ${f(b.rss_mb.end)} MB at the end (${f(b.rss_end_minus_quarter_mb)} MB), peak ${f(b.rss_mb.peak)}`,
        miss(
          b.calls_per_variant <= 1 && b.rss_end_minus_quarter_mb <= TARGETS.memoryGrowthMb,
          `backfill: ${f(b.calls_per_variant, 3)} calls per variant (target 1), RSS grew ${f(b.rss_end_minus_quarter_mb)} MB from a quarter to the end (flat: ${TARGETS.memoryGrowthMb} MB)`
        ),
      ],
      [
        `Capture → WoowUp during a catalog backfill vs without (${during.captures} captures each, WoowUp answering at once)`,
        `during p50 ${f(during.p50_ms)} ms, p95 ${f(during.p95_ms)} ms (${during.under_way} of ${during.captures} before the backfill ended); without p50 ${f(without.p50_ms)} ms, p95 ${f(without.p95_ms)} ms`,
        miss(
          during.p50_ms <= Math.max(2 * without.p50_ms, without.p50_ms + 300),
          `capture → WoowUp p50 ${f(during.p50_ms)} ms during a backfill, ${f(without.p50_ms)} ms without: target within 2× or 300 ms`
        ),
      ],
    ]
    return rows
  },
}
