import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import { otherAccountSql, thisAccountSql } from "../account"
import { attemptDueSql } from "../engine/claims"
import { adjustmentWorkSql, rewardWorkSql } from "../work-due"
import { rewardConvergedSql, unsettledAdjustmentSql } from "./convergence"

/** The reconcile job's (and an admin's resync's) search for the orders to take through the workflow. */

export type FindOrdersToReconcileInput =
  /** `other_account`: only those whose record was written for another WoowUp account. */
  | { order_ids: string[]; other_account?: boolean }
  | {
      /** Exclusive lower bound (the previous page's cursor, or the window's start). */
      after_id: string
      /** Exclusive upper bound. */
      to_id: string
      /** Orders looked at in this page. */
      scan: number
      only_failed?: boolean
      /** An admin's resync: failures are due now, not at their next attempt time. */
      ignore_spacing?: boolean
      /**
       * The job: only orders created from then on (its window's start). Orders migrated into Medusa keep their
       * original dates but get ids of the day of the migration: they are history, not missed orders.
       */
      created_from?: Date
    }

/**
 * Whether the job should take the order of `p` (something captured) through the workflow now: no record (the
 * event never came); skipped on payments that changed since; synced on payments that changed since; work the
 * record already knows about (see work-due.ts), including a claim another run holds: the run revisits it; or a
 * failed adjustment (the run reports the order failed; only an admin's resync of the order sends it again).
 * Another account's records are left alone.
 */
function reconcileDueSql(input: { only_failed?: boolean; ignore_spacing?: boolean }, account: string): string {
  const failedDue = `(${thisAccountSql("r", account)} AND r.status = 'failed' AND r.retryable${
    input.ignore_spacing ? "" : ` AND ${attemptDueSql("r")}`
  })`
  if (input.only_failed) {
    return `(${failedDue} OR (${thisAccountSql("r", account)} AND r.status = 'synced'
      AND ${unsettledAdjustmentSql("r", account, "'failed'")}))`
  }
  const changed = `(r.captured_amount IS DISTINCT FROM p.captured OR r.refunded_amount IS DISTINCT FROM p.refunded
    OR r.canceled IS DISTINCT FROM p.canceled)`
  // One probe of the adjustments per synced order: failed, or pending, unowned and due.
  return `r.id IS NULL
    OR (${thisAccountSql("r", account)} AND r.status IN ('skipped', 'synced') AND ${changed})
    OR ${rewardWorkSql("r", input, account)}
    OR (${thisAccountSql("r", account)} AND r.status = 'synced' AND EXISTS (
      SELECT 1 FROM woowup_points_adjustment a WHERE a.order_id = r.order_id
        AND (${adjustmentWorkSql("a", input, account)}
          OR (a.status = 'failed' AND a.deleted_at IS NULL AND ${thisAccountSql("a", account)}))))`
}

/**
 * One page of orders to reconcile: among the next `scan` orders (by id, so by creation time) after `after_id`
 * and before `to_id`, those with something captured whose record does not say WoowUp holds what they want (see
 * the README, "How the job finds orders"). Or, with `order_ids`, those of these orders that are not converged.
 * One index-backed query on the order's primary key, whatever the size of the store.
 */
export async function findOrdersToReconcile(
  manager: SqlEntityManager,
  account: string,
  input: FindOrdersToReconcileInput
): Promise<{ order_ids: string[]; cursor: string | null }> {
  const byIds = "order_ids" in input
  const page = byIds
    ? `SELECT o.id, o.created_at, (o.canceled_at IS NOT NULL OR o.status = 'canceled') AS canceled FROM "order" o
       WHERE o.id = ANY(string_to_array(?, ',')) AND o.deleted_at IS NULL`
    : `SELECT o.id, o.created_at, (o.canceled_at IS NOT NULL OR o.status = 'canceled') AS canceled FROM "order" o
       WHERE o.id > ? AND o.id < ? AND o.deleted_at IS NULL AND o.is_draft_order = false
       ORDER BY o.id LIMIT ?`
  const due = byIds
    ? `NOT (${rewardConvergedSql("p", account)})${input.other_account ? ` AND ${otherAccountSql("r", account)}` : ""}`
    : reconcileDueSql(input, account)
  // Ids are joined, not passed as an array: the driver would spread an array into a list of parameters.
  const params: unknown[] = byIds ? [input.order_ids.join(",")] : [input.after_id, input.to_id, input.scan]
  const createdFrom = !byIds && input.created_from ? input.created_from : null
  if (createdFrom) {
    params.push(createdFrom)
  }
  // Each order's payments and record through LATERAL subqueries: index lookups per order of the page, whatever
  // the tables' size. As plain joins, PostgreSQL 18 hashed the whole link table (or the reward table) for every
  // page instead: a sequential scan per page, 35 to 50 ms a page at 100,000 orders and growing with the table
  // (measured by `npm run bench`). `LIMIT 1` (one record per order) keeps the planner from flattening it back.
  const [row] = await manager.execute(
    `WITH page AS (${page}),
     paid AS (
       SELECT page.id, page.created_at, page.canceled, COALESCE(t.captured, 0) AS captured, COALESCE(t.refunded, 0) AS refunded
       FROM page
       LEFT JOIN LATERAL (
         SELECT SUM(pc.captured_amount) AS captured, SUM(pc.refunded_amount) AS refunded
         FROM order_payment_collection opc
         JOIN payment_collection pc ON pc.id = opc.payment_collection_id AND pc.deleted_at IS NULL
         WHERE opc.order_id = page.id AND opc.deleted_at IS NULL
       ) t ON true
     )
     SELECT (SELECT max(id) FROM page) AS cursor,
            COALESCE(array_agg(p.id ORDER BY p.id) FILTER (WHERE p.captured > 0 AND (${due})${
              createdFrom ? " AND p.created_at >= ?" : ""
            }), '{}') AS order_ids
     FROM paid p
     LEFT JOIN LATERAL (
       SELECT * FROM woowup_reward r WHERE r.order_id = p.id AND r.deleted_at IS NULL LIMIT 1
     ) r ON true`,
    params
  )
  return { order_ids: row?.order_ids ?? [], cursor: row?.cursor ?? null }
}

/** One page (by id) of the orders whose reward record was written for another WoowUp account. */
export async function findOtherAccountOrders(
  manager: SqlEntityManager,
  account: string,
  input: { after_id: string; limit: number }
): Promise<{ order_ids: string[]; cursor: string | null }> {
  const rows = await manager.execute(
    `SELECT r.order_id FROM woowup_reward r
     WHERE r.deleted_at IS NULL AND r.account IS NOT NULL AND ${otherAccountSql("r", account)} AND r.order_id > ?
     ORDER BY r.order_id LIMIT ?`,
    [input.after_id, input.limit]
  )
  const order_ids = rows.map((r) => r.order_id as string)
  return { order_ids, cursor: order_ids.length < input.limit ? null : order_ids[order_ids.length - 1] }
}
