/**
 * How long a claim on a record lives without its owner, and so how long one WoowUp request may take. One place, as
 * the options' bound on `timeoutMs` and the claims' SQL must agree.
 */

/** A claim older than this without a heartbeat belongs to a process that died: it may be taken again. */
export const CLAIM_STALE_MS = 60_000
/** How often the owner of a claim proves it is alive: well within {@link CLAIM_STALE_MS}. */
export const CLAIM_HEARTBEAT_MS = 15_000
/**
 * The longest `timeoutMs`. A points call leaves only on a claim proven fresh at that moment, so no other run can
 * take the claim over before {@link CLAIM_STALE_MS} has passed; the request must have ended (answered, or given
 * up) by then, with room for the database write that proved the claim.
 */
export const MAX_TIMEOUT_MS = CLAIM_STALE_MS - 10_000
