/**
 * The agent's `history-query`: the import's page query (`findHistoryPage`) on a large table, timed page by page as
 * the import walks it, with EXPLAIN ANALYZE of a page in the middle.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { WOOWUP_MODULE } from "../../src/modules/woowup"
import { HISTORY_SCAN } from "../../src/modules/woowup/records/history-orders"
import type WoowupModuleService from "../../src/modules/woowup/service"
import type { AgentInput, HistoryQueryFigures } from "../types"
import { percentile, ulidAt } from "../util"

/**
 * `orders` orders inserted with SQL as a migration leaves them: ids made now (in the table's primary-key order),
 * `created_at` spread over [from, to) in an order of its own. Per 100 orders: 90 with their payment captured (10 of
 * them with a reward record already), 10 with nothing captured. Their customers: one per 10 orders, half of them
 * with an account, and half of those synced by the customer feed (the page looks each order's customer up). Then
 * ANALYZE, as autovacuum would.
 */
async function insertHistory(knex: any, input: Extract<AgentInput, { mode: "history-query" }>): Promise<void> {
  const from = new Date(input.from).getTime()
  const span = new Date(input.to).getTime() - from
  const idsFrom = Date.now() - input.orders
  const CHUNK = 10_000
  const customers = Math.max(1, Math.floor(input.orders / 10))
  // Customers: `cus_hist_<n>`; n even: an account; n % 4 == 0: synced by the customer feed.
  await knex.raw(
    `WITH n AS (SELECT generate_series(0, ? - 1) AS n),
     c AS (INSERT INTO customer (id, email, first_name, last_name, has_account, created_at, updated_at)
           SELECT 'cus_hist_' || n, 'history.' || n || '@example.com', 'History', 'Customer ' || n, n % 2 = 0, now(), now() FROM n
           RETURNING id)
     INSERT INTO woowup_customer_sync (id, customer_id, status, trigger, identifier, identity, attempts, synced_at)
     SELECT 'wucus_hist_' || n, 'cus_hist_' || n, 'synced', 'resync', 'email', 'history.' || n || '@example.com', 1, now()
     FROM n WHERE n % 4 = 0`,
    [customers]
  )
  const raw = (v: number) => JSON.stringify({ value: String(v), precision: 20 })
  for (let start = 0; start < input.orders; start += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, input.orders - start) }, (_, j) => {
      const i = start + j
      // One id a millisecond apart (ascending), the date anywhere in the window.
      return { ulid: ulidAt(idsFrom + i), ms: from + Math.floor((span * ((i * 7919) % input.orders)) / input.orders), kind: i % 100, customer: i % customers }
    })
    const list = (values: Array<string | number>) => `{${values.join(",")}}`
    await knex.raw(
      `WITH src AS (SELECT u.ulid, u.ms, u.kind, u.customer FROM unnest(?::text[], ?::bigint[], ?::int[], ?::int[]) AS u(ulid, ms, kind, customer)),
       o AS (
         INSERT INTO "order" (id, region_id, currency_code, customer_id, email, status, is_draft_order, version, created_at, updated_at)
         SELECT 'order_' || ulid, ?, 'usd', 'cus_hist_' || customer, 'history.' || customer || '@example.com', 'completed', false, 1,
                to_timestamp(ms / 1000.0), to_timestamp(ms / 1000.0)
         FROM src RETURNING id),
       pc AS (
         INSERT INTO payment_collection (id, currency_code, amount, raw_amount, captured_amount, raw_captured_amount,
                                         status, created_at, updated_at)
         SELECT 'pay_col_' || ulid, 'usd', 100, ?::jsonb, CASE WHEN kind >= 90 THEN 0 ELSE 100 END,
                CASE WHEN kind >= 90 THEN ?::jsonb ELSE ?::jsonb END,
                CASE WHEN kind >= 90 THEN 'authorized' ELSE 'completed' END, to_timestamp(ms / 1000.0), to_timestamp(ms / 1000.0)
         FROM src RETURNING id),
       opc AS (
         INSERT INTO order_payment_collection (id, order_id, payment_collection_id)
         SELECT 'ordpaycol_' || ulid, 'order_' || ulid, 'pay_col_' || ulid FROM src RETURNING id)
       INSERT INTO woowup_reward (id, order_id, status, retryable, trigger, invoice_number, identifier, identity,
                                  points, amount, currency_code, attempts, last_attempt_at, synced_at,
                                  captured_amount, refunded_amount, canceled, created_at, updated_at)
       SELECT 'wurew_' || ulid, 'order_' || ulid, 'synced', false, 'payment_captured', 'order_' || ulid, 'email',
              'history.' || customer || '@example.com', 100, 100, 'usd', 1, to_timestamp(ms / 1000.0), to_timestamp(ms / 1000.0),
              100, 0, false, to_timestamp(ms / 1000.0), to_timestamp(ms / 1000.0)
       FROM src WHERE kind < 10`,
      [list(rows.map((r) => r.ulid)), list(rows.map((r) => r.ms)), list(rows.map((r) => r.kind)), list(rows.map((r) => r.customer)), input.region_id, raw(100), raw(0), raw(100)]
    )
  }
  await knex.raw(`ANALYZE "order", payment_collection, order_payment_collection, woowup_reward, customer, woowup_customer_sync`)
}

