/** The agent's `query`: the reconcile job's page query (`findOrdersToReconcile`) on a large table, timed, with EXPLAIN ANALYZE. */
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { WOOWUP_MODULE } from "../../src/modules/woowup"
import { orderIdRange } from "../../src/modules/woowup/rules"
import type WoowupModuleService from "../../src/modules/woowup/service"
import { RECONCILE_SCAN } from "../../src/workflows/utils/orders-to-reconcile"
import type { AgentInput, QueryFigures } from "../types"
import { percentile, ulidAt } from "../util"

/**
 * `orders` orders spread evenly over [from, to), each with a captured payment collection and, for most of them, a
 * reward record that matches it, inserted with SQL (the modules would take minutes for 100,000). The mix, per 100
 * orders: 94 synced and matching, 2 without a record (missed), 1 failed and due, 1 failed and not due yet, 1 synced
 * but refunded since, 1 skipped as not captured and captured since. Then ANALYZE, as autovacuum would.
 */
async function insertOrders(knex: any, input: Extract<AgentInput, { mode: "query" }>): Promise<void> {
  const from = new Date(input.from).getTime()
  const span = new Date(input.to).getTime() - from
  const CHUNK = 10_000
  const raw = (v: number) => JSON.stringify({ value: String(v), precision: 20 })
  for (let start = 0; start < input.orders; start += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, input.orders - start) }, (_, j) => {
      const i = start + j
      const ms = from + Math.floor((span * i) / input.orders)
      return { i, ms, ulid: ulidAt(ms) }
    })
    const list = (values: Array<string | number>) => `{${values.join(",")}}`
    const ids = list(rows.map((r) => r.ulid))
    const mss = list(rows.map((r) => r.ms))
    const kinds = list(rows.map((r) => r.i % 100))
    await knex.raw(
      `WITH src AS (SELECT u.ulid, u.ms, u.kind FROM unnest(?::text[], ?::bigint[], ?::int[]) AS u(ulid, ms, kind)),
       o AS (
         INSERT INTO "order" (id, region_id, currency_code, email, status, is_draft_order, version, created_at, updated_at)
         SELECT 'order_' || ulid, ?, 'usd', 'bench.' || kind || '@example.com', 'pending', false, 1,
                to_timestamp(ms / 1000.0), to_timestamp(ms / 1000.0)
         FROM src RETURNING id),
       pc AS (
         INSERT INTO payment_collection (id, currency_code, amount, raw_amount, captured_amount, raw_captured_amount,
                                         refunded_amount, raw_refunded_amount, status, created_at, updated_at)
         SELECT 'pay_col_' || ulid, 'usd', 100, ?::jsonb, 100, ?::jsonb,
                CASE WHEN kind = 98 THEN 50 ELSE 0 END, CASE WHEN kind = 98 THEN ?::jsonb ELSE ?::jsonb END,
                'completed', to_timestamp(ms / 1000.0), to_timestamp(ms / 1000.0)
         FROM src RETURNING id),
       opc AS (
         INSERT INTO order_payment_collection (id, order_id, payment_collection_id)
         SELECT 'ordpaycol_' || ulid, 'order_' || ulid, 'pay_col_' || ulid FROM src RETURNING id)
       INSERT INTO woowup_reward (id, order_id, status, reason, retryable, trigger, invoice_number, identifier, identity,
                                  points, amount, currency_code, attempts, last_attempt_at, synced_at, next_attempt_at,
                                  captured_amount, refunded_amount, canceled, created_at, updated_at)
       SELECT 'wurew_' || ulid, 'order_' || ulid,
              CASE WHEN kind IN (96, 97) THEN 'failed' WHEN kind = 99 THEN 'skipped' ELSE 'synced' END,
              CASE WHEN kind IN (96, 97) THEN 'WoowUp answered 503' WHEN kind = 99 THEN 'nothing_captured' END,
              kind IN (96, 97), 'payment_captured', 'order_' || ulid, 'email', 'bench.' || kind || '@example.com',
              CASE WHEN kind IN (96, 97, 99) THEN NULL ELSE 100 END, 100, 'usd', 1, to_timestamp(ms / 1000.0),
              CASE WHEN kind IN (96, 97, 99) THEN NULL ELSE to_timestamp(ms / 1000.0) END,
              CASE WHEN kind = 96 THEN now() - interval '1 minute' WHEN kind = 97 THEN now() + interval '1 hour' END,
              CASE WHEN kind = 99 THEN 0 ELSE 100 END, 0, false, to_timestamp(ms / 1000.0), to_timestamp(ms / 1000.0)
       FROM src WHERE kind NOT IN (94, 95)`,
      [ids, mss, kinds, input.region_id, raw(100), raw(100), raw(50), raw(0)]
    )
  }
  await knex.raw(`ANALYZE "order", payment_collection, order_payment_collection, woowup_reward`)
}

