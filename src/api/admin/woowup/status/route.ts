import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { WOOWUP_MODULE } from "../../../../modules/woowup"
import { shownApiUrl } from "../../../../modules/woowup/options"
import type WoowupModuleService from "../../../../modules/woowup/service"
import { checkWoowupConnection } from "../../../../workflows/utils/check-connection"
import { toAdminRun } from "../runs"
import type { AdminWoowupStatusResponse } from "../types"

/**
 * The plugin at a glance: whether WoowUp accepts the key right now (a live read with a short timeout: unreachable
 * is an answer, not an error), the options that are safe to show (never the key), counts per status, how many
 * records belong to another WoowUp account, the points spent at checkout, the last reconcile runs, the rate limiter's use, and each feed's state
 * (orders, customers, products, carts: on or off, records per status, latest failures).
 */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse<AdminWoowupStatusResponse>) => {
  const woowup = req.scope.resolve<WoowupModuleService>(WOOWUP_MODULE)
  const [connection, feeds, otherAccount, runs, options, redemptions] = await Promise.all([
    checkWoowupConnection(woowup.client),
    woowup.feedStatuses(),
    woowup.countOtherAccountRewards(),
    woowup.listWoowupReconcileRuns({}, { order: { created_at: "DESC" }, take: 10 }),
    woowup.getOptions(),
    woowup.countRedemptions(),
  ])
  const { computePoints, ...shown } = options as Record<string, unknown>
  const safe = Object.fromEntries(Object.entries(shown).filter(([key]) => !/url$/i.test(key) || key === "apiUrl"))
  safe.apiUrl = shownApiUrl(String(safe.apiUrl))
  const usage = woowup.client.usage()
  res.json({
    status: {
      connection,
      options: { ...safe, computePoints: typeof computePoints === "function" },
      counts: feeds.orders.counts as AdminWoowupStatusResponse["status"]["counts"],
      account: woowup.account,
      other_account: otherAccount,
      redemptions,
      last_run: runs[0] ? toAdminRun(runs[0]) : null,
      runs: runs.map(toAdminRun),
      rate_limit: { used: usage.used, limit: usage.limit, window_ms: usage.windowMs, source: usage.source },
      feeds: {
        orders: { enabled: true, ...feeds.orders },
        customers: { enabled: options.syncCustomers, ...feeds.customers },
        // The catalog option comes with the products feed; until then, off.
        products: { enabled: (options as any).catalog?.enabled === true, ...feeds.products },
        // Counts also `recovered`: carts told they were completed after they were sent.
        carts: { enabled: options.abandonedCarts.enabled, ...feeds.carts },
      },
    },
  })
}