export async function measureHistoryQuery(container: MedusaContainer, input: Extract<AgentInput, { mode: "history-query" }>): Promise<HistoryQueryFigures> {
  const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
  const inserted = Date.now()
  await insertHistory(knex, input)
  const [{ count: tableOrders }] = (await knex.raw(`SELECT count(*)::int AS count FROM "order"`)).rows
  process.stdout.write(`[bench agent] history query: ${input.orders} orders inserted in ${Date.now() - inserted} ms (${tableOrders} in the table)\n`)
  const window = { from: new Date(input.from), to: new Date(input.to) }

  // The statement exactly as the service sends it, for EXPLAIN.
  let captured: { sql: string; bindings: unknown[] } | undefined
  const listener = (q: { sql: string; bindings?: unknown[] }) => {
    if (/WITH page AS/.test(q.sql) && /wanted AS/.test(q.sql)) {
      captured = { sql: q.sql, bindings: q.bindings ?? [] }
    }
  }
  // One warm-up page (plans and caches), then the whole table, page by page, as an import walks it.
  knex.on("query", listener)
  await woowup.findHistoryPage({ after_id: "", scan: HISTORY_SCAN, ...window })
  knex.removeListener("query", listener)

  const pageMs: number[] = []
  let found = 0
  let after = ""
  let pages = 0
  const walkStarted = performance.now()
  for (;;) {
    const t = performance.now()
    const page = await woowup.findHistoryPage({ after_id: after, scan: HISTORY_SCAN, ...window })
    pageMs.push(performance.now() - t)
    pages++
    found += page.orders.length
    if (!page.cursor) {
      break
    }
    after = page.cursor
  }
  const walkMs = performance.now() - walkStarted

  // EXPLAIN ANALYZE of a page in the middle of the table.
  const middle = await knex.raw(`SELECT id FROM "order" ORDER BY id OFFSET ? LIMIT 1`, [Math.floor(tableOrders / 2)])
  const middleId: string = middle.rows[0]?.id ?? ""
  if (!captured) {
    throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "the import's page query was not seen on the connection (knex 'query' event)")
  }
  // MikroORM sends the values inlined: the page starts after the middle order instead of the table's start.
  const sql = captured.sql.replace(/o\.id > '[^']*'/, `o.id > '${middleId}'`)
  const explain = captured.bindings.length
    ? await knex.raw(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, captured.bindings)
    : await knex.raw(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`)
  const plan = explain.rows.map((r: Record<string, string>) => r["QUERY PLAN"]) as string[]
  const indexes = [...new Set(plan.flatMap((line) => [...line.matchAll(/using (\S+) on (\S+)/gi)].map((m) => `${m[1]} on ${m[2]}`)))]
  const seqScans = [...new Set(plan.flatMap((line) => [...line.matchAll(/Seq Scan on (\S+)/g)].map((m) => `Seq Scan on ${m[1]}`)))]
  const execution = plan.find((l) => /Execution Time/.test(l))

  return {
    orders: input.orders,
    table_orders: tableOrders,
    pages,
    found,
    scan: HISTORY_SCAN,
    page_ms: { p50: percentile(pageMs, 50), p95: percentile(pageMs, 95), max: Math.max(...pageMs) },
    walk_ms: walkMs,
    explain_execution_ms: execution ? Number(/([\d.]+) ms/.exec(execution)?.[1]) : null,
    indexes,
    seq_scans: seqScans,
    plan,
  }
}
