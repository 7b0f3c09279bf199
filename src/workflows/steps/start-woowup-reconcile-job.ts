import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, generateEntityId, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { parseExpression } from "cron-parser"
import { WOOWUP_MODULE } from "../../modules/woowup"
import type WoowupModuleService from "../../modules/woowup/service"
import { liveOrdersFrom } from "../../modules/woowup/rules"
import { WOOWUP_RECONCILE_LOCK, WOOWUP_RECONCILE_LOCK_SECONDS } from "./reconcile-woowup-orders"

export const startWoowupReconcileJobStepId = "start-woowup-reconcile-job"
/**
 * This step decides whether the reconcile job runs now: due by `reconcile.schedule` (no job run since its
 * last fire time), and not running anywhere else (Medusa's Locking module, so across processes with the Redis or
 * Postgres provider). It then records the run, over the look-back window (from the plugin's installation at the
 * earliest), and returns its id; null when the job
 * does not run (an overlap is said in the log).
 */
export const startWoowupReconcileJobStep = createStep(
  startWoowupReconcileJobStepId,
  async (input: { now?: Date | string }, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const { reconcile } = await woowup.getOptions()
    const now = input.now ? new Date(input.now) : new Date()
    if (!(await isDue(woowup, reconcile.schedule, now))) {
      return new StepResponse<string | null>(null)
    }
    const id = generateEntityId(undefined, "wurun")
    const locking = container.resolve(Modules.LOCKING)
    try {
      await locking.acquire(WOOWUP_RECONCILE_LOCK, { ownerId: id, expire: WOOWUP_RECONCILE_LOCK_SECONDS })
    } catch {
      container
        .resolve<Logger>(ContainerRegistrationKeys.LOGGER)
        .info("woowup: reconcile skipped: another reconcile run is in progress")
      return new StepResponse<string | null>(null)
    }
    // Another process may have run it between the check and the lock.
    if (!(await isDue(woowup, reconcile.schedule, now))) {
      await locking.release(WOOWUP_RECONCILE_LOCK, { ownerId: id })
      return new StepResponse<string | null>(null)
    }
    // Holding the lock, no other job run is alive: one still marked running belongs to a process that died.
    await woowup.closeInterruptedJobRuns()
    await woowup.createWoowupReconcileRuns({
      id,
      kind: "job",
      status: "queued",
      // Orders placed before the plugin was installed are history: only an import sends them.
      window_from: liveOrdersFrom({ now, lookbackHours: reconcile.lookbackHours, installedAt: await woowup.installedAt() }),
      window_to: now,
    })
    return new StepResponse<string | null>(id, id)
  },
  async (id, { container }) => {
    if (!id) {
      return
    }
    await container.resolve(Modules.LOCKING).release(WOOWUP_RECONCILE_LOCK, { ownerId: id })
  }
)

/** No job run started since the schedule's last fire time (at or before `now`). */
async function isDue(woowup: WoowupModuleService, schedule: string, now: Date): Promise<boolean> {
  const lastFire = parseExpression(schedule, { currentDate: new Date(now.getTime() + 1_000) }).prev().toDate()
  const [last] = await woowup.listWoowupReconcileRuns({ kind: "job" }, { order: { created_at: "DESC" }, take: 1 })
  return !last || new Date(last.created_at).getTime() < lastFire.getTime()
}
