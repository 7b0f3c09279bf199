import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import type WoowupModuleService from "../../modules/woowup/service"
import type { ReconcileRunRecord } from "../../modules/woowup/service"
import { rewardOrderWorkflow, type RewardOrderOutcome } from "../reward-order"
import { runSyncsCustomers, syncRunCustomers, type CustomerCounts } from "../utils/customers-to-sync"
import { forEachLimit, ordersToReconcile } from "../utils/orders-to-reconcile"

/** Only one reconcile job runs at a time across the store's processes (Medusa's Locking module). */
export const WOOWUP_RECONCILE_LOCK = "woowup:reconcile"
/** The lock outlives a dead process by this much at most; a live run renews it every third of it. */
export const WOOWUP_RECONCILE_LOCK_SECONDS = 120
/** Run records kept. */
const RUNS_KEPT = 100

type Counts = Pick<ReconcileRunRecord, "found" | "sent" | "already_synced" | "skipped" | "failed">

const COUNTED: Record<RewardOrderOutcome, keyof Counts> = {
  sent: "sent",
  already_synced: "already_synced",
  skipped: "skipped",
  busy: "skipped",
  failed: "failed",
}

export const reconcileWoowupOrdersStepId = "reconcile-woowup-orders"
/**
 * This step carries out one reconcile run (the job's, or an admin's resync): it takes every order the run is
 * about through the award workflow, a page at a time, a few at once (`reconcile.concurrency`, all within the
 * client's rate limit), and keeps the run's record up to date. A dry run only counts. A job run renews and
 * finally releases the job's lock.
 */
export const reconcileWoowupOrdersStep = createStep(
  reconcileWoowupOrdersStepId,
  async (input: { run_id: string }, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const logger = container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
    const { reconcile, syncCustomers } = await woowup.getOptions()
    const run = await woowup.retrieveWoowupReconcileRun(input.run_id)
    const started = Date.now()
    await woowup.updateWoowupReconcileRuns({ id: run.id, status: "running", started_at: new Date(started) })

    const counts: Counts = { found: 0, sent: 0, already_synced: 0, skipped: 0, failed: 0 }
    const renewal = run.kind === "job" ? renewJobLock(container, run.id) : undefined
    const trigger = run.kind === "job" ? ("reconcile" as const) : ("resync" as const)
    // Named orders are retried even when their failure was judged permanent: the admin fixed the cause.
    const force = !!run.order_ids?.length
    let customers: CustomerCounts | null = null
    let failure: unknown
    try {
      for await (const orderIds of ordersToReconcile(woowup, run)) {
        counts.found += orderIds.length
        if (!run.dry_run) {
          await forEachLimit(orderIds, reconcile.concurrency, async (order_id) => {
            try {
              const { result } = await rewardOrderWorkflow(container).run({
                input: { order_id, trigger, force, retry_now: run.kind === "resync" },
              })
              counts[COUNTED[result.outcome]]++
            } catch (e) {
              counts.failed++
              logger.warn(`woowup: ${trigger} of order ${order_id} failed: ${(e as Error).message}`)
            }
          })
        }
        await woowup.updateWoowupReconcileRuns({ id: run.id, ...counts })
      }
      // Customers after orders, one at a time: purchases first, within the same rate limit.
      if (runSyncsCustomers(run, syncCustomers)) {
        customers = await syncRunCustomers(container, woowup, run, logger)
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
      `${counts.skipped} skipped, ${counts.failed} failed` +
      (customers
        ? `; customers: ${customers.customers_found} found, ${customers.customers_sent} sent, ` +
          `${customers.customers_already_synced} already in WoowUp, ${customers.customers_skipped} skipped, ` +
          `${customers.customers_failed} failed`
        : "")
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
