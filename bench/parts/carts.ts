/**
 * "Abandoned carts' page query": 100,000 rows (`--query-carts`) of cart activity inserted with SQL (generate_series) into the seeded
 * database, inside a transaction rolled back at the end (nothing is left for the other parts), then the job's
 * discovery walked page by page exactly as the carts feed runs it (`findAbandonedCarts`), each page timed, the first
 * one under EXPLAIN ANALYZE. The issue's target: one page under 50 ms.
 */
import { Client } from "pg"
import { findAbandonedCarts } from "../../src/modules/woowup/records/cart-activity"
import { say } from "../progress"
import { TARGETS } from "../targets"
import { percentile, round } from "../util"
import type { BenchPart } from "./part"

const PAGE = 100

export type CartQueryFigures = {
  carts: number
  pages: number
  found: number
  page_ms: { p50: number; p95: number; max: number }
  explain_execution_ms: number
  indexes: string[]
}

/**
 * Per 100 carts, their last change spread over the last 100 hours: 70 open and already taken by a sync (a synced
 * record), 10 completed and taken, 5 completed since they were sent (a recovery due), 15 open and never taken.
 * The 15 and 5 in the window are what a job finds.
 */
const insertSql = (carts: number) => `
WITH src AS (SELECT i, i % 100 AS kind, now() - (i * 360000.0 / ${carts}) * interval '1 second' AS changed
             FROM generate_series(1, ${carts}) i),
act AS (
  INSERT INTO woowup_cart_activity (id, cart_id, changed_at, completed_at, taken_at, created_at, updated_at)
  SELECT 'wucact_b' || i, 'cart_b' || lpad(i::text, 7, '0'), changed,
         CASE WHEN kind BETWEEN 70 AND 84 THEN changed + interval '30 minutes' END,
         CASE WHEN kind < 70 THEN changed + interval '1 minute' WHEN kind BETWEEN 70 AND 79 THEN changed + interval '31 minutes'
              WHEN kind BETWEEN 80 AND 84 THEN changed + interval '1 minute' END,
         changed, changed
  FROM src RETURNING 1)
INSERT INTO woowup_cart_sync (id, cart_id, status, trigger, body_hash, attempts, last_attempt_at, synced_at, identity,
                              recovered, created_at, updated_at)
SELECT 'wucrt_b' || i, 'cart_b' || lpad(i::text, 7, '0'), 'synced', 'reconcile', 'h', 1, changed, changed,
       'bench.' || kind || '@example.com', kind BETWEEN 70 AND 79, changed, changed
FROM src WHERE kind < 85`

/** A `SqlEntityManager`'s `execute` over one pg client, recording the last statement for EXPLAIN. */
function managerOf(client: Client, last: { sql: string; params: unknown[] }) {
  return {
    execute: async (sql: string, params: unknown[] = []) => {
      let n = 0
      const text = sql.replace(/\?/g, () => `$${++n}`)
      last.sql = text
      last.params = params
      return (await client.query(text, params)).rows
    },
  } as any
}

export async function measureCartQuery(databaseUrl: string, carts = 100_000): Promise<CartQueryFigures> {
  const client = new Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    await client.query("BEGIN")
    await client.query(insertSql(carts))
    await client.query("ANALYZE woowup_cart_activity, woowup_cart_sync")
    const last = { sql: "", params: [] as unknown[] }
    const manager = managerOf(client, last)
    const input = { limit: PAGE, now: new Date(), afterMinutes: 60, maxAgeHours: 72 }
    const times: number[] = []
    let found = 0
    let cursor: string | null = ""
    let first: { sql: string; params: unknown[] } | undefined
    while (cursor !== null) {
      const started = process.hrtime.bigint()
      const page: { ids: string[]; cursor: string | null } = await findAbandonedCarts(manager, { ...input, after_id: cursor })
      times.push(Number(process.hrtime.bigint() - started) / 1e6)
      first ??= { ...last }
      found += page.ids.length
      cursor = page.cursor
    }
    const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${first!.sql}`, first!.params)
    const plan = rows[0]["QUERY PLAN"][0]
    const indexes = new Set<string>()
    const walk = (node: any) => {
      if (node["Index Name"]) indexes.add(node["Index Name"])
      for (const child of node.Plans ?? []) walk(child)
    }
    walk(plan.Plan)
    const sorted = [...times].sort((a, b) => a - b)
    return {
      carts,
      pages: times.length,
      found,
      page_ms: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] },
      explain_execution_ms: plan["Execution Time"],
      indexes: [...indexes],
    }
  } finally {
    await client.query("ROLLBACK").catch(() => {})
    await client.end()
  }
}

export const cartsPart: BenchPart = {
  name: "carts",
  measure: async (bench) => {
    const carts = await measureCartQuery(bench.base.databaseUrl, bench.options.queryCarts)
    say(
      `  the abandoned carts' page query on ${carts.carts} carts: ${carts.pages} pages, p50 ${round(carts.page_ms.p50)} ms, ` +
        `p95 ${round(carts.page_ms.p95)} ms, EXPLAIN ANALYZE ${round(carts.explain_execution_ms)} ms`
    )
    return { carts }
  },
  rows: (r, { miss, f }) => {
    const c = r.carts
    return c
      ? [
          [
            `Abandoned carts' page query, ${c.carts.toLocaleString("en")} carts (${c.pages} pages of ${PAGE})`,
            `p50 ${f(c.page_ms.p50)} ms, p95 ${f(c.page_ms.p95)} ms, max ${f(c.page_ms.max)} ms; EXPLAIN ANALYZE ${f(c.explain_execution_ms, 2)} ms; ${c.found} found; uses ${c.indexes.join(", ")}`,
            miss(c.page_ms.p95 < TARGETS.queryPageMs, `the carts' page p95 is ${f(c.page_ms.p95)} ms, target under 50 ms`),
          ],
        ]
      : []
  },
}
