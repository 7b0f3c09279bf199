import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import type { InferTypeOf } from "@medusajs/framework/types"
import { generateEntityId } from "@medusajs/framework/utils"
import { thisAccountSql } from "../account"
import type WoowupPointsHold from "../models/woowup-points-hold"
import { adjustmentMark } from "../rules/movements"
import { redemptionDebit } from "../rules/redeem"
import { insertAdjustment, type PointsAdjustmentRecord } from "./adjustments"
import { rawAmount, type OrderPayments } from "./convergence"

/**
 * Points held on carts and spent on orders (docs/redeem-points.md). A hold is written under a lock on its customer,
 * so that two carts (or two tabs) never hold together more than the balance; the debit is a points adjustment of
 * the order, written under the order's lock like every other, and sent by the reward workflow.
 */

export type PointsHoldRecord = InferTypeOf<typeof WoowupPointsHold>

/**
 * The points of a customer's holds that WoowUp's balance does not show yet: holds on open carts that have not
 * lapsed, and holds spent on an order whose debit WoowUp has not applied yet.
 */
function liveHoldsSql(account: string): string {
  return `COALESCE((SELECT SUM(h.points) FROM woowup_points_hold h
    WHERE h.customer_id = ? AND h.deleted_at IS NULL AND h.cart_id <> ? AND ${thisAccountSql("h", account)}
      AND ((h.status = 'held' AND h.expires_at > now())
        OR (h.status = 'spent' AND NOT EXISTS (SELECT 1 FROM woowup_points_adjustment a
              WHERE a.order_id = h.order_id AND a.cause = 'redeem' AND a.status = 'applied' AND a.deleted_at IS NULL)))), 0)::int`
}

/** The points the customer's holds on other carts than `cart_id` take from their balance. */
export async function otherHolds(manager: SqlEntityManager, account: string, customerId: string, cartId: string): Promise<number> {
  const [{ held }] = await manager.execute(`SELECT ${liveHoldsSql(account)} AS held`, [customerId, cartId])
  return held
}

export type HoldPointsInput = {
  customer_id: string
  cart_id: string
  points: number
  value: number
  currency_code: string
  identifier: string
  identity: string
  /** The WoowUp balance just read. */
  verified_balance: number
  hold_minutes: number
}

/**
 * Holds points on a cart, replacing the cart's hold, if `refuse` (given what the customer's other carts leave of the
 * balance) finds nothing wrong; else the reason, and nothing is written. Under a lock on the customer until the
 * transaction ends: `manager` must be a transaction's.
 */
export async function holdPoints(
  manager: SqlEntityManager,
  account: string,
  input: HoldPointsInput,
  refuse: (available: number) => string | null
): Promise<{ hold: PointsHoldRecord } | { problem: string }> {
  await manager.execute("SELECT pg_advisory_xact_lock(hashtext(?))", [`woowup_points_hold:${input.customer_id}`])
  const others = await otherHolds(manager, account, input.customer_id, input.cart_id)
  const problem = refuse(input.verified_balance - others)
  if (problem) {
    return { problem }
  }
  await manager.execute(
    `UPDATE woowup_points_hold SET status = 'released', updated_at = now() WHERE cart_id = ? AND status = 'held' AND deleted_at IS NULL`,
    [input.cart_id]
  )
  const [hold] = await manager.execute(
    `INSERT INTO woowup_points_hold (id, customer_id, cart_id, points, value, raw_value, currency_code, status, expires_at,
       identifier, identity, verified_balance, account, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'held', now() + make_interval(mins => ?), ?, ?, ?, '${account}', now(), now())
     RETURNING *`,
    [
      generateEntityId(undefined, "wuphold"),
      input.customer_id,
      input.cart_id,
      input.points,
      input.value,
      rawAmount(input.value),
      input.currency_code,
      input.hold_minutes,
      input.identifier,
      input.identity,
      input.verified_balance,
    ]
  )
  return { hold: hold as PointsHoldRecord }
}

/** Notes the promotion that carries the hold's discount on the cart. */
export async function setHoldPromotion(
  manager: SqlEntityManager,
  input: { hold_id: string; promotion_id: string; promotion_code: string }
): Promise<void> {
  await manager.execute(`UPDATE woowup_points_hold SET promotion_id = ?, promotion_code = ?, updated_at = now() WHERE id = ?`, [
    input.promotion_id,
    input.promotion_code,
    input.hold_id,
  ])
}

