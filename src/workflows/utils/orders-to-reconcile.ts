import type WoowupModuleService from "../../modules/woowup/service"
import type { ReconcileRunRecord } from "../../modules/woowup/service"
import { orderIdRange } from "../../modules/woowup/rules"

/** Orders looked at per query: a page costs the same however large the window is. */
export const RECONCILE_SCAN = 1000
/** Named orders taken per page. */
const IDS_PER_PAGE = 100

/**
 * The orders a run has to take through the award workflow, a page at a time (memory does not grow with the
 * window): the named ones (all of them, or for a dry run those WoowUp does not match yet), or the window's
 * orders that need work, oldest first, by the order table's primary key.
 */
export async function* ordersToReconcile(
  woowup: WoowupModuleService,
  run: Pick<ReconcileRunRecord, "kind" | "order_ids" | "window_from" | "window_to" | "only_failed" | "dry_run">
): AsyncGenerator<string[]> {
  const named = run.order_ids
  if (named?.length) {
    for (let i = 0; i < named.length; i += IDS_PER_PAGE) {
      const ids = named.slice(i, i + IDS_PER_PAGE)
      yield run.dry_run ? (await woowup.findOrdersToReconcile({ order_ids: ids })).order_ids : ids
    }
    return
  }
  if (!run.window_from || !run.window_to) {
    // A resync of customers only.
    return
  }
  const { from_id, to_id } = orderIdRange(new Date(run.window_from), new Date(run.window_to))
  let after = from_id
  for (;;) {
    const page = await woowup.findOrdersToReconcile({
      after_id: after,
      to_id,
      scan: RECONCILE_SCAN,
      only_failed: run.only_failed,
      // An admin asked for it now: failures do not wait for their next attempt time.
      ignore_spacing: run.kind === "resync",
    })
    if (page.order_ids.length) {
      yield page.order_ids
    }
    if (!page.cursor) {
      return
    }
    after = page.cursor
  }
}

/** Runs `work` on every item, at most `limit` at a time. */
export async function forEachLimit<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      await work(items[next++])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
