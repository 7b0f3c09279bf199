import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { randomUUID } from "node:crypto"
import { withCallPriority } from "../../modules/woowup/client"
import { HISTORY_SCAN } from "../../modules/woowup/records/history-orders"
import { CLAIM_HEARTBEAT_MS, type ReconcileRunRecord } from "../../modules/woowup/service"
import type WoowupModuleService from "../../modules/woowup/service"
import { runSyncsFeed, syncRunFeed } from "../engine/feed-runs"
import { syncFeedEntity } from "../engine/sync-feed"
import { FEEDS } from "../feeds"
import { forEachLimit, ordersToReconcile } from "./orders-to-reconcile"
import { rewardRunOrders, type RunCounts } from "./reward-run-orders"

/** Why a run stops before its end: an admin paused or canceled it, or another process took it over. */
type Ended = "paused" | "canceled" | "taken_over"

/**
 * Carries out an admin's resync or an import, from its cursor on: the orders a page at a time (an import: the
 * page's customers first), the cursor and counts written after each few orders, a heartbeat meanwhile; then, for a
 * resync, the other feeds. Stops at a pause or a cancel (seen at each write), and when another process took
 * the run over (this one was thought dead). Returns the run as it is then, or null when another process holds it.
 */
export async function carryOutResumableRun(
  container: MedusaContainer,
  woowup: WoowupModuleService,
  runId: string,
  logger: Logger
): Promise<ReconcileRunRecord | null> {
  const runner = randomUUID()
  const run = await woowup.claimRun({ id: runId, runner })
  if (!run) {
    return null
  }
  const options = await woowup.getOptions()
  const started = Date.now()
  const counts: RunCounts & { processed: number } = {
    found: run.found,
    sent: run.sent,
    already_synced: run.already_synced,
    skipped: run.skipped,
    failed: run.failed,
    busy: run.busy,
    processed: run.processed,
  }
  const failures: { order_id: string; reason: string }[] = []
  const orders = rewardRunOrders(container, woowup, run, { concurrency: options.reconcile.concurrency, logger, counts, failures })
  // Why the run stops before its end, as the last write of its progress found out.
  const stop: { ended: Ended | null } = { ended: null }
  const save = async (last_order_id?: string) => {
    const batch = failures.splice(0)
    await woowup.addRunFailures(run.id, batch)
    const status = await woowup.saveRunProgress({ id: run.id, runner, progress: { ...counts, last_order_id } })
    stop.ended ??= status === null ? "taken_over" : status === "paused" || status === "canceled" ? status : null
  }
  const heartbeat = setInterval(() => {
    save().catch((e) => logger.warn(`woowup: run ${run.id} heartbeat failed: ${(e as Error).message}`))
  }, CLAIM_HEARTBEAT_MS)
  heartbeat.unref?.()

  // Orders done between two writes of the cursor and counts (twice as many as run at once): about what a killed
  // process leaves to be taken again. A pause or a cancel is seen there, and only the orders in flight finish.
  const progressEvery = options.reconcile.concurrency * 2
  const work = async () => {
    for await (const page of ordersOfRun(woowup, run)) {
      if (run.kind === "import" && run.with_customers && options.syncCustomers) {
        await syncCustomersFirst(container, page.customer_ids, options.reconcile.concurrency, logger)
      }
      await orders.rewardInOrder(page.order_ids, {
        customerOf: page.customerOf,
        every: progressEvery,
        stop: () => !!stop.ended,
        settled: async (last, n) => {
          counts.processed += n
          await save(last)
        },
      })
      if (stop.ended) {
        return
      }
      // A page with no order to take still moves the cursor on: a resumed import does not read it again.
      if (page.cursor) {
        await save(page.cursor)
      }
    }
    await orders.revisitHeld(() => save())
    for (const feed of Object.values(FEEDS)) {
      if (!stop.ended && runSyncsFeed(run, feed, feed.enabled(options))) {
        await syncRunFeed(container, woowup, run, feed, logger)
      }
    }
  }
  let failure: unknown
  try {
    // An import's calls, however deep, go after all live work (client lane `history`).
    await (run.kind === "import" ? withCallPriority("history", work) : work())
  } catch (e) {
    failure = e
  } finally {
    clearInterval(heartbeat)
  }
  await save().catch(() => {})
  const { ended } = stop
  if (ended === "taken_over") {
    return null
  }
  const over = failure ? "failed" : ended ? undefined : "done"
  const finished = await woowup.releaseRun({
    id: run.id,
    runner,
    status: over,
    error: failure ? String((failure as Error).message ?? failure).slice(0, 500) : null,
    duration_ms: Date.now() - started,
  })
  if (ended === "paused" && finished?.status === "running") {
    // Resumed while this process was stopping (the resume's own claim found it still held): carry on.
    return carryOutResumableRun(container, woowup, runId, logger)
  }
  const what = run.kind === "import" ? "import" : "resync"
  const line =
    `woowup: ${what} ${run.id} ${finished?.status ?? ended} after ${Date.now() - started} ms: ${counts.processed} ` +
    `processed, ${counts.sent} sent, ${counts.already_synced} already in WoowUp, ${counts.skipped} skipped, ` +
    `${counts.failed} failed`
  if (failure) {
    logger.error(`${line}: ${(failure as Error).message}`)
  } else {
    logger.info(line)
  }
  return finished
}

type RunPage = {
  order_ids: string[]
  /** An import: the customers to create first, and each order's customer (their email). */
  customer_ids: string[]
  customerOf?: (orderId: string) => string | null
  cursor: string | null
}

/** The run's orders after its cursor, a page at a time; an import's by primary-key pages filtered by date. */
async function* ordersOfRun(woowup: WoowupModuleService, run: ReconcileRunRecord): AsyncGenerator<RunPage> {
  if (run.kind !== "import") {
    for await (const order_ids of ordersToReconcile(woowup, run, run.last_order_id)) {
      yield { order_ids, customer_ids: [], cursor: null }
    }
    return
  }
  let after = run.last_order_id ?? ""
  for (;;) {
    const { orders, cursor } = await woowup.findHistoryPage({
      after_id: after,
      scan: HISTORY_SCAN,
      from: new Date(run.window_from!),
      to: new Date(run.window_to!),
    })
    const customer_ids = [
      ...new Set(orders.filter((o) => o.customer_account && !o.customer_synced).map((o) => o.customer_id!)),
    ]
    const emails = new Map(orders.map((o) => [o.id, o.email]))
    yield { order_ids: orders.map((o) => o.id), customer_ids, customerOf: (id) => emails.get(id) ?? null, cursor }
    if (!cursor) {
      return
    }
    after = cursor
  }
}

/** Customers before their purchases: each is created in WoowUp once, however many orders they have. */
async function syncCustomersFirst(
  container: MedusaContainer,
  customerIds: string[],
  concurrency: number,
  logger: Logger
): Promise<void> {
  await forEachLimit(customerIds, concurrency, async (entity_id) => {
    try {
      await syncFeedEntity(container, { feed: "customers", entity_id, trigger: "resync" })
    } catch (e) {
      // The purchase creates the customer when WoowUp does not know them: nothing is lost.
      logger.warn(`woowup: import of customer ${entity_id} failed: ${(e as Error).message}`)
    }
  })
}
