import { WOOWUP_IDENTIFIERS, type WoowupIdentifier, type WoowupOptions } from "../options"
import { toAlpha3 } from "./country"
import type { RewardOrder } from "./order-fields"

/** The WoowUp identity an order is recorded under: one identity field and its value. */
export type WoowupIdentity = {
  field: WoowupIdentifier
  value: string
}

/** `{ [field]: value }`, to spread into a WoowUp request body or query string. */
export type WoowupIdentityFields = Partial<Record<WoowupIdentifier, string>>

export type IdentityOptions = Pick<WoowupOptions, "identifier" | "identifierMetadataKey" | "marketingConsentMetadataKey">

/** Longest value kept for free-text customer fields (names, city, street...). */
export const MAX_CUSTOMER_TEXT = 100

const EMAIL = /^[^\s@]+@[^\s@]+$/

/** A trimmed, non-empty string from a string or a finite number; null otherwise. */
export function text(value: unknown): string | null {
  if (typeof value === "number" && Number.isFinite(value)) {
    return String(value)
  }
  if (typeof value !== "string") {
    return null
  }
  const trimmed = value.trim()
  return trimmed ? trimmed : null
}

/** Normalized email (trimmed, lowercased), or null when it does not look like one. */
export function normalizeEmail(value: unknown): string | null {
  const email = text(value)?.toLowerCase() ?? null
  return email && EMAIL.test(email) ? email : null
}

/** A phone number kept as written (trimmed), or null when it has no digit. */
export function normalizePhone(value: unknown): string | null {
  const phone = text(value)
  return phone && /\d/.test(phone) ? phone : null
}

function metadataValue(order: RewardOrder, key: string | undefined): string | null {
  if (!key) {
    return null
  }
  return text(order.customer?.metadata?.[key])
}

/**
 * The WoowUp identity of an order, following the `identifier` option:
 * - `email`: the order's email (else the customer's), trimmed and lowercased. Guests have only the order email.
 * - `document`: `customer.metadata[identifierMetadataKey]`; without that key (or value) there is none.
 * - `telephone`: the metadata value when `identifierMetadataKey` is set and present, else the customer's phone,
 *   else the shipping address's phone.
 * - `service_uid`: the metadata value when set and present, else the Medusa customer id (guests have none).
 * Returns null when the order has no usable identity (the caller skips it with reason `no_identity`).
 */
export function pickIdentity(order: RewardOrder, options: IdentityOptions): WoowupIdentity | null {
  const field = options.identifier ?? "email"
  let value: string | null = null
  switch (field) {
    case "email":
      value = normalizeEmail(order.email) ?? normalizeEmail(order.customer?.email)
      break
    case "document":
      value = metadataValue(order, options.identifierMetadataKey)
      break
    case "telephone":
      value =
        normalizePhone(metadataValue(order, options.identifierMetadataKey)) ??
        normalizePhone(order.customer?.phone) ??
        normalizePhone(order.shipping_address?.phone)
      break
    case "service_uid":
      value = metadataValue(order, options.identifierMetadataKey) ?? text(order.customer?.id)
      break
  }
  return value ? { field, value } : null
}

export function identityFields(identity: WoowupIdentity): WoowupIdentityFields {
  return { [identity.field]: identity.value }
}

/** Cuts a string to `max` characters without splitting a character made of two UTF-16 units. */
export function truncate(value: string, max: number): string {
  if (value.length <= max) {
    return value
  }
  return Array.from(value).slice(0, max).join("")
}

function field(value: unknown, max = MAX_CUSTOMER_TEXT): string | undefined {
  const t = text(value)
  return t ? truncate(t, max) : undefined
}

/** The `POST /users` body. */
export type WoowupCustomer = WoowupIdentityFields & {
  first_name?: string
  last_name?: string
  telephone?: string
  city?: string
  state?: string
  street?: string
  /** ISO 3166-1 alpha-3 */
  country?: string
  /** The customer's marketing consent, when the store keeps it (`marketingConsentMetadataKey`). */
  mailing_enabled?: boolean
}

