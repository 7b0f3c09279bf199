import { bodyHash } from "./body-hash"
import type { IdentityOptions, WoowupCustomer, WoowupIdentity } from "./identity"
import { pickIdentity, toWoowupCustomer } from "./identity"
import { customerAsRewardOrder, type StoreCustomer } from "./store-points"

/** What the customer sync loads of a customer (`query.graph({ entity: "customer" })`). */
export const CUSTOMER_SYNC_FIELDS = [
  "id",
  "email",
  "first_name",
  "last_name",
  "phone",
  "has_account",
  "metadata",
  "addresses.first_name",
  "addresses.last_name",
  "addresses.phone",
  "addresses.city",
  "addresses.province",
  "addresses.address_1",
  "addresses.country_code",
  "addresses.is_default_shipping",
  "addresses.created_at",
]

export type SyncCustomer = StoreCustomer & {
  has_account?: boolean | null
  addresses?: Array<(NonNullable<NonNullable<StoreCustomer["addresses"]>[number]> & { created_at?: string | Date | null }) | null> | null
}

export type CustomerSyncSkipReason =
  /** Not in Medusa any more (or never was): what WoowUp has of them is left there. */
  | "customer_deleted"
  /** A guest (no account): synced by their first captured order, like every guest. */
  | "guest"
  /** No value for the configured identity (e.g. `document` without the metadata value). */
  | "no_identity"
  /**
   * The account's identity is not proven theirs, and WoowUp already has a customer under it (or the identity is a
   * phone, document or metadata value): their WoowUp profile is left as it is until the store proves it.
   */
  | typeof IDENTITY_NOT_PROVEN

export const IDENTITY_NOT_PROVEN = "identity_not_proven"

export type CustomerSyncPlan =
  | { action: "send"; identity: WoowupIdentity; body: WoowupCustomer; body_hash: string }
  | { action: "skip"; reason: CustomerSyncSkipReason }

/**
 * What to send WoowUp for a customer, with the award path's own rules: the identity their orders are recorded
 * under (`pickIdentity`) and the `POST /users` body of their orders (`toWoowupCustomer`: names, phone, the default
 * shipping address, else the first one, for city, state, street and country, and `mailing_enabled` when the store
 * keeps consent), plus a hash of that body: the same data costs no second call.
 */
export function planCustomerSync(
  customer: SyncCustomer | null | undefined,
  options: IdentityOptions
): CustomerSyncPlan {
  if (!customer) {
    return { action: "skip", reason: "customer_deleted" }
  }
  if (!customer.has_account) {
    return { action: "skip", reason: "guest" }
  }
  const addresses = [...(customer.addresses ?? [])]
    .filter((a) => !!a)
    .sort((a, b) => time(a!.created_at) - time(b!.created_at))
  const order = customerAsRewardOrder({ ...customer, addresses })
  const identity = pickIdentity(order, options)
  if (!identity) {
    return { action: "skip", reason: "no_identity" }
  }
  const body = toWoowupCustomer(order, identity, options)
  return { action: "send", identity, body, body_hash: customerBodyHash(body) }
}

/** SHA-256 of the body with its keys in order: equal data, equal hash, whatever the order of the fields. */
export function customerBodyHash(body: WoowupCustomer): string {
  // A customer body is flat: the same text as the top-level sort this hash was first written with, so the hashes
  // already stored stay valid.
  return bodyHash(body)
}

function time(value: string | Date | null | undefined): number {
  const t = value ? new Date(value).getTime() : NaN
  return Number.isFinite(t) ? t : Number.MAX_SAFE_INTEGER
}

/**
 * What the sync may do for an account whose identity is not proven theirs (README, "Proven identities"):
 * - `proceed`: it is proven; create or update as usual.
 * - `create_only`: an email no one proved: create the customer if WoowUp does not know that email, and never
 *   update one it knows (a stranger may have signed up with a guest buyer's email), not even one this sync created.
 * - `skip`: a phone, document or metadata value the customer typed themselves (anyone's), or an email with
 *   `createCustomers` off, or one WoowUp already had from this account: no call at all.
 */
export function unprovenSync(
  identity: WoowupIdentity,
  state: { proven: boolean; known: boolean; createCustomers: boolean }
): "proceed" | "create_only" | "skip" {
  if (state.proven) {
    return "proceed"
  }
  if (identity.field !== "email" || state.known || !state.createCustomers) {
    return "skip"
  }
  return "create_only"
}
