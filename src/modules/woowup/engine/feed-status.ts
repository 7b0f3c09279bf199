import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import { thisAccountSql } from "../account"
import { countRewardsByStatus } from "../records/reward-counts"
import { FEED_NAMES, FEED_TABLES, type FeedName } from "./feed-tables"

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

/** Orders (their rewards) and every feed on the engine. */
export type StatusFeedName = "orders" | keyof typeof FEED_TABLES

const isoOrNull = (value: unknown): string | null => (value == null ? null : new Date(value as string).toISOString())

/** A feed with no records: every status at 0. */
export function emptyFeedStatus(): FeedStatus {
  return { counts: Object.fromEntries(FEED_STATUSES.map((s) => [s, 0])), failures: [] }
}

/** A record table and the column naming its Medusa entity: the plugin's own names, inlined in the SQL. */
type RecordTable = { table: string; key: string }

/** A feed's boolean outcome column counted besides the statuses: the carts told recovered. */
const FLAG_COUNTS: Partial<Record<FeedName, string>> = { carts: "recovered" }

const mineSql = (account: string) => `t.deleted_at IS NULL AND ${thisAccountSql("t", account)}`

/** The {@link FEED_FAILURES_SHOWN} latest failures of a record table, this account's (on its `status` index). */
async function latestFailures(manager: SqlEntityManager, account: string, { table, key }: RecordTable): Promise<FeedFailure[]> {
  const rows = await manager.execute(
    `SELECT t.${key} AS entity_id, t.reason, t.error_code, t.retryable, t.next_attempt_at, t.updated_at
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
 * leaving out the deleted ones.
 */
async function feedStatus(
  manager: SqlEntityManager,
  account: string,
  records: RecordTable,
  flag?: string
): Promise<FeedStatus> {
  const [rows, failures, flagged] = await Promise.all([
    manager.execute(`SELECT t.status, COUNT(*)::int AS count FROM ${records.table} t WHERE ${mineSql(account)} GROUP BY t.status`),
    latestFailures(manager, account, records),
    flag
      ? manager.execute(`SELECT COUNT(*)::int AS count FROM ${records.table} t WHERE t.${flag} AND ${mineSql(account)}`)
      : Promise.resolve(null),
  ])
  const { counts } = emptyFeedStatus()
  for (const row of rows) {
    counts[row.status as string] = row.count
  }
  if (flag && flagged) {
    counts[flag] = flagged[0]?.count ?? 0
  }
  return { counts, failures }
}

/**
 * Every feed's state. Orders count as the admin shows them (`countRewardsByStatus`: a synced purchase with a failed
 * points adjustment is failed); their failures are the reward records'.
 */
export async function feedStatuses(manager: SqlEntityManager, account: string): Promise<Record<StatusFeedName, FeedStatus>> {
  const [orderCounts, orderFailures, ...feeds] = await Promise.all([
    countRewardsByStatus(manager, account),
    latestFailures(manager, account, { table: "woowup_reward", key: "order_id" }),
    ...FEED_NAMES.map((feed) => feedStatus(manager, account, FEED_TABLES[feed], FLAG_COUNTS[feed])),
  ])
  return {
    orders: { counts: orderCounts, failures: orderFailures },
    ...(Object.fromEntries(FEED_NAMES.map((feed, i) => [feed, feeds[i]])) as Record<keyof typeof FEED_TABLES, FeedStatus>),
  }
}
