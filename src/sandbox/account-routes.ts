import type { ApiRequest, ApiResult } from "./routes"
import type { SandboxStore } from "./state"
import type { SandboxPurchase } from "./types"
import { isObject, isWoowupDate, parseDate } from "./validation"

// The account routes of the sandbox: `/branches`, `/integration-stats` and `/stats`.

const ok = (payload: unknown, status = 200): ApiResult => ({ status, code: "ok", message: "ok", payload })
const badRequest = (errors: string[]): ApiResult => ({ status: 400, code: "bad_request", message: errors[0] ?? "bad request", payload: { errors } })

export const BRANCH_PATH = /^\/branches\/([^/]+)$/

/** The branch name of `/branches/{name}`: base64, then URL-encoded (as `/products/{sku}`). */
const nameFromPath = (segment: string): string | undefined => {
  try {
    const base64 = decodeURIComponent(segment)
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) return undefined
    return Buffer.from(base64, "base64").toString("utf8")
  } catch {
    return undefined
  }
}

/** `GET /branches/{name}`: the branch, or 404 `branch_not_found`. */
export const getBranch = (segment: string, store: SandboxStore): ApiResult => {
  const name = nameFromPath(segment)
  if (name === undefined) return badRequest(["name (path): must be base64-encoded, then URL-encoded"])
  const branch = store.state.branches.find((b) => b.name === name)
  return branch ? ok(branch) : { status: 404, code: "branch_not_found", message: "branch not found", payload: null }
}

/** `POST /branches`: `name` (required, unique) and `is_web` (boolean); a name the account has is 409. */
export const createBranch = (body: unknown, store: SandboxStore): ApiResult => {
  if (!isObject(body)) return badRequest(["body: must be a JSON object"])
  const errors: string[] = []
  if (typeof body.name !== "string" || !body.name.trim()) errors.push("name: must be a non-empty string")
  if (typeof body.is_web !== "boolean") errors.push("is_web: must be a boolean")
  if (errors.length) return badRequest(errors)
  if (store.state.branches.some((b) => b.name === body.name)) {
    return { status: 409, code: "duplicated_branch", message: "a branch with this name already exists", payload: null }
  }
  const branch = { ...body, name: body.name as string, is_web: body.is_web as boolean }
  store.state.branches.push(branch)
  return ok(branch, 201)
}

const FEEDS = ["customers", "products", "branches", "purchases"]

/** `POST /integration-stats`: kept as received; each feed present must hold `created`, `updated` and `failed[]`. */
export const postIntegrationStats = (body: unknown, store: SandboxStore): ApiResult => {
  if (!isObject(body)) return badRequest(["body: must be a JSON object"])
  const errors: string[] = []
  for (const [feed, counts] of Object.entries(body)) {
    if (!FEEDS.includes(feed)) {
      errors.push(`${feed}: unknown feed (${FEEDS.join(", ")})`)
      continue
    }
    if (!isObject(counts)) {
      errors.push(`${feed}: must be an object`)
      continue
    }
    for (const field of ["created", "updated"]) {
      if (!Number.isInteger(counts[field]) || (counts[field] as number) < 0) errors.push(`${feed}.${field}: must be an integer >= 0`)
    }
    if (counts.failed !== undefined && !Array.isArray(counts.failed)) errors.push(`${feed}.failed: must be an array`)
  }
  if (errors.length) return badRequest(errors)
  store.state.integrationStats.push({ ...body, received_at: new Date().toISOString() })
  return ok(null, 201)
}

type Totals = { total_customers: number; total_purchases: number; total_revenue: number; total_invoice_items: number }

const totalsOf = (purchases: SandboxPurchase[]): Totals => {
  const customers = new Set(purchases.map((p) => p.service_uid))
  let revenue = 0
  let items = 0
  for (const p of purchases) {
    const total = isObject(p.prices) ? Number(p.prices.total) : 0
    revenue += Number.isFinite(total) ? total : 0
    for (const line of p.purchase_detail ?? []) items += Number(line.quantity) || 0
  }
  // Money kept to cents, as WoowUp shows it.
  return { total_customers: customers.size, total_purchases: purchases.length, total_revenue: Math.round(revenue * 100) / 100, total_invoice_items: items }
}

/**
 * `GET /stats?from&to[&branch]`: the purchases whose `createtime` is in `from`..`to` (both required), in all and
 * per branch (`branch_name`); customers are those who bought in the window (the sandbox's reading).
 */
export const getStats = (req: ApiRequest, store: SandboxStore, zonelessUtcOffsetHours?: number): ApiResult => {
  const errors: string[] = []
  for (const field of ["from", "to"]) {
    const v = req.query[field]
    if (v === undefined || !isWoowupDate(v)) errors.push(`${field}: must be a date as YYYY-MM-DD HH:mm:ss or ISO 8601 with an offset`)
  }
  if (errors.length) return badRequest(errors)
  const from = parseDate(req.query.from, zonelessUtcOffsetHours)
  const to = parseDate(req.query.to, zonelessUtcOffsetHours)
  const branch = req.query.branch
  const inWindow = store.state.purchases.filter((p) => {
    if (typeof p.createtime !== "string") return false
    const at = parseDate(p.createtime, zonelessUtcOffsetHours)
    return at >= from && at < to && (branch === undefined || p.branch_name === branch)
  })
  const names = [...new Set(inWindow.map((p) => String(p.branch_name ?? "")))]
  return ok({
    ...totalsOf(inWindow),
    per_branches: names.map((name) => ({ branch: name, ...totalsOf(inWindow.filter((p) => String(p.branch_name ?? "") === name)) })),
  })
}
