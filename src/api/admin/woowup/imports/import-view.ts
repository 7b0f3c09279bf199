import { etaSeconds } from "../../../../modules/woowup/rules"
import type { ReconcileRunRecord } from "../../../../modules/woowup/service"
import type { AdminWoowupImport } from "../types"

/** Failures an import's record shows (all of them are in `failures.csv`). */
export const FAILURES_SHOWN = 1000

const iso = (value: Date | string | null) => (value ? new Date(value).toISOString() : null)

/** An import's run record as the admin routes show it. */
export function toAdminImport(run: ReconcileRunRecord, now = new Date()): AdminWoowupImport {
  return {
    id: run.id,
    status: run.status,
    from: iso(run.window_from)!,
    to: iso(run.window_to)!,
    award_points: run.award_points,
    customers: run.with_customers,
    dry_run: run.dry_run,
    total: run.total ?? 0,
    processed: run.processed,
    sent: run.sent,
    already_in_woowup: run.already_synced,
    skipped: run.skipped,
    failed: run.failed,
    started_at: iso(run.started_at),
    finished_at: iso(run.finished_at),
    eta_seconds: run.status === "running" ? etaSeconds({ ...run, now }) : null,
    last_order_id: run.last_order_id,
    estimate: (run.estimate as AdminWoowupImport["estimate"]) ?? null,
    error: run.error,
    created_at: iso(run.created_at)!,
    updated_at: iso(run.updated_at)!,
  }
}
