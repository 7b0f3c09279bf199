/** What the orchestrator and the in-process agent say to each other (JSON files), and the figures they make. */
import type { SeededStore } from "../integration-tests/helpers/seed-store"

export type BenchCustomer = { email: string; first_name: string; last_name: string; phone: string }

export type CallsScenario =
  | "returning_customer"
  | "new_customer"
  | "customer_synced_at_signup"
  | "same_event_three_times"
  | "partial_capture_then_rest"
  | "refund"

export type SandboxRef = { url: string; controlUrl: string; apiKey: string }

export type AgentInput =
  | {
      mode: "missed-orders"
      store: SeededStore
      count: number
      customers: BenchCustomer[]
      /** Also orders only authorized (made after the missed ones' window), for the capture route. */
      authorized: { count: number; customers: BenchCustomer[] }
    }
  | { mode: "scenarios"; store: SeededStore; sandbox: SandboxRef; repeat: number }
  | { mode: "query"; orders: number; from: string; to: string; region_id: string }
  /** `count` variants (products of up to 5 sizes) through the product module, that WoowUp has never seen. */
  | { mode: "catalog-variants"; count: number }
  /** Cart completion with points against without, and the WoowUp calls of a redeemed order (./agent/redeem.ts). */
  | { mode: "redeem"; store: SeededStore; sandbox: SandboxRef; pairs: number; warmup: number }
  /** `count` captured orders the plugin never saw, of `customers`, dated back over [from, to) (bench/agent/history-orders.ts). */
  | { mode: "history-orders"; store: SeededStore; count: number; customers: BenchCustomer[]; from: string; to: string }
  /** The import's page query on `orders` orders inserted with SQL, created over [from, to) (bench/agent/history-query.ts). */
  | { mode: "history-query"; orders: number; from: string; to: string; region_id: string }

export type QueryCountFigures = {
  order_id: string
  /** Statements of one run of the award workflow on a synced, fully captured order. */
  workflow: number
  workflow_statements: string[]
  /** Statements of one `payment.captured` delivery (the subscriber finds the payment's order, then the workflow). */
  event: number
  event_statements: string[]
}

export type QueryFigures = {
  orders: number
  pages: number
  found: number
  scan: number
  page_ms: { p50: number; p95: number; max: number }
  walk_ms: number
  explain_execution_ms: number | null
  indexes: string[]
  plan: string[]
}

/** The import's page query (`findHistoryPage`): the whole table walked by primary-key pages, filtered by date. */
export type HistoryQueryFigures = {
  /** Orders inserted for it (the table holds these and the store's own). */
  orders: number
  /** Orders in the table when it was walked. */
  table_orders: number
  pages: number
  found: number
  scan: number
  page_ms: { p50: number; p95: number; max: number }
  walk_ms: number
  explain_execution_ms: number | null
  indexes: string[]
  /** "Seq Scan on …" lines of the plan (none expected on "order"). */
  seq_scans: string[]
  plan: string[]
}

export type CallsFigure = {
  scenario: CallsScenario
  orders: number
  calls: number[]
  per_order: number
  by_path: Record<string, number>
  final_status: string
  /** WoowUp calls when the customer signed up (before the order), for `customer_synced_at_signup`. */
  signup_calls?: number
}

export type AgentOutput =
  | {
      mode: "missed-orders"
      count: number
      from: string
      to: string
      middle: string
      ms: number
      authorized: Array<{ order_id: string; payment_id: string; email: string }>
    }
  | { mode: "scenarios"; calls: CallsFigure[]; queries: QueryCountFigures }
  | { mode: "query"; query: QueryFigures }
  | { mode: "catalog-variants"; variants: number; ms: number }
  | ({ mode: "redeem" } & RedeemFigures)
  | { mode: "history-orders"; count: number; ms: number }
  | { mode: "history-query"; query: HistoryQueryFigures }

/** Spending points at checkout (docs/redeem-points.md). */
export type RedeemFigures = {
  pairs: number
  complete_ms: { with_points: { p50: number; p95: number }; without_points: { p50: number; p95: number } }
  woowup_round_trip_p50_ms: number
  calls: { redeemed: { calls: number; by_path: Record<string, number> }; without_points: { calls: number; by_path: Record<string, number> } }
}
