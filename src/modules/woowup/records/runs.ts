import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import type { InferTypeOf } from "@medusajs/framework/types"
import type WoowupReconcileRun from "../models/woowup-reconcile-run"

/** The reconcile runs' records (the job's and the admins'). */

export type ReconcileRunRecord = InferTypeOf<typeof WoowupReconcileRun>

/** Job runs left queued or running by a process that died: failed, with the reason. */
export async function closeInterruptedJobRuns(manager: SqlEntityManager): Promise<void> {
  await manager.execute(
    `UPDATE woowup_reconcile_run SET status = 'failed', finished_at = now(), updated_at = now(),
       error = 'Interrupted: the process running it stopped'
     WHERE kind = 'job' AND status IN ('queued', 'running') AND deleted_at IS NULL`
  )
}

/** Keeps the newest `keep` job runs and resyncs, and every import and every run not over yet. */
export async function pruneReconcileRuns(manager: SqlEntityManager, keep: number): Promise<void> {
  await manager.execute(
    `DELETE FROM woowup_reconcile_run WHERE id IN (
       SELECT id FROM woowup_reconcile_run WHERE kind <> 'import' ORDER BY created_at DESC OFFSET ?)
       AND status NOT IN ('queued', 'running', 'paused')`,
    [keep]
  )
}

/**
 * Whether the catalog was never sent: no variant has a sync record, and no backfill was asked for (a run over all
 * products, kept or under way). `catalog.backfillOnStart` then asks for one.
 */
export async function catalogNeverSynced(manager: SqlEntityManager): Promise<boolean> {
  const [row] = await manager.execute(
    `SELECT NOT EXISTS (SELECT 1 FROM woowup_product_sync WHERE deleted_at IS NULL)
        AND NOT EXISTS (SELECT 1 FROM woowup_reconcile_run WHERE all_products AND deleted_at IS NULL) AS never`
  )
  return !!row?.never
}
