import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import type { InferTypeOf } from "@medusajs/framework/types"
import { generateEntityId } from "@medusajs/framework/utils"
import type WoowupIdentityProof from "./models/woowup-identity-proof"
import type { IdentityProofMethod } from "./models/woowup-identity-proof"
import { VERIFICATION_CODE } from "./rules/identity-proof"

export type IdentityProofRecord = InferTypeOf<typeof WoowupIdentityProof>

/**
 * The statements behind proven identities (see models/woowup-identity-proof.ts). Each is one atomic statement, so
 * concurrent requests cannot send more codes, or make more guesses, than the limits allow.
 */

const UPSERT = `INSERT INTO woowup_identity_proof AS p (id, customer_id, created_at, updated_at)
  VALUES (?, ?, now(), now())
  ON CONFLICT (customer_id) WHERE deleted_at IS NULL DO UPDATE SET updated_at = now()`

async function ensureRow(manager: SqlEntityManager, customerId: string): Promise<void> {
  await manager.execute(UPSERT, [generateEntityId(undefined, "wuidp"), customerId])
}

export async function findIdentityProof(manager: SqlEntityManager, customerId: string): Promise<IdentityProofRecord | null> {
  const rows = await manager.execute(
    `SELECT * FROM woowup_identity_proof WHERE customer_id = ? AND deleted_at IS NULL`,
    [customerId]
  )
  return (rows[0] as IdentityProofRecord | undefined) ?? null
}

/** Records that `identity` is the customer's: what was proven, how, by whom, now. A pending code is dropped. */
export async function proveIdentity(
  manager: SqlEntityManager,
  input: { customer_id: string; identifier: string; identity: string; method: IdentityProofMethod; proven_by: string }
): Promise<IdentityProofRecord> {
  await ensureRow(manager, input.customer_id)
  const [row] = await manager.execute(
    `UPDATE woowup_identity_proof SET identifier = ?, identity = ?, method = ?, proven_by = ?, proven_at = now(),
       code_hash = NULL, code_identity = NULL, code_expires_at = NULL, code_attempts = 0, updated_at = now()
     WHERE customer_id = ? AND deleted_at IS NULL RETURNING *`,
    [input.identifier, input.identity, input.method, input.proven_by, input.customer_id]
  )
  return row as IdentityProofRecord
}

/** Undoes the customer's proof (nothing to undo is fine), keeping who undid it and when. */
export async function revokeIdentityProof(
  manager: SqlEntityManager,
  input: { customer_id: string; revoked_by: string }
): Promise<IdentityProofRecord> {
  await ensureRow(manager, input.customer_id)
  const [row] = await manager.execute(
    `UPDATE woowup_identity_proof SET identifier = NULL, identity = NULL, method = NULL, proven_by = NULL,
       proven_at = NULL, revoked_by = ?, revoked_at = now(), code_hash = NULL, code_identity = NULL,
       code_expires_at = NULL, code_attempts = 0, updated_at = now()
     WHERE customer_id = ? AND deleted_at IS NULL RETURNING *`,
    [input.revoked_by, input.customer_id]
  )
  return row as IdentityProofRecord
}

/**
 * Stores a new code's hash for `email`, replacing any pending one, unless the customer was sent one less than
 * `resendSeconds` ago or `maxPerHour` in the last hour: then null, and the time a code may be sent again.
 */
