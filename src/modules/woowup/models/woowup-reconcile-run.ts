import { model } from "@medusajs/framework/utils"

/** `import`: an admin's import of the store's history (a resync with history semantics, see docs/history-import.md). */
export const RUN_KINDS = ["job", "resync", "import"] as const
export type RunKind = (typeof RUN_KINDS)[number]

export const RUN_STATUSES = ["queued", "running", "paused", "done", "canceled", "failed"] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

/**
 * One run of the reconcile job, one admin resync or one import of the store's history: what it looked at and what
 * came of it. The last 100 job runs and resyncs are kept, and every import.
 */
const WoowupReconcileRun = model
  .define("woowup_reconcile_run", {
  id: model.id({ prefix: "wurun" }).primaryKey(),
  kind: model.enum([...RUN_KINDS]),
  status: model.enum([...RUN_STATUSES]).default("queued"),
  /** The window of order creation times looked at (a resync by ids has none). */
  window_from: model.dateTime().nullable(),
  window_to: model.dateTime().nullable(),
  order_ids: model.array().nullable(),
  /** Customers to sync: named ones, or every customer with an account (`all_customers`). */
  customer_ids: model.array().nullable(),
  all_customers: model.boolean().default(false),
  only_failed: model.boolean().default(false),
  dry_run: model.boolean().default(false),
  /** Orders that needed work (a dry run: that would be sent). */
  found: model.number().default(0),
  /** Orders for which something was sent to WoowUp. */
  sent: model.number().default(0),
  /** Orders WoowUp already had as wanted: nothing sent. */
  already_synced: model.number().default(0),
  skipped: model.number().default(0),
  failed: model.number().default(0),
  /**
   * Orders another claim still held when the run was done with them: their owner was alive (its heartbeat moved)
   * and finishes them. A claim released or gone stale while the run lasts is taken by the run, not counted here.
   */
  busy: model.number().default(0),
  /** An admin's resync of the records written for another WoowUp account (sent to this one). */
  other_account: model.boolean().default(false),
  /**
   * The customers phase (after the orders): customers looked at (a job run: failed syncs that are due), those sent
   * to WoowUp, those WoowUp already had as they are (no call), skipped (guests, no identity, deleted) and failed.
   */
  customers_found: model.number().default(0),
  customers_sent: model.number().default(0),
  customers_already_synced: model.number().default(0),
  customers_skipped: model.number().default(0),
  customers_failed: model.number().default(0),
  /** Products to sync (their variants): named ones, or the whole catalog (`all_products`, the backfill). */
  product_ids: model.array().nullable(),
  all_products: model.boolean().default(false),
  /** The catalog phase (after customers), per variant: as the customers phase. */
  products_found: model.number().default(0),
  products_sent: model.number().default(0),
  products_already_synced: model.number().default(0),
  products_skipped: model.number().default(0),
  products_failed: model.number().default(0),
  /** The abandoned-cart phase (after the catalog): carts looked at, sent (or told recovered), skipped, failed. */
  carts_found: model.number().default(0),
  carts_sent: model.number().default(0),
  carts_already_synced: model.number().default(0),
  carts_skipped: model.number().default(0),
  carts_failed: model.number().default(0),
  /** A job run: the end of the span its `POST /integration-stats` covered (the next run's starts there). */
  stats_until: model.dateTime().nullable(),
  started_at: model.dateTime().nullable(),
  finished_at: model.dateTime().nullable(),
  duration_ms: model.number().nullable(),
  error: model.text().nullable(),
  /** An import: the purchases carry the points they earn (else none, and their records say `historical`). */
  award_points: model.boolean().default(true),
  /** An import: each page's customers are created in WoowUp before their purchases. */
  with_customers: model.boolean().default(false),
  /** A resync over a window or an import: orders in the window, counted up front, and those done so far. */
  total: model.number().nullable(),
  processed: model.number().default(0),
  /** The cursor: every order up to this id is done. A run resumed after its process died starts after it. */
  last_order_id: model.text().nullable(),
  /** The process carrying the run out writes this while it works (a random token in `runner`, its claim). */
  runner: model.text().nullable(),
  heartbeat_at: model.dateTime().nullable(),
  /** When the run last (re)started, and `processed` then: the measured rate the ETA comes from. */
  resumed_at: model.dateTime().nullable(),
  processed_at_resume: model.number().default(0),
  /** A dry run's estimate: orders and customers to send, WoowUp calls, and seconds at the account's limit. */
  estimate: model.json().nullable(),
})
  .indexes([
    // One import at a time (a second one is refused with a 409).
    {
      name: "IDX_woowup_reconcile_run_one_import",
      on: ["kind"],
      unique: true,
      where: "deleted_at IS NULL AND kind = 'import' AND status IN ('queued', 'running', 'paused')",
    },
  ])

export default WoowupReconcileRun
