/**
 * A customer's points movements in their words: what the storefront shows of WoowUp's transactions.
 *
 * WoowUp keeps a `concept` and a free `description` per movement. The plugin's own adjustments carry a mark,
 * `[order_…:token]`, so that a lost answer can be looked for (`settle-woowup-points.ts`); it is ours, not the
 * customer's: the storefront gets the movement's kind and order instead, and the description without the mark.
 */

import type { MovementKind, StoreWoowupTransaction } from "../../../api/store/woowup/types"

// The storefront's types live with the store routes' types, which a storefront imports without Medusa installed.
export type { MovementKind, StoreWoowupTransaction }

export const MOVEMENT_KINDS = ["earned", "taken_back", "spent", "adjusted"] as const satisfies readonly MovementKind[]

/** The unique mark an adjustment carries in its WoowUp description, to find it among the customer's transactions. */
export function adjustmentMark(orderId: string, token: string): string {
  return `[${orderId}:${token}]`
}

// The token is `<cause>-<n>` (service.ts); the order id is Medusa's `order_<ulid>`.
const MARK = /\[(order_[0-9A-Za-z]+):(capture|refund|cancel|redeem|redeem_return)-\d+\]\s*/
const MARK_KINDS: Record<string, MovementKind> = {
  capture: "earned",
  refund: "taken_back",
  cancel: "taken_back",
  // Points spent at checkout (docs/redeem-points.md), and given back when the order is refunded or canceled.
  redeem: "spent",
  redeem_return: "adjusted",
}
// What follows the mark in the plugin's descriptions: "Medusa <invoice number>: ".
const MEDUSA_PREFIX = /^Medusa\s+\S+:\s*/
const ORDER_ID = /^order_[0-9A-Za-z]+$/

export type WoowupTransactionLike = {
  id?: string | null
  points: number
  concept?: string | null
  description?: string | null
  createtime?: string | null
}

/**
 * What the movement is, and the order it belongs to: the plugin's mark says both; a purchase's transaction
 * carries its invoice number (`invoicePrefix` + the order id) as its description (the sandbox's assumption, as
 * WoowUp does not document it).
 */
export function toStoreMovement(tx: WoowupTransactionLike, options: { invoicePrefix?: string } = {}): StoreWoowupTransaction {
  const description = tx.description ?? null
  const mark = description ? MARK.exec(description) : null
  let kind: MovementKind
  let orderId: string | null = null
  let shown = description
  if (mark) {
    orderId = mark[1]
    kind = MARK_KINDS[mark[2]]
    shown = capitalize(description!.replace(MARK, "").replace(MEDUSA_PREFIX, "").trim())
  } else {
    orderId = orderOfInvoice(description, options.invoicePrefix ?? "")
    kind = tx.points < 0 ? "spent" : tx.concept === "purchase" ? "earned" : "adjusted"
  }
  return { id: tx.id ?? null, kind, points: tx.points, order_id: orderId, description: shown || null, created_at: woowupTimeToIso(tx.createtime) }
}

function orderOfInvoice(description: string | null, prefix: string): string | null {
  if (!description) {
    return null
  }
  const rest = prefix && description.startsWith(prefix) ? description.slice(prefix.length) : description
  return ORDER_ID.test(rest) ? rest : null
}

function capitalize(text: string): string {
  return text ? text[0].toUpperCase() + text.slice(1) : text
}

const WOOWUP_TIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/

/** WoowUp's `YYYY-MM-DD HH:mm:ss` (UTC) as ISO 8601; other forms as given. */
export function woowupTimeToIso(value: string | null | undefined): string | null {
  if (!value) {
    return null
  }
  const m = WOOWUP_TIME.exec(value.trim())
  return m ? `${m[1]}T${m[2]}Z` : value
}