/** Lowers a live hold to what the cart can take now (the cart lost items). */
export async function lowerHold(manager: SqlEntityManager, input: { hold_id: string; points: number; value: number }): Promise<void> {
  await manager.execute(
    `UPDATE woowup_points_hold SET points = ?, value = ?, raw_value = ?, updated_at = now() WHERE id = ? AND status = 'held'`,
    [input.points, input.value, rawAmount(input.value), input.hold_id]
  )
}

/** The cart's hold, held (lapsed or not), or null. */
export async function findCartHold(manager: SqlEntityManager, cartId: string): Promise<PointsHoldRecord | null> {
  const [row] = await manager.execute(
    `SELECT * FROM woowup_points_hold WHERE cart_id = ? AND status IN ('held', 'lapsed') AND deleted_at IS NULL
     ORDER BY created_at DESC LIMIT 1`,
    [cartId]
  )
  return (row as PointsHoldRecord | undefined) ?? null
}

/** Takes the points off the cart: its hold is released (returned, or null when it had none). */
export async function releaseCartHold(manager: SqlEntityManager, cartId: string): Promise<PointsHoldRecord | null> {
  const [row] = await manager.execute(
    `UPDATE woowup_points_hold SET status = 'released', updated_at = now()
     WHERE cart_id = ? AND status IN ('held', 'lapsed') AND deleted_at IS NULL RETURNING *`,
    [cartId]
  )
  return (row as PointsHoldRecord | undefined) ?? null
}

/** Holds of unpaid carts past `expires_at` lapse: their points count for the customer's other carts again. */
export async function lapseHolds(manager: SqlEntityManager): Promise<number> {
  const rows = await manager.execute(
    `UPDATE woowup_points_hold SET status = 'lapsed', updated_at = now()
     WHERE status = 'held' AND expires_at <= now() AND deleted_at IS NULL RETURNING id`
  )
  return rows.length
}

/**
 * The order's hold: its cart's live (or lapsed) hold becomes `spent` on the order, once, if the order carries its
 * promotion. Null when it has none.
 */
export async function spendOrderHold(manager: SqlEntityManager, orderId: string): Promise<PointsHoldRecord | null> {
  await manager.execute(
    `UPDATE woowup_points_hold h SET status = 'spent', order_id = oc.order_id, updated_at = now()
     FROM order_cart oc
     WHERE oc.order_id = ? AND oc.deleted_at IS NULL AND h.cart_id = oc.cart_id AND h.status IN ('held', 'lapsed')
       AND h.deleted_at IS NULL
       -- Only when the order carries the hold's discount: a cart whose points promotion was taken off spends nothing.
       AND EXISTS (SELECT 1 FROM order_promotion op
         WHERE op.order_id = oc.order_id AND op.promotion_id = h.promotion_id AND op.deleted_at IS NULL)`,
    [orderId]
  )
  const [row] = await manager.execute(
    `SELECT * FROM woowup_points_hold WHERE order_id = ? AND status = 'spent' AND deleted_at IS NULL LIMIT 1`,
    [orderId]
  )
  return (row as PointsHoldRecord | undefined) ?? null
}

/** `captured|refunded|canceled`: the payments a redemption's debit was settled on. */
export function paymentsKey(p: OrderPayments): string {
  return `${Number(p.captured_amount)}|${Number(p.refunded_amount)}|${p.canceled}`
}

/**
 * Records, under the order's lock (the one every points adjustment of the order takes), the adjustment that takes
 * what WoowUp has debited for the order's redemption to what the order wants now (rules/redeem.ts): `redeem`
 * (negative) when more is owed, `redeem_return` (positive) when a refund or a cancelation gives points back. Nothing
 * while one of them was refused (an admin's resync opens it again). `manager` must be a transaction's.
 */
