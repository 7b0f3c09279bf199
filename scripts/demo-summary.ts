/**
 * What `npm run demo` prints of WoowUp's side and of the plugin's records: a few lines a newcomer reads, not whole
 * JSON records (the full ones are in the sandbox's state URL and the admin API).
 */
import type { SandboxCustomer, SandboxPurchase, SandboxRequest } from "../src/sandbox"

type Reward = {
  status: string
  reason?: string | null
  invoice_number?: string | null
  identifier?: string | null
  identity?: string | null
  points?: number | null
  amount?: number | string | { value?: string } | null
  currency_code?: string | null
  customer_created?: boolean
  attempts?: number
  trigger?: string | null
}

const money = (value: unknown) => {
  const n = typeof value === "object" && value !== null && "value" in value ? Number((value as { value: string }).value) : Number(value)
  return Number.isFinite(n) ? n.toFixed(2) : "?"
}

/** `Ana García <ana.garcia@example.com>, +5491155550000, ARG; 50 points` */
export function summarizeCustomer(customer: SandboxCustomer | undefined): string {
  if (!customer) {
    return "none"
  }
  const name = [customer.first_name, customer.last_name].filter(Boolean).join(" ")
  const reach = [customer.telephone, customer.city, customer.country].filter(Boolean).join(", ")
  return `${name || "(no name)"} <${customer.email ?? customer.document ?? customer.service_uid}>${reach ? `, ${reach}` : ""}; balance ${customer.points} points`
}

/** The purchase: its invoice, total, points, branch, then one line per item. */
export function summarizePurchase(purchase: SandboxPurchase | undefined): string[] {
  if (!purchase) {
    return ["none"]
  }
  const prices = (purchase.prices ?? {}) as Record<string, unknown>
  const head =
    `invoice ${purchase.invoice_number}, total ${money(prices.total)}, ${purchase.points ?? "no"} points, ` +
    `branch "${String(purchase.branch_name ?? "")}", channel ${String(purchase.channel ?? "")}`
  const items = purchase.purchase_detail.map(
    (line) => `  ${String(line.quantity)} × ${String(line.product_name ?? "")} (SKU ${String(line.sku)}) at ${money(line.unit_price)}`
  )
  return [head, ...items]
}

/** The order's reward record in one line: status (and why), points, invoice, and whom it went to. */
export function summarizeReward(reward: Reward | null | undefined): string {
  if (!reward) {
    return "none"
  }
  const parts = [reward.status + (reward.reason ? ` (${reward.reason.slice(0, 120)})` : "")]
  if (reward.points !== null && reward.points !== undefined) {
    parts.push(`${reward.points} points on ${money(reward.amount)} ${String(reward.currency_code ?? "").toUpperCase()}`)
  }
  if (reward.invoice_number) {
    parts.push(`invoice ${reward.invoice_number}`)
  }
  if (reward.identity) {
    parts.push(`${reward.identifier ?? "identity"} ${reward.identity}${reward.customer_created ? " (created in WoowUp)" : ""}`)
  }
  if (reward.attempts) {
    parts.push(`${reward.attempts} attempt${reward.attempts === 1 ? "" : "s"}`)
  }
  return parts.join(", ")
}

/** `POST /purchases 404, POST /users 201, POST /purchases 201` */
export function summarizeRequests(requests: SandboxRequest[]): string {
  return requests.map((r) => `${r.method} ${r.path} ${r.status}`).join(", ") || "none"
}
