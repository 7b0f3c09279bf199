import type { WoowupOptions } from "../options"

/** WoowUp's `channel` of a purchase: bought online, or in a physical store (assumed value, see docs/branches-and-stats.md). */
export type WoowupChannel = "web" | "in-store"

/** One entry of the `branchName` map: a branch, or a branch and whether it is a physical store. */
export type BranchEntry = string | { branch: string; in_store?: boolean }

/** `branchName` as the merchant writes it: one branch for every order, or a branch per sales channel. */
export type BranchNameOption = string | ({ default?: BranchEntry } & Record<string, BranchEntry>)

/** The branch a purchase goes to, and whether it is an online one (`is_web` of WoowUp's `/branches`). */
export type ResolvedBranch = { branch_name: string; channel: WoowupChannel; is_web: boolean }

/** The branch of orders whose sales channel is not in the map and that have no `default`. */
export const DEFAULT_BRANCH = "Medusa"

/** The sales channel an order was placed in, as the award workflow loads it. */
export type OrderSalesChannel = { sales_channel_id?: string | null; sales_channel?: { name?: string | null } | null }

function entry(value: BranchEntry): ResolvedBranch {
  const inStore = typeof value === "object" && value.in_store === true
  const branch_name = typeof value === "string" ? value : value.branch
  return { branch_name, channel: inStore ? "in-store" : "web", is_web: !inStore }
}

/**
 * The branch of an order: `branchName` when it is a string; else the map's entry for the order's sales channel,
 * by id first, then by name; else its `default`; else "Medusa". Orders are `web` unless their entry says
 * `in_store: true`.
 */
export function resolveBranch(
  order: OrderSalesChannel,
  options: Pick<WoowupOptions, "branchName">
): ResolvedBranch {
  const option = options.branchName as BranchNameOption | undefined
  if (typeof option === "string") {
    return entry(option)
  }
  const map = option ?? {}
  const id = order.sales_channel_id ?? undefined
  const name = order.sales_channel?.name ?? undefined
  const found = (id && map[id]) || (name && map[name]) || map.default
  return entry(found || DEFAULT_BRANCH)
}

/** Every branch the options name (the map's values), each once: the branches the audit asks WoowUp about. */
export function configuredBranches(options: Pick<WoowupOptions, "branchName">): ResolvedBranch[] {
  const option = options.branchName as BranchNameOption | undefined
  const entries = typeof option === "string" ? [option] : Object.values(option ?? {})
  const byName = new Map<string, ResolvedBranch>()
  for (const e of entries.length ? entries : [DEFAULT_BRANCH]) {
    const resolved = entry(e)
    byName.set(resolved.branch_name, byName.get(resolved.branch_name) ?? resolved)
  }
  if (typeof option !== "string" && !option?.default) {
    byName.set(DEFAULT_BRANCH, byName.get(DEFAULT_BRANCH) ?? entry(DEFAULT_BRANCH))
  }
  return [...byName.values()]
}