export async function recordRedemptionAdjustment(
  manager: SqlEntityManager,
  account: string,
  input: { order_id: string; payments: OrderPayments; invoice_number: string }
): Promise<PointsAdjustmentRecord | null> {
  await manager.execute("SELECT pg_advisory_xact_lock(hashtext(?))", [`woowup_points:${input.order_id}`])
  const [hold] = await manager.execute(
    `SELECT * FROM woowup_points_hold h WHERE order_id = ? AND status = 'spent' AND deleted_at IS NULL AND ${thisAccountSql("h", account)}`,
    [input.order_id]
  )
  if (!hold) {
    return null
  }
  const thisAccount = thisAccountSql("a", account)
  const [{ debited, refused, count }] = await manager.execute(
    `SELECT (-COALESCE(SUM(points) FILTER (WHERE status <> 'failed' AND cause IN ('redeem', 'redeem_return') AND ${thisAccount}), 0))::int AS debited,
            COUNT(*) FILTER (WHERE status = 'failed' AND cause IN ('redeem', 'redeem_return') AND ${thisAccount})::int AS refused,
            COUNT(*)::int AS count
     FROM woowup_points_adjustment a WHERE order_id = ? AND deleted_at IS NULL`,
    [input.order_id]
  )
  const { payments } = input
  const wanted = redemptionDebit({
    redeemed: hold.points,
    captured: payments.captured_amount,
    refunded: payments.refunded_amount,
    canceled: payments.canceled,
  })
  const owed = wanted - debited
  if (owed === 0 || refused > 0) {
    return null
  }
  const cause = owed > 0 ? "redeem" : "redeem_return"
  const token = `${cause}-${count + 1}`
  const words = owed > 0 ? "points spent on the order" : "points spent on the order, given back"
  return await insertAdjustment(manager, account, {
    order_id: input.order_id,
    cause,
    token,
    points: -owed,
    identifier: hold.identifier,
    identity: hold.identity,
    description: `${adjustmentMark(input.order_id, token)} Medusa ${input.invoice_number}: ${words}`,
  })
}

/** Notes the payments the order's redemption is settled on, when none of its adjustments is left pending or failed. */
export async function recordRedemptionSettled(
  manager: SqlEntityManager,
  account: string,
  input: { order_id: string; payments: OrderPayments }
): Promise<void> {
  await manager.execute(
    `UPDATE woowup_points_hold h SET settled_on = ?, updated_at = now()
     WHERE order_id = ? AND status = 'spent' AND deleted_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM woowup_points_adjustment a WHERE a.order_id = h.order_id
         AND a.cause IN ('redeem', 'redeem_return') AND a.status IN ('pending', 'failed') AND a.deleted_at IS NULL
         AND ${thisAccountSql("a", account)})`,
    [paymentsKey(input.payments), input.order_id]
  )
}

/**
 * Whether the order of `t` (with `id`, `captured`, `refunded`, `canceled`) has a redemption not settled on its
 * payments as they are now: the reward workflow has work to do for it.
 */
export function redemptionUnsettledSql(t: string): string {
  return `EXISTS (SELECT 1 FROM woowup_points_hold h WHERE h.order_id = ${t}.id AND h.status = 'spent' AND h.deleted_at IS NULL
    AND h.settled_on IS DISTINCT FROM (${t}.captured::float8::text || '|' || ${t}.refunded::float8::text || '|' || ${t}.canceled::text))`
}

/** What the WoowUp page shows of redemptions: orders that spent points, the points and their value per currency. */
export type RedemptionCounts = {
  orders: number
  points: number
  value: Array<{ currency_code: string; value: number }>
}

export async function countRedemptions(manager: SqlEntityManager, account: string): Promise<RedemptionCounts> {
  const rows = await manager.execute(
    `SELECT currency_code, COUNT(*)::int AS orders, COALESCE(SUM(points), 0)::int AS points, COALESCE(SUM(value), 0)::float8 AS value
     FROM woowup_points_hold h WHERE status = 'spent' AND deleted_at IS NULL AND ${thisAccountSql("h", account)}
     GROUP BY currency_code ORDER BY currency_code`
  )
  return {
    orders: rows.reduce((sum: number, r: any) => sum + r.orders, 0),
    points: rows.reduce((sum: number, r: any) => sum + r.points, 0),
    value: rows.map((r: any) => ({ currency_code: r.currency_code, value: r.value })),
  }
}
