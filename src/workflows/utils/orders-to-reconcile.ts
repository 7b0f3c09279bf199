import type WoowupModuleService from "../../modules/woowup/service"
import type { ReconcileRunRecord } from "../../modules/woowup/service"
import { orderIdRange } from "../../modules/woowup/rules"

/** Orders looked at per query: a page costs the same however large the window is. */
export const RECONCILE_SCAN = 1000
/** Named orders taken per page. */
const IDS_PER_PAGE = 100

/**
 * The orders a run has to take through the award workflow, a page at a time (memory does not grow with the
 * window): the named ones (all of them, or for a dry run those WoowUp does not match yet); or every order whose
 * record was written for another WoowUp account (an admin's `other_account` resync); or the window's orders that
 * need work, oldest first, by the order table's primary key. A job run first takes the work the plugin's records
 * already know about on orders outside its window, whatever their age (see work-due.ts).
 */
export async function* ordersToReconcile(
  woowup: WoowupModuleService,
  run: Pick<
    ReconcileRunRecord,
    "kind" | "order_ids" | "window_from" | "window_to" | "only_failed" | "dry_run" | "other_account"
  >,
  /** A resumed run's cursor: the orders up to it are done. */
  after?: string | null
): AsyncGenerator<string[]> {
  if (run.order_ids?.length) {
    // Sorted, so that the cursor (the last order done) says which are left.
    const named = [...new Set(run.order_ids)].sort().filter((id) => !after || id > after)
    for (let i = 0; i < named.length; i += IDS_PER_PAGE) {
      const ids = named.slice(i, i + IDS_PER_PAGE)
      yield run.dry_run
        ? (await woowup.findOrdersToReconcile({ order_ids: ids, other_account: run.other_account })).order_ids
        : ids
    }
    return
  }
  if (run.other_account) {
    yield* pages((after_id) => woowup.findOtherAccountOrders({ after_id, limit: IDS_PER_PAGE }), after ?? "")
    return
  }
  if (!run.window_from || !run.window_to) {
    // A resync of customers only.
    return
  }
  const { from_id, to_id } = orderIdRange(new Date(run.window_from), new Date(run.window_to))
  if (run.kind === "job") {
    yield* pages((after_id) =>
      woowup.findOrdersWithWorkDue({ after_id, skip_from: from_id, skip_to: to_id, limit: IDS_PER_PAGE })
    )
  }
  yield* pages(
    (after_id) =>
      woowup.findOrdersToReconcile({
        after_id,
        to_id,
        scan: RECONCILE_SCAN,
        only_failed: run.only_failed,
        // An admin asked for it now: failures do not wait for their next attempt time.
        ignore_spacing: run.kind === "resync",
        // The job looks back by creation time too (orders migrated with their original dates are history).
        created_from: run.kind === "job" ? new Date(run.window_from!) : undefined,
      }),
    after && after > from_id ? after : from_id
  )
}

/** Pages through a cursor-paged search until its cursor runs out. */
async function* pages(
  page: (after_id: string) => Promise<{ order_ids: string[]; cursor: string | null }>,
  start = ""
): AsyncGenerator<string[]> {
  let after = start
  for (;;) {
    const { order_ids, cursor } = await page(after)
    if (order_ids.length) {
      yield order_ids
    }
    if (!cursor) {
      return
    }
    after = cursor
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
