import { thisAccountSql } from "../account"

/**
 * What an order wants from WoowUp, as its payments say, and whether its records say WoowUp holds it: shared by
 * the rewards (their sync state), the adjustments (planned on these payments) and the reconcile job's search.
 */

/** What the order wants from WoowUp, as its payments say (amounts as exact decimal strings). */
export type OrderPayments = { captured_amount: string; refunded_amount: string; canceled: boolean }

/**
 * Each order of `o` (an "order" alias, filtered by the caller) with what was captured and refunded on it and
 * whether it was canceled: what the order wants from WoowUp, as Medusa's payment module keeps it.
 */
export const ORDER_PAYMENTS_SQL = `
  SELECT o.id, (o.canceled_at IS NOT NULL OR o.status = 'canceled') AS canceled,
         COALESCE(SUM(pc.captured_amount), 0) AS captured, COALESCE(SUM(pc.refunded_amount), 0) AS refunded
  FROM "order" o
  LEFT JOIN order_payment_collection opc ON opc.order_id = o.id AND opc.deleted_at IS NULL
  LEFT JOIN payment_collection pc ON pc.id = opc.payment_collection_id AND pc.deleted_at IS NULL`

/**
 * Whether WoowUp holds what the order of `p` (with `captured`, `refunded`, `canceled`) wants, by its record `r`:
 * synced (or skipped) on these very payments, points known, no adjustment pending or failed.
 */
export function rewardConvergedSql(p: string, account: string): string {
  return `r.id IS NOT NULL AND r.status IN ('synced', 'skipped') AND NOT r.points_unknown
    AND ${thisAccountSql("r", account)}
    AND r.captured_amount = ${p}.captured AND r.refunded_amount = ${p}.refunded AND r.canceled = ${p}.canceled
    AND NOT ${unsettledAdjustmentSql("r", account)}`
}

/**
 * Whether the order of the record `r` has a points adjustment (of this account) WoowUp does not hold: pending, or
 * failed (refused, or given up on). A failed one blocks the order's later adjustments (one could be applied after
 * all by a resync, and take back twice), so the order is owed points until an admin's resync settles it.
 */
export function unsettledAdjustmentSql(r: string, account: string, statuses = "'pending', 'failed'"): string {
  return `EXISTS (SELECT 1 FROM woowup_points_adjustment a
    WHERE a.order_id = ${r}.order_id AND a.status IN (${statuses}) AND a.deleted_at IS NULL
      AND ${thisAccountSql("a", account)})`
}

// Medusa keeps a bigNumber column's exact value beside it, as JSON.
export function rawAmount(amount: number | string): string {
  return JSON.stringify({ value: String(amount), precision: 20 })
}
