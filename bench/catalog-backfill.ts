/**
 * "Catalog backfill" and "Capture → WoowUp during a backfill": the admin's resync of every product on a catalog
 * WoowUp has never seen, its pace, its calls and the process' resident memory; and orders captured through the admin
 * API while it runs, against the same captures on a quiet store.
 */
import { request, type AuthHeaders, type HttpClient } from "../integration-tests/helpers"
import type { WoowupSandbox } from "../src/sandbox"
import { timedCapture, watchStoredPurchases } from "./capture-timing"
import type { CatalogBackfillFigures, CaptureLatencyFigures } from "./figures"
import { sampleMemory } from "./memory"
import type { BenchProcess } from "./processes"
import { percentile, round } from "./util"
import { waitUntil } from "./wait-until"

type Order = { order_id: string; payment_id: string }

const catalogCalls = (sandbox: WoowupSandbox) => sandbox.requests.filter((r) => r.path.startsWith("/products")).length

/** Captures `orders` one after the other through the admin API: capture → purchase stored at the sandbox, each. */
export async function timeCaptures(opts: {
  process: BenchProcess
  admin: AuthHeaders
  sandbox: WoowupSandbox
  orders: Order[]
  /** Pause between two captures (spreads them over the backfill). */
  gapMs: number
  /** What to note at each capture (the backfill's variants stored so far). */
  progress?: () => number
}): Promise<CaptureLatencyFigures & { progress_at: number[] }> {
  const purchases = watchStoredPurchases(opts.sandbox)
  const ms: number[] = []
  const progressAt: number[] = []
  try {
    for (const o of opts.orders) {
      progressAt.push(opts.progress?.() ?? 0)
      const captured = await timedCapture(opts.process.url, o.payment_id, opts.admin)
      ms.push((await purchases.storedAt(o.order_id)) - captured.at)
      await new Promise((r) => setTimeout(r, opts.gapMs))
    }
  } finally {
    purchases.stop()
  }
  return {
    captures: ms.length,
    samples_ms: ms.map((x) => round(x, 1)),
    p50_ms: round(percentile(ms, 50), 1),
    p95_ms: round(percentile(ms, 95), 1),
    progress_at: progressAt,
  }
}

/**
 * The resync of every product (`POST /admin/woowup/resync { products: "all" }`), with `orders` captured while it
 * runs; it is over when WoowUp holds a product for each variant found. Resident memory is sampled every half second.
 */
export async function backfill(opts: {
  process: BenchProcess
  api: HttpClient
  admin: AuthHeaders
  sandbox: WoowupSandbox
  rpm: number
  orders: Order[]
  captureGapMs: number
}): Promise<{ backfill: CatalogBackfillFigures; during: CaptureLatencyFigures & { under_way: number } }> {
  const { sandbox } = opts
  const callsBefore = catalogCalls(sandbox)
  const storedBefore = sandbox.state.products.length
  const done = () => sandbox.state.products.length - storedBefore
  const memory = sampleMemory([opts.process], done)
  const t0 = performance.now()
  const { resync } = await request("resync", "post", opts.api, "/admin/woowup/resync", { products: "all" }, opts.admin)
  const variants: number = resync.products_found
  const captures = await timeCaptures({ process: opts.process, admin: opts.admin, sandbox, orders: opts.orders, gapMs: opts.captureGapMs, progress: done })
  await waitUntil(`WoowUp to hold all ${variants} variants`, () => done() >= variants, Math.max(600_000, variants * 200), 100)
  const durationS = (performance.now() - t0) / 1000
  memory.stop()

  const calls = catalogCalls(sandbox) - callsBefore
  const samples = memory.samples.get(opts.process.name) ?? []
  // The first sample with a quarter of the variants stored, and the last one (the backfill's end).
  const quarter = samples.find((s) => s.done >= variants / 4)
  const end = samples[samples.length - 1]
  const perMinute = calls / (durationS / 60)
  return {
    backfill: {
      variants,
      duration_s: round(durationS, 1),
      rpm_limit: opts.rpm,
      catalog_calls: calls,
      calls_per_min: round(perMinute, 0),
      share_of_limit: round(perMinute / opts.rpm, 3),
      calls_per_variant: round(calls / variants, 3),
      too_many_429: sandbox.requests.filter((r) => r.status === 429).length,
      rss_mb: { before: samples[0]?.rss_mb ?? NaN, quarter: quarter?.rss_mb ?? NaN, end: end?.rss_mb ?? NaN, peak: Math.max(...samples.map((s) => s.rss_mb)) },
      rss_end_minus_quarter_mb: round((end?.rss_mb ?? NaN) - (quarter?.rss_mb ?? NaN), 1),
      samples: samples.filter((_, i) => i % 10 === 0 || i === samples.length - 1),
    },
    during: {
      captures: captures.captures,
      samples_ms: captures.samples_ms,
      p50_ms: captures.p50_ms,
      p95_ms: captures.p95_ms,
      // Captures made while WoowUp did not hold every variant yet: the backfill was still under way.
      under_way: captures.progress_at.filter((n) => n < variants).length,
    },
  }
}