const CONSENT_YES = new Set(["true", "yes", "y", "1", "on", "opt_in", "opted_in", "subscribed"])
const CONSENT_NO = new Set(["false", "no", "n", "0", "off", "opt_out", "opted_out", "unsubscribed"])

/**
 * A marketing consent as a store may keep it in metadata: a boolean, 1/0, or words such as "yes"/"no",
 * "true"/"false", "subscribed"/"unsubscribed" (any case). Null when absent or not recognised: then WoowUp's value
 * is left as it is.
 */
export function marketingConsent(value: unknown): boolean | null {
  if (typeof value === "boolean") {
    return value
  }
  if (value === 1 || value === 0) {
    return value === 1
  }
  const word = typeof value === "string" ? value.trim().toLowerCase() : null
  if (word && CONSENT_YES.has(word)) {
    return true
  }
  if (word && CONSENT_NO.has(word)) {
    return false
  }
  return null
}

/**
 * The `POST /users` body for an order's customer: the identity field, first and last name (the customer's, each
 * falling back to the shipping address's), telephone (customer, else shipping address; the identity wins when
 * it is the telephone), city, state (province), street (address line 1) and country (alpha-3) from the shipping
 * address, and `mailing_enabled` from `customer.metadata[marketingConsentMetadataKey]` when that option is set and
 * the value is recognised ({@link marketingConsent}). Empty values are left out; free text is cut to
 * {@link MAX_CUSTOMER_TEXT} characters.
 * Only the chosen identity field is sent as identity: sending a second one (e.g. the email when matching on
 * document) could make WoowUp refuse the creation when that value belongs to another customer.
 */
export function toWoowupCustomer(
  order: RewardOrder,
  identity: WoowupIdentity,
  options: Pick<IdentityOptions, "marketingConsentMetadataKey"> = {}
): WoowupCustomer {
  const customer = order.customer ?? null
  const address = order.shipping_address ?? null
  const body: WoowupCustomer = {
    ...identityFields(identity),
    first_name: field(customer?.first_name) ?? field(address?.first_name),
    last_name: field(customer?.last_name) ?? field(address?.last_name),
    telephone:
      identity.field === "telephone"
        ? identity.value
        : field(normalizePhone(customer?.phone) ?? normalizePhone(address?.phone), 40),
    city: field(address?.city),
    state: field(address?.province),
    street: field(address?.address_1, 200),
    country: toAlpha3(address?.country_code) ?? undefined,
    mailing_enabled: options.marketingConsentMetadataKey
      ? (marketingConsent(customer?.metadata?.[options.marketingConsentMetadataKey]) ?? undefined)
      : undefined,
  }
  for (const key of Object.keys(body) as Array<keyof WoowupCustomer>) {
    if (body[key] === undefined) {
      delete body[key]
    }
  }
  return body
}

/**
 * The identifiers of a `POST /users` body other than the configured identity (e.g. the telephone when matching on
 * email). WoowUp matches customers on any identifier, so each of these may belong to someone else and make the
 * creation fail with "usuario existente".
 */
export function secondaryIdentifiers(body: WoowupCustomer, identity: WoowupIdentity): WoowupIdentifier[] {
  return WOOWUP_IDENTIFIERS.filter((key) => key !== identity.field && body[key] !== undefined)
}

/**
 * The `POST /users` body with only the configured identity as identifier: names and address kept, the
 * secondary identifiers (see {@link secondaryIdentifiers}) left out. For a retry after a conflict on one of them.
 */
export function withoutSecondaryIdentifiers(body: WoowupCustomer, identity: WoowupIdentity): WoowupCustomer {
  const rest: WoowupCustomer = { ...body }
  for (const key of secondaryIdentifiers(body, identity)) {
    delete rest[key]
  }
  return rest
}
