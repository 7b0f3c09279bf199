import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import { thisAccountSql } from "../account"

/**
 * The orders of an import's window, walked by pages of the order table's primary key and filtered by `created_at`
 * in each page. Medusa keeps no index on `order.created_at`, and the stores that most need an import migrated their
 * history from another platform: original dates, but ids made on the day of the migration. So a window of ids would
 * miss them, and a filter on `created_at` over the table would scan all of it at once; a page of the primary key
 * costs the same whatever the table's size (measured by `npm run bench`).
 */

/** Orders an import reads per primary-key page. */
export const HISTORY_SCAN = 1000

export type HistoryOrder = {
  id: string
  customer_id: string | null
  email: string | null
  /** The order has a reward record in this account: WoowUp holds it, or a run is on it. */
  recorded: boolean
  /** The order's customer has an account, and WoowUp got them from the customer sync. */
  customer_account: boolean
  customer_synced: boolean
}

/**
 * One page: among the next `scan` orders by id after `after_id`, those created in `[from, to)` with something
 * captured, with what the estimate needs; and the cursor (the page's last id; null when the table is done).
 */
export async function findHistoryPage(
  manager: SqlEntityManager,
  account: string,
  input: { after_id: string; scan: number; from: Date; to: Date }
): Promise<{ orders: HistoryOrder[]; cursor: string | null }> {
  const [row] = await manager.execute(
    `WITH page AS (
       SELECT o.id, o.created_at, o.customer_id, o.email FROM "order" o
       WHERE o.id > ? AND o.deleted_at IS NULL AND o.is_draft_order = false
       ORDER BY o.id LIMIT ?
     ),
     wanted AS (
       SELECT page.* FROM page
       WHERE page.created_at >= ? AND page.created_at < ?
         AND EXISTS (
           SELECT 1 FROM order_payment_collection opc
           JOIN payment_collection pc ON pc.id = opc.payment_collection_id AND pc.deleted_at IS NULL
           WHERE opc.order_id = page.id AND opc.deleted_at IS NULL AND pc.captured_amount > 0)
     )
     SELECT (SELECT max(id) FROM page) AS cursor,
       COALESCE(json_agg(json_build_object(
         'id', w.id, 'customer_id', w.customer_id, 'email', lower(w.email),
         'recorded', EXISTS (SELECT 1 FROM woowup_reward r WHERE r.order_id = w.id AND r.deleted_at IS NULL
                               AND ${thisAccountSql("r", account)}),
         'customer_account', COALESCE((SELECT c.has_account FROM customer c WHERE c.id = w.customer_id
                                         AND c.deleted_at IS NULL), false),
         'customer_synced', EXISTS (SELECT 1 FROM woowup_customer_sync s WHERE s.customer_id = w.customer_id
                                      AND s.deleted_at IS NULL AND s.status = 'synced')
       ) ORDER BY w.id), '[]') AS orders
     FROM wanted w`,
    [input.after_id, input.scan, input.from, input.to]
  )
  return { orders: (row?.orders as HistoryOrder[]) ?? [], cursor: row?.cursor ?? null }
}
