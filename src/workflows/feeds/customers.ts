import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
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
import type { FeedSyncOutcome } from "../../modules/woowup/service"
import { knownHere, type Feed, type FeedContext } from "../engine/feed"
import { createWoowupCustomer, upsertWoowupCustomer } from "../utils/woowup-customer"

/**
 * The customer feed: a customer with an account, as WoowUp should have them (names, phone, address, marketing
 * consent). `POST /users` the first time (so their first order costs one call), `PUT /multiusers` after a change,
 * nothing when nothing changed. Until the customer's identity is proven theirs, it may only create a customer
 * WoowUp does not know, under an email, and never updates one (see `unprovenSync`).
 */
export const customersFeed: Feed = {
  name: "customers",
  enabled: (options) => options.syncCustomers,
  converge: convergeCustomer,
}

async function convergeCustomer({ container, woowup, options, record, send }: FeedContext): Promise<FeedSyncOutcome> {
  const customerId = record.customer_id as string
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "customer",
    fields: CUSTOMER_SYNC_FIELDS,
    filters: { id: customerId },
  })
  const plan = planCustomerSync(data[0] as SyncCustomer | undefined, options)
  if (plan.action === "skip") {
    return { status: "skipped", reason: plan.reason }
  }
  const columns = { identifier: plan.identity.field, identity: plan.identity.value }
  const known =
    knownHere(record, woowup.account) &&
    record.identifier === plan.identity.field &&
    record.identity === plan.identity.value
  if (known && record.body_hash === plan.body_hash) {
    return { status: "synced", body_hash: plan.body_hash, sent: false, columns }
  }
  const proven = isIdentityProven(customerId, plan.identity, await woowup.retrieveIdentityProof(customerId))
  const unproven = unprovenSync(plan.identity, { proven, known, createCustomers: options.createCustomers })
  if (unproven === "skip") {
    return { status: "skipped", reason: IDENTITY_NOT_PROVEN }
  }
  // Unproven: the identity and names only. A phone the customer typed is anyone's: it is sent once it is proven
  // (the proof syncs again, and this body's hash differs from the whole one). It also keeps a sign-up to one call.
  const body = unproven === "create_only" ? withoutSecondaryIdentifiers(plan.body, plan.identity) : plan.body
  const result = await send((signal) =>
    unproven === "create_only"
      ? createWoowupCustomer(woowup.client, body, plan.identity, signal)
      : upsertWoowupCustomer(woowup.client, body, plan.identity, { known, createCustomers: options.createCustomers, signal })
  )
  if (result === "not_found") {
    return { status: "skipped", reason: "customer_not_in_woowup" }
  }
  if (result === "exists") {
    return { status: "skipped", reason: IDENTITY_NOT_PROVEN }
  }
  return {
    status: "synced",
    body_hash: customerBodyHash(body),
    sent: true,
    columns: { ...columns, ...(result === "created" ? { customer_created: true } : {}) },
  }
}
