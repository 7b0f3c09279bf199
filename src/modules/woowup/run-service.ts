import { InjectManager, MedusaContext } from "@medusajs/framework/utils"
import { WoowupFeedService, type Ctx } from "./engine/feed-service"
import { findHistoryPage, type HistoryOrder } from "./records/history-orders"
import * as resumableRuns from "./records/resumable-runs"

/**
 * The part of the module service for the runs that survive their process: an admin's resync over a window and an
 * import of the store's history (their claim, heartbeat, progress, pause, failures), the pages of history an import
 * reads, and when the plugin was installed. The module service (`service.ts`) extends it.
 */
export class WoowupRunService extends WoowupFeedService {
  // Resyncs over a window and imports: runs that survive their process (records/resumable-runs.ts)

  /** Takes the run for this process (`runner`): queued, or running with a dead process. Null otherwise. */
  @InjectManager()
  async claimRun(input: { id: string; runner: string }, @MedusaContext() sharedContext: Ctx = {}) {
    return await resumableRuns.claimRun(sharedContext.manager!, input)
  }

  /** Heartbeat and progress; the run's status (paused, canceled...), or null when another process took it. */
  @InjectManager()
  async saveRunProgress(
    input: { id: string; runner: string; progress?: resumableRuns.RunProgress },
    @MedusaContext() sharedContext: Ctx = {}
  ) {
    return await resumableRuns.saveRunProgress(sharedContext.manager!, input)
  }

  /** This process stops working on the run (finishing it with `status`, if given). */
  @InjectManager()
  async releaseRun(input: Parameters<typeof resumableRuns.releaseRun>[1], @MedusaContext() sharedContext: Ctx = {}) {
    return await resumableRuns.releaseRun(sharedContext.manager!, input)
  }

  /** Resyncs and imports no live process carries out. */
  @InjectManager()
  async findRunsToResume(@MedusaContext() sharedContext: Ctx = {}): Promise<string[]> {
    return await resumableRuns.findRunsToResume(sharedContext.manager!)
  }

  /** Pauses, resumes or cancels a run; null when its status does not allow it. */
  @InjectManager()
  async changeRunStatus(input: { id: string; action: resumableRuns.RunAction }, @MedusaContext() sharedContext: Ctx = {}) {
    return await resumableRuns.changeRunStatus(sharedContext.manager!, input)
  }

  @InjectManager()
  async addRunFailures(
    runId: string,
    failures: { order_id: string; reason: string }[],
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<void> {
    await resumableRuns.addRunFailures(sharedContext.manager!, runId, failures)
  }

  @InjectManager()
  async listRunFailures(
    input: { run_id: string; after_order_id?: string; limit: number },
    @MedusaContext() sharedContext: Ctx = {}
  ) {
    return await resumableRuns.listRunFailures(sharedContext.manager!, input)
  }

  /** When the plugin was installed: orders placed before are history. */
  @InjectManager()
  async installedAt(@MedusaContext() sharedContext: Ctx = {}): Promise<Date | null> {
    return await resumableRuns.installedAt(sharedContext.manager!)
  }

  /** One primary-key page of the orders an import looks at (records/history-orders.ts). */
  @InjectManager()
  async findHistoryPage(
    input: { after_id: string; scan: number; from: Date; to: Date },
    @MedusaContext() sharedContext: Ctx = {}
  ): Promise<{ orders: HistoryOrder[]; cursor: string | null }> {
    return await findHistoryPage(sharedContext.manager!, this.account_, input)
  }

}
