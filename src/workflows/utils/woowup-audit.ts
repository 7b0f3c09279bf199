import type { MedusaContainer } from "@medusajs/framework/types"
import { configuredBranches, formatWoowupDate, toNumber, purchaseTotalsByBranch, resolveBranch, type PurchaseTotals } from "../../modules/woowup/rules"
import type WoowupModuleService from "../../modules/woowup/service"
import { loadRewardOrders } from "./reward-orders"

export type AuditTotals = PurchaseTotals
export type AuditBranch = {
  branch: string
  /** WoowUp's `GET /stats` for the branch; null when it could not be read (`error` says why). */
  woowup: (AuditTotals & { customers: number }) | null
  /** The purchases the plugin recorded as synced, of orders created in the window, as it sent them. */
  plugin: AuditTotals
  /** WoowUp minus the plugin (null when WoowUp could not be read). */
  difference: AuditTotals | null
  /** Orders of the window whose purchase is not in WoowUp yet (pending, failed, or not sent), for this branch. */
  pending: number
  /** The likely causes of a difference, in words. */
  causes: string[]
  error?: string
}
export type WoowupAudit = { from: string; to: string; branches: AuditBranch[]; difference: AuditTotals | null }

const ZERO: AuditTotals = { purchases: 0, revenue: 0, units: 0 }
const cents = (v: number) => Math.round(v * 100) / 100
const minus = (a: AuditTotals, b: AuditTotals): AuditTotals => ({
  purchases: a.purchases - b.purchases,
  revenue: cents(a.revenue - b.revenue),
  units: a.units - b.units,
})

/** Why WoowUp's count and the plugin's differ, most likely first. */
export function auditCauses(difference: AuditTotals | null, pending: number): string[] {
  const causes: string[] = []
  if (difference && difference.purchases > 0) {
    causes.push(
      `WoowUp has ${difference.purchases} purchase(s) the plugin did not send: another integration (a POS, a ` +
        "marketplace connector, an import) sends purchases to the same branch, or they were entered in WoowUp"
    )
  }
  if (difference && difference.purchases < 0) {
    causes.push(
      `WoowUp does not count ${-difference.purchases} purchase(s) the plugin sent: WoowUp processes purchases in ` +
        "a queue (check again in a few minutes), or they were deleted in WoowUp"
    )
  }
  if (pending > 0) {
    causes.push(`${pending} order(s) of the window are still pending (not in WoowUp yet): the reconcile job or a resync sends them`)
  }
  if (difference && difference.purchases === 0 && (difference.revenue !== 0 || difference.units !== 0)) {
    causes.push("the same purchases with other totals: orders edited after they were sent, or purchases updated in WoowUp")
  }
  return causes
}

function captured(order: Record<string, any>): boolean {
  return (order.payment_collections ?? []).some((pc: any) => toNumber(pc?.captured_amount) > 0)
}

/**
 * The audit of `from`..`to`: for each branch of the plugin (in the options, or created by it), WoowUp's
 * `GET /stats` next to the purchases the plugin recorded as synced for orders created in the window, and the
 * difference (WoowUp minus the plugin) with its likely causes. One `/stats` call per branch.
 */
export async function auditWoowup(
  container: MedusaContainer,
  woowup: WoowupModuleService,
  window: { from: Date; to: Date }
): Promise<WoowupAudit> {
  const options = await woowup.getOptions()
  const orders = await loadRewardOrders(
    container,
    { created_at: { $gte: window.from, $lt: window.to } },
    ["woowup_reward.status"]
  )
  const synced = orders.filter((o) => o.woowup_reward?.status === "synced")
  const pendingOrders = orders.filter((o) =>
    o.woowup_reward ? ["pending", "failed"].includes(o.woowup_reward.status) : captured(o) && !o.canceled_at
  )
  const plugin = purchaseTotalsByBranch(synced, options)
  const names = new Set([
    ...configuredBranches(options).map((b) => b.branch_name),
    ...(await woowup.knownBranches()),
    ...plugin.keys(),
  ])
  const from = formatWoowupDate(window.from)!
  const to = formatWoowupDate(window.to)!
  const branches: AuditBranch[] = []
  for (const branch of [...names].sort()) {
    const ours = plugin.get(branch) ?? ZERO
    const pending = pendingOrders.filter((o) => resolveBranch(o, options).branch_name === branch).length
    try {
      const stats = await woowup.client.getStats({ from, to, branch })
      const row = stats.per_branches.find((b) => b.branch === branch) ?? stats
      const theirs = {
        purchases: row.total_purchases,
        revenue: cents(row.total_revenue),
        units: row.total_invoice_items,
        customers: row.total_customers,
      }
      const difference = minus(theirs, ours)
      branches.push({ branch, woowup: theirs, plugin: ours, difference, pending, causes: auditCauses(difference, pending) })
    } catch (e) {
      branches.push({ branch, woowup: null, plugin: ours, difference: null, pending, causes: auditCauses(null, pending), error: (e as Error).message })
    }
  }
  const read = branches.filter((b) => b.difference)
  const difference = read.length === branches.length ? read.reduce((sum, b) => {
    const d = b.difference!
    return { purchases: sum.purchases + d.purchases, revenue: cents(sum.revenue + d.revenue), units: sum.units + d.units }
  }, ZERO) : null
  return { from: window.from.toISOString(), to: window.to.toISOString(), branches, difference }
}
