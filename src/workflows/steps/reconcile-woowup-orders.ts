import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import type WoowupModuleService from "../../modules/woowup/service"
import { runSyncsFeed, syncRunFeed, type FeedCounts } from "../engine/feed-runs"
import { FEEDS } from "../feeds"
import { reportIntegrationStats } from "../utils/integration-stats"
import { ordersToReconcile } from "../utils/orders-to-reconcile"
import { carryOutResumableRun } from "../utils/resumable-run"
import { rewardRunOrders, type RunCounts } from "../utils/reward-run-orders"

/** Only one reconcile job runs at a time across the store's processes (Medusa's Locking module). */
export const WOOWUP_RECONCILE_LOCK = "woowup:reconcile"
/** The lock outlives a dead process by this much at most; a live run renews it every third of it. */
export const WOOWUP_RECONCILE_LOCK_SECONDS = 120
/** Run records kept. */
const RUNS_KEPT = 100

export const reconcileWoowupOrdersStepId = "reconcile-woowup-orders"
/**
 * This step carries out one reconcile run (the job's; an admin's resync or import goes to `resumable-run.ts`,
 * which survives its process): it takes every order the run is
 * about through the award workflow, then each other feed's entities through the sync engine, a page at a time, a few at once (`reconcile.concurrency`, all within the
 * client's rate limit), and keeps the run's record up to date. Orders another claim held when the run passed are
 * taken again once that claim is released or stale (or counted `busy` when its owner is alive). A dry run only
 * counts. A job run renews and finally releases the job's lock.
 */
export const reconcileWoowupOrdersStep = createStep(
  reconcileWoowupOrdersStepId,
  async (input: { run_id: string }, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
    const options = await woowup.getOptions()
    const { reconcile } = options
    const run = await woowup.retrieveWoowupReconcileRun(input.run_id)
    if (run.kind !== "job") {
      // A resync or an import: resumable, by whichever process holds it (null: another one does).
      const carried = await carryOutResumableRun(container, woowup, run.id, logger)
      return new StepResponse(carried ?? (await woowup.retrieveWoowupReconcileRun(run.id)))
    }
    const started = Date.now()
    await woowup.updateWoowupReconcileRuns({ id: run.id, status: "running", started_at: new Date(started) })

    const counts: RunCounts = { found: 0, sent: 0, already_synced: 0, skipped: 0, failed: 0, busy: 0 }
    const renewal = run.kind === "job" ? renewJobLock(container, run.id) : undefined
    const orders = rewardRunOrders(container, woowup, run, { concurrency: reconcile.concurrency, logger, counts })
    const progress = async () => {
      await woowup.updateWoowupReconcileRuns({ id: run.id, ...counts })
    }
    const feeds: [string, FeedCounts][] = []
    let failure: unknown
    try {
      for await (const orderIds of ordersToReconcile(woowup, run)) {
        counts.found += orderIds.length
        if (!run.dry_run) {
          await orders.reward(orderIds)
        }
        await progress()
      }
      await orders.revisitHeld(progress)
      // The other feeds after orders, one entity at a time, in priority order: purchases first.
      for (const feed of Object.values(FEEDS)) {
        if (runSyncsFeed(run, feed, feed.enabled(options))) {
          feeds.push([feed.name, await syncRunFeed(container, woowup, run, feed, logger)])
        }
      }
      // Last: what the plugin synced since the previous report, to WoowUp's own screen.
      if (run.kind === "job" && !run.dry_run) {
        await reportIntegrationStats(container, woowup, { ...run, started_at: new Date(started) }, logger)
      }
    } catch (e) {
      failure = e
    } finally {
      if (renewal) {
        clearInterval(renewal)
        await container.resolve(Modules.LOCKING).release(WOOWUP_RECONCILE_LOCK, { ownerId: run.id }).catch(() => {})
      }
    }

    const duration_ms = Date.now() - started
    const status = failure ? "failed" : "done"
    const [finished] = await woowup.updateWoowupReconcileRuns([
      {
        id: run.id,
        ...counts,
        status,
        finished_at: new Date(),
        duration_ms,
        error: failure ? String((failure as Error).message ?? failure).slice(0, 500) : null,
      },
    ])
    await woowup.pruneReconcileRuns(RUNS_KEPT)
    const line =
      `woowup: ${run.kind === "job" ? "reconcile" : "resync"} ${run.id}${run.dry_run ? " (dry run)" : ""} ${status} ` +
      `in ${duration_ms} ms: ${counts.found} found, ${counts.sent} sent, ${counts.already_synced} already in WoowUp, ` +
      `${counts.skipped} skipped, ${counts.failed} failed, ${counts.busy} busy` +
      feeds
        .map(
          ([name, c]) =>
            `; ${name}: ${c.found} found, ${c.sent} sent, ${c.already_synced} already in WoowUp, ` +
            `${c.skipped} skipped, ${c.failed} failed`
        )
        .join("")
    if (failure) {
      logger.error(`${line}: ${(failure as Error).message}`)
    } else {
      logger.info(line)
    }
    return new StepResponse(finished)
  }
)

function renewJobLock(container: { resolve: (key: string) => any }, ownerId: string): NodeJS.Timeout {
  const timer = setInterval(() => {
    container
      .resolve(Modules.LOCKING)
      .acquire(WOOWUP_RECONCILE_LOCK, { ownerId, expire: WOOWUP_RECONCILE_LOCK_SECONDS })
      .catch(() => {})
  }, (WOOWUP_RECONCILE_LOCK_SECONDS * 1000) / 3)
  timer.unref?.()
  return timer
}
