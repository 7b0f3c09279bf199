/**
 * The feeds whose records the engine keeps: for each, its table (one row per Medusa entity, with the columns every
 * feed shares: status, trigger, reason, error_code, retryable, body_hash, dirty, attempts, failed_attempts,
 * last_attempt_at, heartbeat_at, next_attempt_at, synced_at, account), the entity column, and the columns of its
 * own that a sync writes. Orders are not a feed here: their rewards have a richer record (points, adjustments).
 */
export const FEED_TABLES = {
  customers: {
    table: "woowup_customer_sync",
    key: "customer_id",
    prefix: "wucus",
    /** Named in an admin's reason ("resync the customer"). */
    subject: "customer",
    /** The feed's own outcome columns. */
    columns: ["identifier", "identity", "customer_created"],
    /** SQL: every entity of the feed, by id (an admin's resync of all). */
    all: `SELECT c.id FROM customer c WHERE c.id > ? AND c.deleted_at IS NULL AND c.has_account ORDER BY c.id LIMIT ?`,
    countAll: `SELECT COUNT(*)::int AS count FROM customer WHERE deleted_at IS NULL AND has_account`,
  },
  products: {
    table: "woowup_product_sync",
    key: "variant_id",
    prefix: "wuprd",
    subject: "product",
    columns: ["sku", "product_id", "available"],
    all: `SELECT v.id FROM product_variant v WHERE v.id > ? AND v.deleted_at IS NULL ORDER BY v.id LIMIT ?`,
    countAll: `SELECT COUNT(*)::int AS count FROM product_variant WHERE deleted_at IS NULL`,
  },
  carts: {
    table: "woowup_cart_sync",
    key: "cart_id",
    prefix: "wucrt",
    subject: "cart",
    columns: ["identity", "recovered", "customer_created"],
    // The carts the plugin saw: Medusa's cart table is never scanned.
    all: `SELECT a.cart_id AS id FROM woowup_cart_activity a WHERE a.cart_id > ? AND a.deleted_at IS NULL ORDER BY a.cart_id LIMIT ?`,
    countAll: `SELECT COUNT(*)::int AS count FROM woowup_cart_activity WHERE deleted_at IS NULL`,
  },
} as const

export type FeedName = keyof typeof FEED_TABLES
export const FEED_NAMES = Object.keys(FEED_TABLES) as FeedName[]
export type FeedTable = (typeof FEED_TABLES)[FeedName]
