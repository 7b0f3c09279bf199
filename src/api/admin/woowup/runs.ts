import type { ReconcileRunRecord } from "../../../modules/woowup/service"
import type { AdminWoowupRun } from "./types"

/** A run record as the admin routes show it: the window as `from`/`to`. */
export function toAdminRun(run: ReconcileRunRecord): AdminWoowupRun {
  const { window_from, window_to, deleted_at: _deleted, ...rest } = run
  return { ...rest, from: window_from, to: window_to }
}
