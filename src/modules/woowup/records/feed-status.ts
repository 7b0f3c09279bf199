import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import { MedusaError } from "@medusajs/framework/utils"
import { thisAccountSql } from "../account"
import { countRewardsByStatus } from "./reward-counts"

/** What the admin's WoowUp page shows of each feed: its records per status and its latest failures. */

/** Every record table has these statuses (rewards, customer syncs, product syncs). */
export const FEED_STATUSES = ["pending", "synced", "skipped", "failed"] as const

/** How many failures a feed lists: the latest, by when their record last changed. */
export const FEED_FAILURES_SHOWN = 10

export type FeedFailure = {
  /** The Medusa entity the record is for: an order, a customer or a product variant. */
  entity_id: string
  reason: string | null
  error_code: string | null
  retryable: boolean
  next_attempt_at: string | null
  updated_at: string
}

export type FeedStatus = { counts: Record<string, number>; failures: FeedFailure[] }

export type FeedName = "orders" | "customers" | "products"

// Table and column names are inlined in the SQL: only the plugin's own, never a caller's input.
const SQL_NAME = /^[a-z_]+$/

const isoOrNull = (value: unknown): string | null => (value == null ? null : new Date(value as string).toISOString())

/** A feed with no records: every status at 0. */
export function emptyFeedStatus(): FeedStatus {
  return { counts: Object.fromEntries(FEED_STATUSES.map((s) => [s, 0])), failures: [] }
}

function checkNames(table: string, keyColumn: string) {
  if (!SQL_NAME.test(table) || !SQL_NAME.test(keyColumn)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `woowup: a feed is a table and column name, not ${table}.${keyColumn}`)
  }
}

const mineSql = (account: string) => `t.deleted_at IS NULL AND ${thisAccountSql("t", account)}`

/** The {@link FEED_FAILURES_SHOWN} latest failures of a record table, this account's (on its `status` index). */
export async function latestFailures(
  manager: SqlEntityManager,
  account: string,
  table: string,
  keyColumn: string
): Promise<FeedFailure[]> {
  checkNames(table, keyColumn)
  const rows = await manager.execute(
    `SELECT t.${keyColumn} AS entity_id, t.reason, t.error_code, t.retryable, t.next_attempt_at, t.updated_at
     FROM ${table} t WHERE t.status = 'failed' AND ${mineSql(account)}
     ORDER BY t.updated_at DESC, t.id DESC LIMIT ${FEED_FAILURES_SHOWN}`
  )
  return rows.map((row) => ({
    entity_id: row.entity_id as string,
    reason: row.reason ?? null,
    error_code: row.error_code ?? null,
    retryable: Boolean(row.retryable),
    next_attempt_at: isoOrNull(row.next_attempt_at),
    updated_at: isoOrNull(row.updated_at)!,
  }))
}

/**
 * A record table's counts per status and its latest failures, of this account's records only (see account.ts),
 * leaving out the deleted ones. `keyColumn` names the Medusa entity of a record (`order_id`, `customer_id`,
 * `variant_id`).
 */
export async function feedStatus(
  manager: SqlEntityManager,
  account: string,
  table: string,
  keyColumn: string
): Promise<FeedStatus> {
  checkNames(table, keyColumn)
  const [rows, failures] = await Promise.all([
    manager.execute(`SELECT t.status, COUNT(*)::int AS count FROM ${table} t WHERE ${mineSql(account)} GROUP BY t.status`),
    latestFailures(manager, account, table, keyColumn),
  ])
  const { counts } = emptyFeedStatus()
  for (const row of rows) {
    counts[row.status as string] = row.count
  }
  return { counts, failures }
}

/**
 * Every feed's state. Orders count as the admin shows them (`countRewardsByStatus`: a synced purchase with a failed
 * points adjustment is failed); their failures are the reward records'.
 */
export async function feedStatuses(manager: SqlEntityManager, account: string): Promise<Record<FeedName, FeedStatus>> {
  const [orderCounts, orderFailures, customers] = await Promise.all([
    countRewardsByStatus(manager, account),
    latestFailures(manager, account, "woowup_reward", "order_id"),
    feedStatus(manager, account, "woowup_customer_sync", "customer_id"),
  ])
  // PRODUCTS-ENGINE: becomes `feedStatus(manager, account, "woowup_product_sync", "variant_id")` with its table.
  const products = emptyFeedStatus()
  return { orders: { counts: orderCounts, failures: orderFailures }, customers, products }
}
