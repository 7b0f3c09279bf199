import { WOOWUP_IDENTIFIERS, type WoowupIdentifier } from "../options"
import type { WoowupIdentity } from "./identity"
import type { RewardSend } from "./reward-decision"

/**
 * What an order's purchase was first sent to WoowUp under. From the first send on, WoowUp may hold the purchase
 * (an answer can be lost after WoowUp stored it), so the identity and the invoice number stay these: retries send
 * them again (WoowUp then answers "duplicate" instead of storing a second purchase), and every later points
 * adjustment goes to this customer. Moving a purchase to another customer is an admin's decision, never a side
 * effect of an edited email or a changed `invoicePrefix`.
 */
export type SentPurchase = { identity: WoowupIdentity; invoice_number: string }

/** The record's statuses in which a send was attempted (`pending`, `failed`) or answered (`synced`). */
export const SENT_STATUSES = ["pending", "failed", "synced"] as const

type RecordFields = {
  status: string
  identifier: string | null
  identity: string | null
  invoice_number: string | null
}

/** What the record says the purchase was sent under, or null when no send was attempted (none, or skipped). */
export function sentPurchase(record: RecordFields | null | undefined): SentPurchase | null {
  if (!record || !(SENT_STATUSES as readonly string[]).includes(record.status)) {
    return null
  }
  const field = record.identifier as WoowupIdentifier
  if (!WOOWUP_IDENTIFIERS.includes(field) || !record.identity || !record.invoice_number) {
    return null
  }
  return { identity: { field, value: record.identity }, invoice_number: record.invoice_number }
}

/**
 * The order's own identity when it is not the one its purchase was sent under (e.g. an admin corrected the order's
 * email after the first send), for the record and the admin to say so; null when they agree, when nothing was sent,
 * or when the order has no identity now (its customer was deleted: the purchase's owner is all there is).
 */
export function identityChange(sent: SentPurchase | null, current: WoowupIdentity | null): WoowupIdentity | null {
  if (!sent || !current) {
    return null
  }
  return sent.identity.field === current.field && sent.identity.value === current.value ? null : current
}

/**
 * The plan with the identity and invoice number the purchase was first sent under, when the claimed record says
 * so and they are not the plan's (another run sent first while this one planned): a retry must repeat the first
 * send exactly, or WoowUp could store a second purchase, or store it under someone else.
 */
export function sendAs(plan: RewardSend, sent: SentPurchase | null): RewardSend {
  if (
    !sent ||
    (sent.invoice_number === plan.invoice_number &&
      sent.identity.field === plan.identity.field &&
      sent.identity.value === plan.identity.value)
  ) {
    return plan
  }
  const purchase = { ...plan.purchase, invoice_number: sent.invoice_number }
  const customer = { ...plan.customer }
  for (const key of WOOWUP_IDENTIFIERS) {
    delete purchase[key]
  }
  delete customer[plan.identity.field]
  return {
    ...plan,
    identity: sent.identity,
    invoice_number: sent.invoice_number,
    purchase: { ...purchase, [sent.identity.field]: sent.identity.value },
    customer: { ...customer, [sent.identity.field]: sent.identity.value },
  }
}
