/**
 * "Reconcile job's page query": the agent inserts the orders with SQL into the scratch database, over the week
 * before the missed orders (outside every window the other parts use), and walks them as the job does
 * (`bench/agent/reconcile-query.ts`). Its task goes last, so nothing else runs on a table that large.
 */
import { agentOutput } from "../bench"
import { say } from "../progress"
import { TARGETS } from "../targets"
import { round } from "../util"
import type { BenchPart } from "./part"

export const queryPart: BenchPart = {
  name: "query",
  agentTasks: (bench) => {
    const to = Date.now() - 3_600_000
    return [{ mode: "query", orders: bench.options.queryOrders, from: new Date(to - 7 * 24 * 3_600_000).toISOString(), to: new Date(to).toISOString(), region_id: bench.base.store.regionId }]
  },
  prepare: async (bench) => {
    const out = agentOutput(bench, "query")
    if (!out) {
      return
    }
    const q = out.query
    say(`  the job's query on ${q.orders} orders: ${q.pages} pages of ${q.scan}, p50 ${round(q.page_ms.p50)} ms, p95 ${round(q.page_ms.p95)} ms`)
    return { query: q }
  },
  rows: (r, { miss, f }) => {
    const q = r.query
    return q
      ? [
          [
            `Reconcile job's page query, ${q.orders.toLocaleString("en")} orders (${q.pages} pages of ${q.scan})`,
            `p50 ${f(q.page_ms.p50)} ms, p95 ${f(q.page_ms.p95)} ms, max ${f(q.page_ms.max)} ms; EXPLAIN ANALYZE ${f(q.explain_execution_ms ?? NaN, 2)} ms; ${q.found} found; uses ${q.indexes.join(", ")}`,
            miss(q.page_ms.p95 < TARGETS.queryPageMs, `the job's page p95 is ${f(q.page_ms.p95)} ms, target under 50 ms`),
          ],
        ]
      : []
  },
}
