import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import { purchaseTotals } from "../../modules/woowup/rules"
import type { ReconcileRunRecord } from "../../modules/woowup/service"
import type WoowupModuleService from "../../modules/woowup/service"
import { loadRewardOrders } from "./reward-orders"

/**
 * A job run's report to WoowUp's "Sincronizaciones" screen (`POST /integration-stats`): what the plugin synced
 * since the previous run's report (live syncs and runs alike), per feed. Sent only when there was something to
 * report, after the run's own work and on the background lane, so purchases keep the rate limit. A report that fails
 * is logged and not sent again: the counts are WoowUp's display, not data. Returns whether one was sent.
 */
export async function reportIntegrationStats(
  container: MedusaContainer,
  woowup: WoowupModuleService,
  run: Pick<ReconcileRunRecord, "id" | "window_from" | "started_at">,
  logger: Logger
): Promise<boolean> {
  const [previous] = await woowup.listWoowupReconcileRuns(
    { kind: "job", id: { $ne: run.id }, stats_until: { $ne: null } },
    { order: { stats_until: "DESC" }, take: 1 }
  )
  const since = new Date(previous?.stats_until ?? run.window_from ?? run.started_at ?? Date.now())
  const until = new Date()
  const activity = await woowup.syncActivity({ since, until })
  await woowup.updateWoowupReconcileRuns({ id: run.id, stats_until: until })
  const { customers, products, purchases } = activity
  const busy =
    [customers, products].some((f) => f.created + f.updated + f.failed.length > 0) ||
    purchases.order_ids.length + purchases.failed.length > 0
  if (!busy) {
    return false
  }
  const orders = purchases.order_ids.length ? await loadRewardOrders(container, { id: purchases.order_ids }) : []
  const totals = purchaseTotals(orders)
  try {
    await woowup.client.postIntegrationStats({
      customers,
      products,
      purchases: {
        created: totals.purchases,
        updated: 0,
        duplicated: 0,
        failed: purchases.failed,
        revenue: totals.revenue,
        units: totals.units,
      },
    })
    return true
  } catch (e) {
    logger.warn(`woowup: integration stats of run ${run.id} not sent: ${(e as Error).message}`)
    return false
  }
}
