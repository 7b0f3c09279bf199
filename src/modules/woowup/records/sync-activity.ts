import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"

/** What the plugin synced in a span of time, per feed: what `POST /integration-stats` reports (records only). */
export type FeedActivity = { created: number; updated: number; failed: Array<{ element: string; message: string }> }
export type SyncActivity = {
  customers: FeedActivity
  products: FeedActivity
  /** The orders whose purchase WoowUp accepted in the span (their totals are the order's: the caller reads them). */
  purchases: { order_ids: string[]; failed: FeedActivity["failed"] }
}

/** Failures named in one report at most (WoowUp's screen lists them; the admin's page has them all). */
const FAILED_NAMED = 50

/**
 * The account's syncs in `since`..`until`, per feed: accepted (a record first written in the span counts as
 * created; a customer WoowUp did not know, too), and failed.
 */
export async function syncActivity(
  manager: SqlEntityManager,
  account: string,
  span: { since: Date; until: Date }
): Promise<SyncActivity> {
  const mine = `(account = ? OR account IS NULL) AND deleted_at IS NULL`
  // Accepted in the span (`synced_at`), or failed by an attempt made in the span (`last_attempt_at`): a record the
  // job only looked at is not reported again.
  const syncedIn = `status = 'synced' AND synced_at > ? AND synced_at <= ? AND ${mine}`
  const failedIn = `status = 'failed' AND last_attempt_at > ? AND last_attempt_at <= ? AND ${mine}`
  const args = [span.since, span.until, account]
  const feed = async (table: string, key: string, created: string): Promise<FeedActivity> => {
    const [counts] = await manager.execute(
      `SELECT COUNT(*) FILTER (WHERE ${created})::int AS created, COUNT(*) FILTER (WHERE NOT (${created}))::int AS updated
         FROM ${table} WHERE ${syncedIn}`,
      [span.since, span.since, ...args]
    )
    const failed = await manager.execute(
      `SELECT ${key} AS element, COALESCE(reason, error_code, 'failed') AS message FROM ${table}
        WHERE ${failedIn} ORDER BY last_attempt_at LIMIT ${FAILED_NAMED}`,
      args
    )
    return { created: Number(counts?.created ?? 0), updated: Number(counts?.updated ?? 0), failed: failed as FeedActivity["failed"] }
  }
  const customers = await feed("woowup_customer_sync", "customer_id", "customer_created OR created_at > ?")
  const products = await feed("woowup_product_sync", "variant_id", "created_at > ?")
  const synced = await manager.execute(`SELECT order_id FROM woowup_reward WHERE ${syncedIn} ORDER BY order_id`, args)
  const failed = await manager.execute(
    `SELECT order_id AS element, COALESCE(reason, error_code, 'failed') AS message FROM woowup_reward
      WHERE ${failedIn} ORDER BY last_attempt_at LIMIT ${FAILED_NAMED}`,
    args
  )
  return {
    customers,
    products,
    purchases: { order_ids: synced.map((r) => String(r.order_id)), failed: failed as FeedActivity["failed"] },
  }
}
