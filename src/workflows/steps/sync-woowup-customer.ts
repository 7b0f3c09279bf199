import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import { isWoowupError } from "../../modules/woowup/client"
import type { CustomerSyncTrigger } from "../../modules/woowup/models/woowup-customer-sync"
import {
  CUSTOMER_SYNC_FIELDS,
  customerBodyHash,
  IDENTITY_NOT_PROVEN,
  isIdentityProven,
  planCustomerSync,
  unprovenSync,
  withoutSecondaryIdentifiers,
  type SyncCustomer,
} from "../../modules/woowup/rules"
import type WoowupModuleService from "../../modules/woowup/service"
import type { CustomerSyncClaim, CustomerSyncOutcome, CustomerSyncRecord } from "../../modules/woowup/service"
import { keepClaimAlive } from "../utils/keep-claim-alive"
import { createWoowupCustomer, upsertWoowupCustomer } from "../utils/woowup-customer"

export type SyncWoowupCustomerStepInput = {
  customer_id: string
  trigger: CustomerSyncTrigger
  /** An admin's resync of named customers: also a failure judged permanent, or one not due yet. */
  force?: boolean
}

/**
 * What the run did: `sent` the customer to WoowUp; found WoowUp `already_synced` with their data (no call);
 * `skipped` them (a guest, no identity, deleted: the record says why); `failed` (the record says why and when it
 * is tried again); or found another run `busy` with them (it syncs what changed), or a failure waiting for its next
 * attempt (the job syncs what changed then).
 */
export type CustomerSyncRunOutcome = "sent" | "already_synced" | "skipped" | "failed" | "busy"

export type SyncWoowupCustomerStepOutput = { outcome: CustomerSyncRunOutcome; sync: CustomerSyncRecord | null }

/** Rounds of one run: the first, and one more for each change that landed while the previous one was sending. */
const MAX_ROUNDS = 3

export const syncWoowupCustomerStepId = "sync-woowup-customer"
/**
 * This step brings the customer WoowUp has to the customer as Medusa has them now, once: it claims the customer's
 * sync record (one sync at a time per customer, across processes), then loads the customer (so a burst of changes
 * is sent as one), and sends them only when the data differs from what WoowUp last accepted. A change that lands
 * while the call runs marks the record, and this run syncs once more. A WoowUp failure is an outcome on the
 * record, retried by the reconcile job, not an error. Until the customer's identity is proven theirs, it may only
 * create a customer WoowUp does not know, under an email, and never updates one (see `unprovenSync`).
 */
export const syncWoowupCustomerStep = createStep(
  syncWoowupCustomerStepId,
  async (input: SyncWoowupCustomerStepInput, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    let output: SyncWoowupCustomerStepOutput = { outcome: "busy", sync: null }
    let sent = false
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const claim = await claimOrMarkDirty(woowup, input)
      if (!claim) {
        break
      }
      let result: { sync: CustomerSyncRecord; sent: boolean }
      try {
        result = await syncClaimed(container, woowup, claim)
      } catch (e) {
        await woowup.releaseCustomerSyncClaim(claim)
        throw e
      }
      sent ||= result.sent
      output = { outcome: outcomeOf(result.sync, sent), sync: result.sync }
      if (!result.sync.dirty || result.sync.status !== "synced") {
        break
      }
    }
    return new StepResponse(output)
  }
)

/**
 * The claim, or null when a live sync holds the customer (or a failure waits for its next attempt): then that one
 * is told the customer changed. A claim released between the two statements is tried again.
 */
async function claimOrMarkDirty(
  woowup: WoowupModuleService,
  input: SyncWoowupCustomerStepInput
): Promise<CustomerSyncRecord | null> {
  for (let i = 0; i < 3; i++) {
    const claim = await woowup.claimCustomerSync(input)
    if (claim) {
      return claim
    }
    if (await woowup.markCustomerSyncDirty(input.customer_id)) {
      return null
    }
  }
  return null
}

async function syncClaimed(
  container: MedusaContainer,
  woowup: WoowupModuleService,
  claim: CustomerSyncRecord
): Promise<{ sync: CustomerSyncRecord; sent: boolean }> {
  const options = await woowup.getOptions()
  const token: CustomerSyncClaim = { id: claim.id, attempts: claim.attempts, failed_attempts: claim.failed_attempts }
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "customer",
    fields: CUSTOMER_SYNC_FIELDS,
    filters: { id: claim.customer_id },
  })
  const plan = planCustomerSync(data[0] as SyncCustomer | undefined, options)
  if (plan.action === "skip") {
    return { sync: await woowup.recordCustomerSyncOutcome(token, { status: "skipped", reason: plan.reason }), sent: false }
  }
  // What another WoowUp account accepted (a copied database, tries on the sandbox) says nothing of this one.
  const known =
    !!claim.synced_at &&
    (claim.account == null || claim.account === woowup.account) &&
    claim.identifier === plan.identity.field &&
    claim.identity === plan.identity.value
  if (known && claim.body_hash === plan.body_hash) {
    const synced = { status: "synced" as const, identity: plan.identity, body_hash: plan.body_hash }
    return { sync: await woowup.recordCustomerSyncOutcome(token, { ...synced, sent: false, created: false }), sent: false }
  }
  const proven = isIdentityProven(claim.customer_id, plan.identity, await woowup.retrieveIdentityProof(claim.customer_id))
  const unproven = unprovenSync(plan.identity, { proven, known, createCustomers: options.createCustomers })
  if (unproven === "skip") {
    return { sync: await woowup.recordCustomerSyncOutcome(token, { status: "skipped", reason: IDENTITY_NOT_PROVEN }), sent: false }
  }
  // Unproven: the identity and names only. A phone the customer typed is anyone's: it is sent once it is proven
  // (the proof syncs again, and this body's hash differs from the whole one). It also keeps a sign-up to one call.
  const body = unproven === "create_only" ? withoutSecondaryIdentifiers(plan.body, plan.identity) : plan.body
  const synced = { status: "synced" as const, identity: plan.identity, body_hash: customerBodyHash(body) }
  let outcome: CustomerSyncOutcome
  try {
    const result = await keepClaimAlive(
      () => woowup.heartbeatCustomerSync(token),
      (signal) =>
        unproven === "create_only"
          ? createWoowupCustomer(woowup.client, body, plan.identity, signal)
          : upsertWoowupCustomer(woowup.client, body, plan.identity, {
              known,
              createCustomers: options.createCustomers,
              signal,
            })
    )
    outcome =
      result === "not_found"
        ? { status: "skipped", reason: "customer_not_in_woowup" }
        : result === "exists"
          ? { status: "skipped", reason: IDENTITY_NOT_PROVEN }
          : { ...synced, sent: true, created: result === "created" }
  } catch (e) {
    if (!isWoowupError(e)) {
      throw e
    }
    outcome = { status: "failed", reason: e.message, error_code: e.code, retryable: e.retryable }
  }
  return { sync: await woowup.recordCustomerSyncOutcome(token, outcome), sent: outcome.status === "synced" }
}

function outcomeOf(sync: CustomerSyncRecord, sent: boolean): CustomerSyncRunOutcome {
  switch (sync.status) {
    case "failed":
      return "failed"
    case "skipped":
      return "skipped"
    case "pending":
      return "busy"
    default:
      return sent ? "sent" : "already_synced"
  }
}