export async function startVerification(
  manager: SqlEntityManager,
  input: { customer_id: string; email: string; code_hash: string }
): Promise<{ record: IdentityProofRecord } | { record: null; retry_at: Date }> {
  await ensureRow(manager, input.customer_id)
  const windowOpen = `p.codes_window_at > now() - interval '1 hour'`
  const rows = await manager.execute(
    `UPDATE woowup_identity_proof p SET code_hash = ?, code_identity = ?,
       code_expires_at = now() + make_interval(mins => ?), code_attempts = 0, code_sent_at = now(),
       codes_sent = CASE WHEN ${windowOpen} THEN p.codes_sent + 1 ELSE 1 END,
       codes_window_at = CASE WHEN ${windowOpen} THEN p.codes_window_at ELSE now() END, updated_at = now()
     WHERE p.customer_id = ? AND p.deleted_at IS NULL
       AND (p.code_sent_at IS NULL OR p.code_sent_at <= now() - make_interval(secs => ?))
       AND NOT (${windowOpen} AND p.codes_sent >= ?)
     RETURNING *`,
    [
      input.code_hash,
      input.email,
      VERIFICATION_CODE.ttlMinutes,
      input.customer_id,
      VERIFICATION_CODE.resendSeconds,
      VERIFICATION_CODE.maxPerHour,
    ]
  )
  if (rows[0]) {
    return { record: rows[0] as IdentityProofRecord }
  }
  const [row] = await manager.execute(
    `SELECT GREATEST(
       p.code_sent_at + make_interval(secs => ?),
       CASE WHEN ${windowOpen} AND p.codes_sent >= ? THEN p.codes_window_at + interval '1 hour' END
     ) AS retry_at
     FROM woowup_identity_proof p WHERE p.customer_id = ? AND p.deleted_at IS NULL`,
    [VERIFICATION_CODE.resendSeconds, VERIFICATION_CODE.maxPerHour, input.customer_id]
  )
  return { record: null, retry_at: new Date(row?.retry_at ?? Date.now()) }
}

/** Drops a code that could not be sent: it can never be confirmed. It still counts toward the limits. */
export async function dropVerificationCode(manager: SqlEntityManager, customerId: string, codeHash: string): Promise<void> {
  await manager.execute(
    `UPDATE woowup_identity_proof SET code_hash = NULL, code_identity = NULL, code_expires_at = NULL, updated_at = now()
     WHERE customer_id = ? AND code_hash = ? AND deleted_at IS NULL`,
    [customerId, codeHash]
  )
}

export type VerificationAttempt =
  /** This guess may be checked against `code_hash` (it was counted). */
  | { status: "pending"; code_hash: string; code_identity: string }
  | { status: "no_code" | "expired" | "too_many_attempts" }

/** Counts one guess at the pending code, atomically, if it is live and has guesses left. */
export async function takeVerificationAttempt(manager: SqlEntityManager, customerId: string): Promise<VerificationAttempt> {
  const rows = await manager.execute(
    `UPDATE woowup_identity_proof SET code_attempts = code_attempts + 1, updated_at = now()
     WHERE customer_id = ? AND deleted_at IS NULL AND code_hash IS NOT NULL AND code_expires_at > now()
       AND code_attempts < ?
     RETURNING code_hash, code_identity`,
    [customerId, VERIFICATION_CODE.maxAttempts]
  )
  if (rows[0]) {
    return { status: "pending", code_hash: rows[0].code_hash, code_identity: rows[0].code_identity }
  }
  const proof = await findIdentityProof(manager, customerId)
  if (!proof?.code_hash) {
    return { status: "no_code" }
  }
  return new Date(proof.code_expires_at!).getTime() <= Date.now() ? { status: "expired" } : { status: "too_many_attempts" }
}

/** The right code: proves its email, once (a second confirmation of the same code finds it gone). */
export async function confirmVerification(
  manager: SqlEntityManager,
  input: { customer_id: string; code_hash: string }
): Promise<IdentityProofRecord | null> {
  const rows = await manager.execute(
    `UPDATE woowup_identity_proof SET identifier = 'email', identity = code_identity, method = 'email_code',
       proven_by = customer_id, proven_at = now(), code_hash = NULL, code_identity = NULL, code_expires_at = NULL,
       code_attempts = 0, updated_at = now()
     WHERE customer_id = ? AND code_hash = ? AND deleted_at IS NULL RETURNING *`,
    [input.customer_id, input.code_hash]
  )
  return (rows[0] as IdentityProofRecord | undefined) ?? null
}
