import { z } from "@medusajs/framework/zod"
import { invalidArgument } from "./call-helpers"
import type { WoowupCallOptions } from "./client-types"
import { WOOWUP_API_CODES } from "./errors"
import type { CodeMapper } from "./request-answer"
import type { RequestExecutor } from "./request-executor"
import { describeIssues } from "./schemas"

// The calls of `WoowupClient` about the account itself: its branches (`/branches`), the integration's counts
// (`/integration-stats`) and its totals (`/stats`).

/** `POST /branches` body: a branch's name and whether it sells online. */
export const woowupBranchInputSchema = z
  .object({ name: z.string().trim().min(1).max(100), is_web: z.boolean() })
  .passthrough()
export type WoowupBranchInput = z.input<typeof woowupBranchInputSchema>

export const woowupBranchSchema = z.object({ name: z.string(), is_web: z.boolean().optional() }).passthrough()
export type WoowupBranch = z.output<typeof woowupBranchSchema>

/** `/branches/{name}`: the name base64-encoded, then URL-encoded (as `/products/{sku}`). */
export function branchPath(name: string): string {
  return `/branches/${encodeURIComponent(Buffer.from(name, "utf8").toString("base64"))}`
}

/** `GET /branches/{name}`; null when WoowUp has no branch of that name. */
export async function findBranch(
  requests: RequestExecutor,
  name: string,
  options?: WoowupCallOptions
): Promise<WoowupBranch | null> {
  if (typeof name !== "string" || !name.trim()) throw invalidArgument("GET", "/branches", "name is required")
  try {
    return await requests.read({ method: "GET", path: branchPath(name), idempotent: true, priority: "orders" }, woowupBranchSchema, options)
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null
    throw error
  }
}

/**
 * `POST /branches`. A branch WoowUp already has (409, or a `duplicated_*` code) answers `{ outcome: "exists" }`:
 * two processes creating the same branch at once both end with it there, once. On the purchase's lane: a purchase
 * waits for its branch.
 */
export async function createBranch(
  requests: RequestExecutor,
  body: WoowupBranchInput,
  options?: WoowupCallOptions
): Promise<{ outcome: "created" | "exists" }> {
  const parsed = woowupBranchInputSchema.safeParse(body)
  if (!parsed.success) throw invalidArgument("POST", "/branches", describeIssues(parsed.error))
  try {
    await requests.write(
      { method: "POST", path: "/branches", body: parsed.data, idempotent: true, priority: "orders", mapCode: branchCreateCode },
      woowupBranchSchema,
      options
    )
    return { outcome: "created" }
  } catch (error) {
    if ((error as { code?: string }).code === BRANCH_EXISTS) return { outcome: "exists" }
    throw error
  }
}

const BRANCH_EXISTS = "branch_exists"
const branchCreateCode: CodeMapper = ({ status, code }) =>
  code !== WOOWUP_API_CODES.BAD_REQUEST && (status === 409 || /^duplicated?_/.test(code)) ? BRANCH_EXISTS : code

const failedSchema = z.array(z.object({ element: z.string(), message: z.string() })).default([])
const feedStatsSchema = z.object({
  created: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  failed: failedSchema,
})

/** `POST /integration-stats` body: what the integration did, per feed (WoowUp's "Sincronizaciones" screen). */
export const woowupIntegrationStatsSchema = z
  .object({
    customers: feedStatsSchema.optional(),
    products: feedStatsSchema.optional(),
    branches: feedStatsSchema.optional(),
    purchases: z
      .object({
        created: z.number().int().nonnegative(),
        updated: z.number().int().nonnegative(),
        duplicated: z.number().int().nonnegative(),
        failed: failedSchema,
        revenue: z.number().finite(),
        units: z.number().finite().nonnegative(),
      })
      .optional(),
  })
  .strict()
export type WoowupIntegrationStats = z.input<typeof woowupIntegrationStatsSchema>

/** `POST /integration-stats`. Lowest lane there is: counts go after every live call. Not repeated after a lost answer. */
export async function postIntegrationStats(
  requests: RequestExecutor,
  body: WoowupIntegrationStats,
  options?: WoowupCallOptions
): Promise<void> {
  const parsed = woowupIntegrationStatsSchema.safeParse(body)
  if (!parsed.success) throw invalidArgument("POST", "/integration-stats", describeIssues(parsed.error))
  await requests.write(
    { method: "POST", path: "/integration-stats", body: parsed.data, idempotent: false, priority: "carts" },
    z.unknown(),
    options
  )
}

const totalsSchema = z.object({
  total_customers: z.coerce.number().default(0),
  total_purchases: z.coerce.number().default(0),
  total_revenue: z.coerce.number().default(0),
  total_invoice_items: z.coerce.number().default(0),
})
export const woowupStatsSchema = totalsSchema.extend({
  per_branches: z.array(totalsSchema.extend({ branch: z.string() }).passthrough()).default([]),
})
export type WoowupStats = z.output<typeof woowupStatsSchema>

/** `GET /stats`: the account's totals (purchases by `createtime` in `from`..`to`), for one branch when given. */
export async function getStats(
  requests: RequestExecutor,
  query: { from: string; to: string; branch?: string },
  options?: WoowupCallOptions
): Promise<WoowupStats> {
  return requests.read(
    { method: "GET", path: "/stats", query, idempotent: true, priority: "storefront" },
    woowupStatsSchema,
    options
  )
}
