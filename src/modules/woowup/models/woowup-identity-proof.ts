import { model } from "@medusajs/framework/utils"

export const IDENTITY_PROOF_METHODS = ["admin", "email_code"] as const
export type IdentityProofMethod = (typeof IDENTITY_PROOF_METHODS)[number]

/**
 * One row per customer: the WoowUp identity the store has proven is theirs (which field, which value, how, by whom,
 * when), and the verification code in flight, if any. A proof is bound to its value: when the customer's identity
 * changes (a new phone, another metadata value) it no longer applies. Undoing a proof empties it and keeps who
 * undid it.
 */
const WoowupIdentityProof = model
  .define("woowup_identity_proof", {
    id: model.id({ prefix: "wuidp" }).primaryKey(),
    customer_id: model.text().unique(),
    /** The identity field proven (email, telephone, document, service_uid) and its value, as the plugin reads it. */
    identifier: model.text().nullable(),
    identity: model.text().nullable(),
    method: model.enum([...IDENTITY_PROOF_METHODS]).nullable(),
    /** The admin user (method `admin`) or the customer (a code they received) who proved it. */
    proven_by: model.text().nullable(),
    proven_at: model.dateTime().nullable(),
    /** The admin user who last undid a proof, and when. */
    revoked_by: model.text().nullable(),
    revoked_at: model.dateTime().nullable(),
    /** SHA-256 of the code sent (bound to the customer and the email it went to): the code itself is never kept. */
    code_hash: model.text().nullable(),
    /** The email the pending code was sent to: confirming it proves this value, if the account still has it. */
    code_identity: model.text().nullable(),
    code_expires_at: model.dateTime().nullable(),
    /** Wrong and right guesses at the pending code. */
    code_attempts: model.number().default(0),
    code_sent_at: model.dateTime().nullable(),
    /** Codes sent since `codes_window_at` (a rolling hour), for the limit on codes per hour. */
    codes_sent: model.number().default(0),
    codes_window_at: model.dateTime().nullable(),
  })

export default WoowupIdentityProof
