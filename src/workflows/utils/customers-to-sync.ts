import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import type WoowupModuleService from "../../modules/woowup/service"
import type { ReconcileRunRecord } from "../../modules/woowup/service"
import type { CustomerSyncRunOutcome } from "../steps/sync-woowup-customer"
import { syncWoowupCustomerWorkflow } from "../sync-customer"

/** Customers taken per page. */
const CUSTOMERS_PER_PAGE = 100

type CustomerRun = Pick<
  ReconcileRunRecord,
  "id" | "kind" | "customer_ids" | "all_customers" | "only_failed" | "dry_run"
>

export type CustomerCounts = Pick<
  ReconcileRunRecord,
  "customers_found" | "customers_sent" | "customers_already_synced" | "customers_skipped" | "customers_failed"
>

const COUNTED: Record<CustomerSyncRunOutcome, keyof CustomerCounts> = {
  sent: "customers_sent",
  already_synced: "customers_already_synced",
  skipped: "customers_skipped",
  busy: "customers_skipped",
  failed: "customers_failed",
}

/** Whether the run has a customers phase: a job run (when `syncCustomers`), or a resync that names customers. */
export function runSyncsCustomers(run: CustomerRun, syncCustomers: boolean): boolean {
  return run.kind === "job" ? syncCustomers : !!run.customer_ids?.length || run.all_customers
}

/**
 * The customers a run syncs, a page at a time: the named ones; every customer with an account (`all_customers`;
 * with `only_failed`, those whose last sync failed); or, for the job, the failed syncs whose next attempt is due and
 * the syncs of a dead process.
 */
export async function* customersToSync(woowup: WoowupModuleService, run: CustomerRun): AsyncGenerator<string[]> {
  const named = run.customer_ids
  if (named?.length) {
    for (let i = 0; i < named.length; i += CUSTOMERS_PER_PAGE) {
      yield named.slice(i, i + CUSTOMERS_PER_PAGE)
    }
    return
  }
  const scope = run.kind === "job" ? "due" : run.only_failed ? "failed" : "all"
  let after = ""
  for (;;) {
    const page = await woowup.findCustomersToSync({ scope, after_id: after, limit: CUSTOMERS_PER_PAGE })
    if (page.customer_ids.length) {
      yield page.customer_ids
    }
    if (!page.cursor) {
      return
    }
    after = page.cursor
  }
}

/**
 * The customers phase of a reconcile run or resync, after its orders: one customer at a time, so that customer
 * calls take at most one place in the rate limiter's queue and purchases keep the rest of it. Keeps the run's
 * customer counts up to date; a dry run only counts.
 */
export async function syncRunCustomers(
  container: MedusaContainer,
  woowup: WoowupModuleService,
  run: CustomerRun,
  logger: Logger
): Promise<CustomerCounts> {
  const counts: CustomerCounts = {
    customers_found: 0,
    customers_sent: 0,
    customers_already_synced: 0,
    customers_skipped: 0,
    customers_failed: 0,
  }
  const trigger = run.kind === "job" ? ("reconcile" as const) : ("resync" as const)
  // An admin named them: a failure judged permanent, or not due yet, is tried now.
  const force = run.kind === "resync"
  for await (const customerIds of customersToSync(woowup, run)) {
    counts.customers_found += customerIds.length
    if (!run.dry_run) {
      for (const customer_id of customerIds) {
        try {
          const { result } = await syncWoowupCustomerWorkflow(container).run({ input: { customer_id, trigger, force } })
          counts[COUNTED[result.outcome]]++
        } catch (e) {
          counts.customers_failed++
          logger.warn(`woowup: ${trigger} of customer ${customer_id} failed: ${(e as Error).message}`)
        }
      }
    }
    await woowup.updateWoowupReconcileRuns({ id: run.id, ...counts })
  }
  return counts
}
