import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import { generateEntityId } from "@medusajs/framework/utils"
import { CLAIM_STALE_MS } from "../engine/claim-timing"
import type { ReconcileRunRecord } from "./runs"

/**
 * The runs that last: an admin's resync over a window and an import of the store's history. The process carrying
 * one out holds it by a token (`runner`) and a heartbeat, and writes its cursor (`last_order_id`) and counts as it
 * goes, so a run whose process died (a deploy, a kill) is taken over by another and resumes after its cursor,
 * losing only the orders that were in flight (they converge through the usual claims).
 */

/** Counts a resumable run writes as it goes. */
export type RunProgress = Partial<
  Pick<ReconcileRunRecord, "found" | "sent" | "already_synced" | "skipped" | "failed" | "busy" | "processed">
> & { last_order_id?: string | null }

const STALE = `(heartbeat_at IS NULL OR heartbeat_at < now() - interval '${CLAIM_STALE_MS} milliseconds')`

/**
 * Takes the run for this process (`runner`, a fresh token): a queued run, or a running one whose process stopped
 * (no heartbeat for CLAIM_STALE_MS). Null when another process holds it, or it is paused, canceled or over.
 */
export async function claimRun(
  manager: SqlEntityManager,
  input: { id: string; runner: string }
): Promise<ReconcileRunRecord | null> {
  const rows = await manager.execute(
    `UPDATE woowup_reconcile_run SET runner = ?, heartbeat_at = now(), status = 'running',
       started_at = COALESCE(started_at, now()), resumed_at = now(), processed_at_resume = processed, updated_at = now()
     WHERE id = ? AND deleted_at IS NULL AND NOT dry_run AND status IN ('queued', 'running') AND ${STALE}
     RETURNING *`,
    [input.runner, input.id]
  )
  return (rows[0] as ReconcileRunRecord) ?? null
}

/**
 * Writes the run's heartbeat and progress, if this process still holds it. Returns the run's status then (an
 * admin may have paused or canceled it), or null when another process took it over.
 */
export async function saveRunProgress(
  manager: SqlEntityManager,
  input: { id: string; runner: string; progress?: RunProgress }
): Promise<ReconcileRunRecord["status"] | null> {
  const columns = Object.entries(input.progress ?? {}).filter(([, v]) => v !== undefined)
  const sets = columns.map(([k]) => `"${k}" = ?`).join(", ")
  const rows = await manager.execute(
    `UPDATE woowup_reconcile_run SET heartbeat_at = now(), updated_at = now()${sets ? `, ${sets}` : ""}
     WHERE id = ? AND runner = ? AND deleted_at IS NULL RETURNING status`,
    [...columns.map(([, v]) => v), input.id, input.runner]
  )
  return (rows[0]?.status as ReconcileRunRecord["status"]) ?? null
}

/**
 * Lets the run go: its process stops working on it (paused, canceled, or over with `status`). A later claim (a
 * resume) finds it free at once.
 */
export async function releaseRun(
  manager: SqlEntityManager,
  input: { id: string; runner: string; status?: "done" | "failed"; error?: string | null; duration_ms?: number }
): Promise<ReconcileRunRecord | null> {
  const finish = input.status
    ? `, status = CASE WHEN status = 'running' THEN ? ELSE status END, error = ?, duration_ms = ?,
       finished_at = CASE WHEN status = 'running' THEN now() ELSE finished_at END`
    : ""
  const rows = await manager.execute(
    `UPDATE woowup_reconcile_run SET runner = NULL, heartbeat_at = NULL, updated_at = now()${finish}
     WHERE id = ? AND runner = ? AND deleted_at IS NULL RETURNING *`,
    [...(input.status ? [input.status, input.error ?? null, input.duration_ms ?? null] : []), input.id, input.runner]
  )
  return (rows[0] as ReconcileRunRecord) ?? null
}

/**
 * The resyncs and imports no process carries out: running with a heartbeat gone stale (their process died), or
 * queued for longer than that (the event that starts them was lost). The job takes them up again.
 */
export async function findRunsToResume(manager: SqlEntityManager): Promise<string[]> {
  const rows = await manager.execute(
    `SELECT id FROM woowup_reconcile_run
     WHERE deleted_at IS NULL AND kind IN ('resync', 'import') AND NOT dry_run AND status IN ('queued', 'running')
       AND ${STALE} AND created_at < now() - interval '${CLAIM_STALE_MS} milliseconds'
     ORDER BY created_at`
  )
  return rows.map((r) => r.id as string)
}

/** What an admin may do to a run, and from which statuses. */
export const RUN_ACTIONS = {
  pause: { from: ["queued", "running"], to: "paused" },
  resume: { from: ["paused"], to: "running" },
  cancel: { from: ["queued", "running", "paused"], to: "canceled" },
} as const

export type RunAction = keyof typeof RUN_ACTIONS

/**
 * Pauses, resumes or cancels a run. Null when its status does not allow it. A resumed run is carried out again
 * by whichever process claims it (the resume's event, or the job).
 */
export async function changeRunStatus(
  manager: SqlEntityManager,
  input: { id: string; action: RunAction }
): Promise<ReconcileRunRecord | null> {
  const { from, to } = RUN_ACTIONS[input.action]
  const rows = await manager.execute(
    `UPDATE woowup_reconcile_run SET status = ?, updated_at = now(),
       finished_at = CASE WHEN ? = 'canceled' THEN now() ELSE finished_at END
     WHERE id = ? AND deleted_at IS NULL AND NOT dry_run AND status IN (${from.map(() => "?").join(", ")})
     RETURNING *`,
    [to, to, input.id, ...from]
  )
  return (rows[0] as ReconcileRunRecord) ?? null
}

/** Notes the orders a run could not bring to WoowUp, with their reasons. */
export async function addRunFailures(
  manager: SqlEntityManager,
  runId: string,
  failures: { order_id: string; reason: string }[]
): Promise<void> {
  if (!failures.length) {
    return
  }
  await manager.execute(
    `INSERT INTO woowup_run_failure (id, run_id, order_id, reason, created_at, updated_at)
     VALUES ${failures.map(() => "(?, ?, ?, ?, now(), now())").join(", ")}`,
    failures.flatMap((f) => [generateEntityId(undefined, "wurfail"), runId, f.order_id, f.reason.slice(0, 1000)])
  )
}

/** A page of a run's failures, by order id (the CSV reads them all this way, a page at a time). */
export async function listRunFailures(
  manager: SqlEntityManager,
  input: { run_id: string; after_order_id?: string; limit: number }
): Promise<{ order_id: string; reason: string }[]> {
  return (await manager.execute(
    `SELECT DISTINCT ON (order_id) order_id, reason FROM woowup_run_failure
     WHERE run_id = ? AND order_id > ? AND deleted_at IS NULL ORDER BY order_id, created_at DESC LIMIT ?`,
    [input.run_id, input.after_order_id ?? "", input.limit]
  )) as { order_id: string; reason: string }[]
}

/** When the plugin was installed (its migration wrote it); null if the row is gone. */
export async function installedAt(manager: SqlEntityManager): Promise<Date | null> {
  const [row] = await manager.execute(
    `SELECT min(installed_at) AS at FROM woowup_installation WHERE deleted_at IS NULL`
  )
  return row?.at ? new Date(row.at) : null
}