export async function measureQuery(container: MedusaContainer, input: Extract<AgentInput, { mode: "query" }>): Promise<QueryFigures> {
  const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
  const inserted = Date.now()
  await insertOrders(knex, input)
  process.stdout.write(`[bench agent] ${input.orders} orders, payment collections and rewards inserted in ${Date.now() - inserted} ms\n`)
  const { from_id, to_id } = orderIdRange(new Date(input.from), new Date(input.to))

  // The statement exactly as the service sends it, for EXPLAIN.
  let captured: { sql: string; bindings: unknown[] } | undefined
  const listener = (q: { sql: string; bindings?: unknown[] }) => {
    if (/WITH page AS/.test(q.sql)) {
      captured = { sql: q.sql, bindings: q.bindings ?? [] }
    }
  }
  const pageInput = (after: string) => ({ after_id: after, to_id, scan: RECONCILE_SCAN, ignore_spacing: false })

  // One warm-up page (plans and caches), then the whole window, page by page, as the job walks it.
  knex.on("query", listener)
  await woowup.findOrdersToReconcile(pageInput(from_id))
  knex.removeListener("query", listener)

  const pageMs: number[] = []
  let found = 0
  let after = from_id
  let pages = 0
  const walkStarted = performance.now()
  for (;;) {
    const t = performance.now()
    const page = await woowup.findOrdersToReconcile(pageInput(after))
    pageMs.push(performance.now() - t)
    pages++
    found += page.order_ids.length
    if (!page.cursor) {
      break
    }
    after = page.cursor
  }
  const walkMs = performance.now() - walkStarted

  // EXPLAIN ANALYZE of a page in the middle of the window.
  const middle = await knex.raw(`SELECT id FROM "order" WHERE id > ? AND id < ? ORDER BY id OFFSET ? LIMIT 1`, [from_id, to_id, Math.floor(input.orders / 2)])
  const middleId = middle.rows[0]?.id ?? from_id
  // MikroORM sends the values inlined: the page starts after the middle order instead of the window's start.
  const sql = captured!.sql.replace(/o\.id > '[^']*'/, `o.id > '${middleId}'`)
  const explain = captured!.bindings.length
    ? await knex.raw(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, captured!.bindings)
    : await knex.raw(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`)
  const plan = explain.rows.map((r: Record<string, string>) => r["QUERY PLAN"]) as string[]
  const indexes = [...new Set(plan.flatMap((line) => [...line.matchAll(/using (\S+) on (\S+)/gi)].map((m) => `${m[1]} on ${m[2]}`)))]
  const execution = plan.find((l) => /Execution Time/.test(l))

  return {
    orders: input.orders,
    pages,
    found,
    scan: RECONCILE_SCAN,
    page_ms: { p50: percentile(pageMs, 50), p95: percentile(pageMs, 95), max: Math.max(...pageMs) },
    walk_ms: walkMs,
    explain_execution_ms: execution ? Number(/([\d.]+) ms/.exec(execution)?.[1]) : null,
    indexes,
    plan,
  }
}
