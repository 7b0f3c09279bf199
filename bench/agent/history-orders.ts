/**
 * The agent's `history-orders`: a store's history for the import. Real captured orders made in bulk through the
 * modules as the missed orders are (`createOrdersInBulk`: no event, the plugin never saw them), then dated back with
 * SQL over [from, to) as a migration from another platform leaves them: original dates, ids of the day they were
 * made, and the dates shuffled against the ids (a platform's export is seldom in date order).
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import type { AgentInput, AgentOutput } from "../types"
import { createOrdersInBulk } from "./missed-orders"

/** A spread of `n` positions that does not follow the ids: a step prime to `n` (any n up to 10^6 has one below). */
function shuffledSlot(i: number, n: number): number {
  const steps = [7919, 7907, 7901, 7883, 7879]
  const step = steps.find((s) => n % s !== 0) ?? 1
  return (i * step) % n
}

export async function createHistoryOrders(
  container: MedusaContainer,
  input: Extract<AgentInput, { mode: "history-orders" }>
): Promise<Omit<Extract<AgentOutput, { mode: "history-orders" }>, "mode">> {
  const log = (line: string) => process.stdout.write(`[bench agent] history: ${line}\n`)
  const made = await createOrdersInBulk(container, { store: input.store, customers: input.customers, count: input.count, captured: true, keep: true }, log)
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
  const from = new Date(input.from).getTime()
  const span = new Date(input.to).getTime() - from
  const n = made.kept.length
  const dated = Date.now()
  const CHUNK = 5000
  for (let start = 0; start < n; start += CHUNK) {
    const part = made.kept.slice(start, start + CHUNK)
    const ids = part.map((o) => o.order_id)
    const mss = part.map((_, j) => from + Math.floor((span * shuffledSlot(start + j, n)) / n))
    // The order, its payment and its capture: created then, captured an hour later (`approvedtime`).
    await pg.raw(
      `WITH d AS (SELECT u.id, to_timestamp(u.ms / 1000.0) AS at FROM unnest(?::text[], ?::bigint[]) AS u(id, ms)),
       o AS (UPDATE "order" o SET created_at = d.at, updated_at = d.at FROM d WHERE o.id = d.id RETURNING o.id),
       p AS (UPDATE payment p SET created_at = d.at, captured_at = d.at + interval '1 hour'
             FROM d, order_payment_collection opc
             WHERE opc.order_id = d.id AND p.payment_collection_id = opc.payment_collection_id RETURNING p.id)
       UPDATE capture c SET created_at = d.at + interval '1 hour'
       FROM d, order_payment_collection opc, payment p
       WHERE opc.order_id = d.id AND p.payment_collection_id = opc.payment_collection_id AND c.payment_id = p.id`,
      [`{${ids.join(",")}}`, `{${mss.join(",")}}`]
    )
  }
  await pg.raw(`ANALYZE "order", payment, capture`)
  log(`${n} orders made in ${made.ms} ms, dated back over ${input.from.slice(0, 10)} → ${input.to.slice(0, 10)} in ${Date.now() - dated} ms`)
  return { count: n, ms: made.ms }
}
