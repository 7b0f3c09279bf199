/**
 * The bench's figures as written to `bench/results.json`: the machine, the options, then each part's figures. (Not
 * named results.ts: next to results.json, `require("./results")` would load the JSON.)
 */
import type { CartQueryFigures } from "./parts/carts"
import type { ImportPartFigures } from "./parts/import"
import os from "node:os"
import type { BenchOptions } from "./options"
import type { FloodFigures } from "./storefront-flood"
import type { CallsFigure, QueryCountFigures, QueryFigures, RedeemFigures } from "./types"
import { round } from "./util"

export type CatchupFigures = {
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
  /** Each worker's memory, when more than one sent (`memory` is the one that grew the most). */
  memory_all?: MemoryFigures[]
  note?: string
}

export type MemoryFigures = {
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

export type CaptureFigures = {
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

export type CatalogChangeFigure = { change: string; expected: number; calls: number; by_call: string[] }

export type CaptureLatencyFigures = { captures: number; samples_ms: number[]; p50_ms: number; p95_ms: number }

export type CatalogBackfillFigures = {
  variants: number
  duration_s: number
  rpm_limit: number
  catalog_calls: number
  calls_per_min: number
  /** Catalog calls a minute ÷ R: the products lane's share (half of R). */
  share_of_limit: number
  calls_per_variant: number
  too_many_429: number
  /** Resident memory of the process: before the resync, at a quarter of the variants stored, at the end, peak. */
  rss_mb: { before: number; quarter: number; end: number; peak: number }
  rss_end_minus_quarter_mb: number
  samples: Array<{ s: number; rss_mb: number; done: number }>
}

export type CatalogFigures = {
  rpm_limit: number
  /** Seconds to make the catalog through the product module (not measured against a target). */
  created_in_s: number
  changes: CatalogChangeFigure[]
  backfill: CatalogBackfillFigures
  capture_to_woowup: { without: CaptureLatencyFigures; during: CaptureLatencyFigures & { under_way: number }; latency_ms: number }
}

export type Results = {
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
  options: BenchOptions
  duration_s?: number
  calls?: { scenarios: CallsFigure[]; woowup_connectors_per_order: number }
  catchup?: { one_process?: CatchupFigures; three_processes?: CatchupFigures | { skipped: string } }
  capture?: CaptureFigures
  flood?: FloodFigures
  query?: Omit<QueryFigures, "plan"> & { plan: string[] }
  /** The abandoned carts' page query (bench/parts/carts.ts). */
  carts?: CartQueryFigures
  queries_per_redelivered_event?: QueryCountFigures
  catalog?: CatalogFigures
  /** Spending points at checkout (bench/parts/redeem.ts). */
  redeem?: RedeemFigures
  /** The history import (bench/parts/import.ts). */
  import?: ImportPartFigures
  table?: string
  misses?: string[]
}

/** The results before any part ran: the machine as it is now, the date and the options. */
export function startResults(options: BenchOptions): Results {
  return {
    machine: {
      cpus: os.cpus().length,
      cpu_model: os.cpus()[0]?.model ?? "unknown",
      memory_gb: round(os.totalmem() / 2 ** 30, 1),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      load_avg_at_start: os.loadavg().map((l) => round(l, 2)),
    },
    date: new Date().toISOString(),
    options,
  }
}
