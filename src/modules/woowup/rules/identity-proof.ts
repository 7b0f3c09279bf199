import { createHash, timingSafeEqual } from "node:crypto"
import type { WoowupIdentity } from "./identity"

/** What a proof says: the identity field and value the store proved are the customer's (null: none, or undone). */
export type ProvenIdentity = { identifier: string | null; identity: string | null }

/**
 * Whether `identity` (the customer's as the plugin reads it now) is proven theirs:
 * - the store proved that very field and value (an admin, or a code sent to that email), so a changed phone,
 *   metadata value or email no longer counts;
 * - or it is the Medusa customer id itself (`service_uid` without a metadata value): the store's own, no one else's.
 */
export function isIdentityProven(
  customerId: string,
  identity: WoowupIdentity | null,
  proof: ProvenIdentity | null | undefined
): boolean {
  if (!identity) {
    return false
  }
  if (identity.field === "service_uid" && identity.value === customerId) {
    return true
  }
  return !!proof && proof.identifier === identity.field && proof.identity === identity.value
}

/** Verification codes: how long one lasts, how many guesses it takes, how often one may be sent. */
export const VERIFICATION_CODE = {
  digits: 6,
  ttlMinutes: 15,
  maxAttempts: 5,
  /** Seconds between two codes for one customer. */
  resendSeconds: 60,
  /** Codes per customer in a rolling hour. */
  maxPerHour: 5,
} as const

/** `code` may be given with spaces or dashes ("123 456"); null when it is not six digits then. */
export function normalizeVerificationCode(code: string): string | null {
  const digits = code.replace(/[\s-]/g, "")
  return new RegExp(`^\\d{${VERIFICATION_CODE.digits}}$`).test(digits) ? digits : null
}

/**
 * The hash kept of a code: bound to the customer and the email it was sent to, so it proves only that email of
 * that account. Six digits are few: the attempt limit and the expiry are what protect them, not the hash.
 */
export function verificationCodeHash(customerId: string, email: string, code: string): string {
  return createHash("sha256").update(`${customerId}\n${email}\n${code}`).digest("hex")
}

/** Constant-time comparison of two hex hashes. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex")
  const y = Buffer.from(b, "hex")
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y)
}
