import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import type { FeedName, ReconcileRunRecord } from "../../modules/woowup/service"
import type WoowupModuleService from "../../modules/woowup/service"
import type { Feed } from "./feed"
import { syncFeedEntity, type FeedSyncRunOutcome } from "./sync-feed"

/** Entities taken per page. */
const PAGE = 100
/**
 * Entities a job run takes per feed at most: the job holds the reconcile lock while it runs, and a feed's backlog
 * (a price list touching thousands of variants) must not keep the next run, and the orders it would catch, waiting.
 * The rest is found again by the next run. An admin's resync has no bound.
 */
export const JOB_FEED_BUDGET = 300

type FeedRun = Pick<ReconcileRunRecord, "id" | "kind" | "only_failed" | "dry_run" | "window_from" | "window_to"> &
  Partial<ReconcileRunRecord>

/** A feed's counts on a run record: looked at, sent, already in WoowUp (no call), skipped, failed. */
export type FeedCounts = { found: number; sent: number; already_synced: number; skipped: number; failed: number }

/** Where a feed's part of a run is written on the run's record (`customers_sent`, `product_ids`...). */
const RUN_COLUMNS: Record<
  FeedName,
  { ids?: "customer_ids" | "product_ids"; all?: "all_customers" | "all_products"; prefix: string }
> = {
  customers: { ids: "customer_ids", all: "all_customers", prefix: "customers_" },
  products: { ids: "product_ids", all: "all_products", prefix: "products_" },
  // Only the job sends carts: an admin's resync does not name them.
  carts: { prefix: "carts_" },
}

const COUNTED: Record<FeedSyncRunOutcome, keyof FeedCounts> = {
  sent: "sent",
  already_synced: "already_synced",
  skipped: "skipped",
  busy: "skipped",
  failed: "failed",
}

/** The run's columns for a feed's counts. */
export function feedRunColumns(feed: FeedName, counts: FeedCounts): Record<string, number> {
  const { prefix } = RUN_COLUMNS[feed]
  return Object.fromEntries(Object.entries(counts).map(([key, value]) => [prefix + key, value]))
}

/** Whether the run has a phase for the feed: a job run (when the feed is on), or a resync that names its entities. */
export function runSyncsFeed(run: FeedRun, feed: Feed, enabled: boolean): boolean {
  const { ids, all } = RUN_COLUMNS[feed.name]
  return run.kind === "job" ? enabled : (!!ids && !!(run[ids] as string[] | null)?.length) || (!!all && !!run[all])
}

/**
 * The entities a run syncs, a page at a time: the named ones (as the feed's entities); every entity
 * (`all_*`; with `only_failed`, those whose last sync failed); or, for the job, the failed syncs whose next attempt
 * is due, the syncs of a dead process, and what the feed finds changed without an event (`discover`).
 */
export async function* feedEntitiesToSync(
  container: MedusaContainer,
  woowup: WoowupModuleService,
  run: FeedRun,
  feed: Feed
): AsyncGenerator<string[]> {
  const { ids: namedColumn } = RUN_COLUMNS[feed.name]
  const named = namedColumn ? (run[namedColumn] as string[] | null | undefined) : undefined
  if (named?.length) {
    const ids = feed.expand ? await feed.expand(container, named) : named
    for (let i = 0; i < ids.length; i += PAGE) {
      yield ids.slice(i, i + PAGE)
    }
    return
  }
  const scope = run.kind === "job" ? "due" : run.only_failed ? "failed" : "all"
  yield* pages((after) => woowup.findFeedSyncs(feed.name, { scope, after_id: after, limit: PAGE }))
  if (run.kind === "job" && feed.discover && run.window_from) {
    const since = new Date(run.window_from)
    // The run's time, not the clock's: what is due is judged as of when the run started.
    const now = run.window_to ? new Date(run.window_to) : new Date()
    yield* pages((after) => feed.discover!(container, { after_id: after, limit: PAGE, since, now }))
  }
}

async function* pages(next: (after: string) => Promise<{ ids: string[]; cursor: string | null }>) {
  let after = ""
  for (;;) {
    const page = await next(after)
    if (page.ids.length) {
      yield page.ids
    }
    if (!page.cursor) {
      return
    }
    after = page.cursor
  }
}

/**
 * A feed's phase of a reconcile run or resync, after its orders: one entity at a time, so that the feed's calls
 * take at most one place in the rate limiter's queue and purchases keep the rest of it. Keeps the run's counts
 * for the feed up to date; a dry run only counts.
 */
export async function syncRunFeed(
  container: MedusaContainer,
  woowup: WoowupModuleService,
  run: FeedRun,
  feed: Feed,
  logger: Logger
): Promise<FeedCounts> {
  const counts: FeedCounts = { found: 0, sent: 0, already_synced: 0, skipped: 0, failed: 0 }
  const trigger = run.kind === "job" ? "reconcile" : "resync"
  // An admin named them: a failure judged permanent, or not due yet, is tried now.
  const force = run.kind === "resync"
  for await (const page of feedEntitiesToSync(container, woowup, run, feed)) {
    const ids = run.kind === "job" ? page.slice(0, JOB_FEED_BUDGET - counts.found) : page
    counts.found += ids.length
    if (!run.dry_run) {
      for (const entity_id of ids) {
        try {
          const { outcome } = await syncFeedEntity(container, { feed: feed.name, entity_id, trigger, force })
          counts[COUNTED[outcome]]++
        } catch (e) {
          counts.failed++
          logger.warn(`woowup: ${trigger} of ${feed.name} ${entity_id} failed: ${(e as Error).message}`)
        }
      }
    }
    await woowup.updateWoowupReconcileRuns({ id: run.id, ...feedRunColumns(feed.name, counts) })
    if (run.kind === "job" && counts.found >= JOB_FEED_BUDGET) {
      break
    }
  }
  return counts
}
