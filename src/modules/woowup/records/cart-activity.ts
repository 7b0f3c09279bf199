import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import { generateEntityId } from "@medusajs/framework/utils"

/**
 * The abandoned-cart feed's record of cart activity (models/woowup-cart-activity.ts): one statement per cart event,
 * and the job's page of carts to look at, on the table's partial indexes.
 */

/** A cart event: the cart changed now (created if the plugin had not seen it). A completed cart stays completed. */
export async function recordCartChanged(manager: SqlEntityManager, cartId: string): Promise<void> {
  await manager.execute(
    `INSERT INTO woowup_cart_activity AS a (id, cart_id, changed_at, created_at, updated_at)
     VALUES (?, ?, now(), now(), now())
     ON CONFLICT (cart_id) WHERE deleted_at IS NULL DO UPDATE SET changed_at = now(), updated_at = now()
     WHERE a.completed_at IS NULL`,
    [generateEntityId(undefined, "wucact"), cartId]
  )
}

/** An order was placed from the cart: true when the plugin had seen the cart (only then is there anything to tell). */
export async function recordCartCompleted(manager: SqlEntityManager, cartId: string): Promise<boolean> {
  const rows = await manager.execute(
    `UPDATE woowup_cart_activity SET completed_at = now(), updated_at = now()
     WHERE cart_id = ? AND deleted_at IS NULL AND completed_at IS NULL RETURNING id`,
    [cartId]
  )
  return rows.length > 0
}

/**
 * A sync takes the cart as it is now: what changed (or its completion) before this is looked at; a change after it
 * makes the cart due again. Null when the plugin never saw the cart.
 */
export async function takeCartActivity(
  manager: SqlEntityManager,
  cartId: string
): Promise<{ changed_at: Date; completed_at: Date | null } | null> {
  const [row] = await manager.execute(
    `UPDATE woowup_cart_activity SET taken_at = now(), updated_at = now()
     WHERE cart_id = ? AND deleted_at IS NULL RETURNING changed_at, completed_at`,
    [cartId]
  )
  return row ? { changed_at: new Date(row.changed_at), completed_at: row.completed_at ? new Date(row.completed_at) : null } : null
}

export type FindAbandonedCartsInput = {
  /** The cursor of the previous page ("" for the first). */
  after_id: string
  limit: number
  /** The run's time: a cart is abandoned when its last change is `afterMinutes` before it. */
  now: Date
  afterMinutes: number
  /** Carts whose last change is older than this before `now` are never sent. */
  maxAgeHours: number
}

/**
 * One page of carts for the job, and the cursor of the next (null at the end):
 * - open carts idle for `afterMinutes` (and changed within `maxAgeHours`) that changed since their last sync;
 * - completed carts whose completion no sync has looked at (a cart WoowUp holds as abandoned is told recovered).
 * Each part is a range on its partial index, in (time, cart id) order; the cursor is `part|time|cart_id`. Carts
 * whose sync is under way or failed are left to the engine (its claims, its due failures).
 */
export async function findAbandonedCarts(
  manager: SqlEntityManager,
  input: FindAbandonedCartsInput
): Promise<{ ids: string[]; cursor: string | null }> {
  const [part, at, id] = input.after_id ? input.after_id.split("|") : ["open", "", ""]
  const idleSince = new Date(input.now.getTime() - input.afterMinutes * 60_000)
  const oldest = new Date(input.now.getTime() - input.maxAgeHours * 3_600_000)
  const notHeld = `NOT EXISTS (SELECT 1 FROM woowup_cart_sync r WHERE r.cart_id = a.cart_id AND r.deleted_at IS NULL
    AND r.status IN ('pending', 'failed'))`
  const page = async (which: "open" | "completed", from: [string, string] | null) => {
    const column = which === "open" ? "changed_at" : "completed_at"
    const range =
      which === "open"
        ? `a.completed_at IS NULL AND (a.taken_at IS NULL OR a.changed_at > a.taken_at)
           AND a.changed_at > ? AND a.changed_at <= ?`
        : `a.completed_at IS NOT NULL AND (a.taken_at IS NULL OR a.completed_at > a.taken_at) AND a.completed_at <= ?`
    const rows = await manager.execute(
      `SELECT a.cart_id, a.${column}::text AS at FROM woowup_cart_activity a
       WHERE a.deleted_at IS NULL AND ${range}
         ${from ? `AND (a.${column}, a.cart_id) > (?::timestamptz, ?)` : ""}
         AND ${notHeld}
       ORDER BY a.${column}, a.cart_id LIMIT ?`,
      [...(which === "open" ? [oldest, idleSince] : [input.now]), ...(from ?? []), input.limit]
    )
    return rows as { cart_id: string; at: string }[]
  }
  if (part === "open") {
    const open = await page("open", at ? [at, id] : null)
    if (open.length === input.limit) {
      return { ids: open.map((r) => r.cart_id), cursor: cursorOf("open", open) }
    }
    // The open carts are done: this page ends with the first completed ones.
    const completed = await page("completed", null)
    return {
      ids: [...open, ...completed].map((r) => r.cart_id),
      cursor: completed.length === input.limit ? cursorOf("completed", completed) : null,
    }
  }
  const completed = await page("completed", [at, id])
  return {
    ids: completed.map((r) => r.cart_id),
    cursor: completed.length === input.limit ? cursorOf("completed", completed) : null,
  }
}

const cursorOf = (part: "open" | "completed", rows: { cart_id: string; at: string }[]) => {
  const last = rows[rows.length - 1]
  return `${part}|${last.at}|${last.cart_id}`
}
