import { createHash } from "node:crypto"
import { MedusaError } from "@medusajs/framework/utils"

/**
 * Which WoowUp account a record was written for: the first 16 hex characters of the SHA-256 of the API URL and
 * key. Never the key: 64 bits of a hash of a secret tell nothing about it, and are enough to tell two accounts
 * apart. A database copied from staging to production, or a store that tried the plugin on the sandbox, keeps
 * records of another account: they do not count as synced for this one.
 */
export function accountFingerprint(apiUrl: string, apiKey: string): string {
  const url = new URL(apiUrl)
  // The same account however its URL is spelled: no trailing slash, no query.
  const normalized = `${url.origin}${url.pathname.replace(/\/+$/, "")}`
  return createHash("sha256").update(`${normalized}\n${apiKey}`).digest("hex").slice(0, 16)
}

/**
 * SQL: the row of `alias` belongs to this account. Records from before fingerprints existed (NULL) are taken as
 * this account's, so that an upgrade does not resend every order. `fingerprint` is hex (see
 * {@link accountFingerprint}), so it is safe inline.
 */
export function thisAccountSql(alias: string, fingerprint: string): string {
  if (!/^[0-9a-f]{16}$/.test(fingerprint)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "woowup: an account fingerprint is 16 hex characters")
  }
  return `(${alias}.account IS NULL OR ${alias}.account = '${fingerprint}')`
}

/** SQL: the row of `alias` was written for another WoowUp account (`<`/`>` rather than `<>`: on the index). */
export function otherAccountSql(alias: string, fingerprint: string): string {
  thisAccountSql(alias, fingerprint)
  return `(${alias}.account < '${fingerprint}' OR ${alias}.account > '${fingerprint}')`
}
