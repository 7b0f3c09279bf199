import type { IdentityProofRecord } from "../../modules/woowup/identity-proofs"
import { isIdentityProven, pickIdentity, type WoowupIdentity } from "../../modules/woowup/rules"
import { customerAsRewardOrder, type StoreCustomer } from "../../modules/woowup/rules/store-points"
import type WoowupModuleService from "../../modules/woowup/service"

/** The event a new proof emits: the customer sync may now update what WoowUp has of them. */
export const WOOWUP_IDENTITY_PROVEN = "woowup.identity_proven"

export type CustomerIdentityProof = {
  /** The customer's identity as the plugin reads it now (null: none). */
  identity: WoowupIdentity | null
  /** That identity is proven theirs. */
  verified: boolean
  proof: IdentityProofRecord | null
}

/** The customer's identity now, and whether the store has proven that very value is theirs. */
export async function customerIdentityProof(
  woowup: WoowupModuleService,
  customer: StoreCustomer
): Promise<CustomerIdentityProof> {
  const options = await woowup.getOptions()
  const identity = pickIdentity(customerAsRewardOrder(customer), options)
  const proof = await woowup.retrieveIdentityProof(customer.id)
  return { identity, verified: isIdentityProven(customer.id, identity, proof), proof }
}

/** What an admin sees of a customer's proof: never the code or its hash. */
export type AdminWoowupIdentityProof = {
  customer_id: string
  /** The customer's identity now is the one proven. */
  verified: boolean
  identifier: string
  identity: string | null
  proof: {
    identifier: string | null
    identity: string | null
    method: string | null
    proven_by: string | null
    proven_at: string | Date | null
    revoked_by: string | null
    revoked_at: string | Date | null
  } | null
}

export function toAdminIdentityProof(
  customerId: string,
  identifier: string,
  state: Pick<CustomerIdentityProof, "identity" | "verified">,
  proof: IdentityProofRecord | null
): AdminWoowupIdentityProof {
  return {
    customer_id: customerId,
    verified: state.verified,
    identifier,
    identity: state.identity?.value ?? null,
    proof: proof
      ? {
          identifier: proof.identifier,
          identity: proof.identity,
          method: proof.method,
          proven_by: proof.proven_by,
          proven_at: proof.proven_at,
          revoked_by: proof.revoked_by,
          revoked_at: proof.revoked_at,
        }
      : null,
  }
}
