import {
  isWoowupError,
  WOOWUP_API_CODES,
  WOOWUP_CLIENT_CODES,
  WoowupError,
  type CallPriority,
  type WoowupClient,
} from "../../modules/woowup/client"
import {
  secondaryIdentifiers,
  withoutSecondaryIdentifiers,
  type WoowupCustomer,
  type WoowupIdentity,
} from "../../modules/woowup/rules"

const exists = (e: unknown) => isWoowupError(e) && e.code === WOOWUP_CLIENT_CODES.CUSTOMER_EXISTS
const notFound = (e: unknown) => isWoowupError(e) && e.code === WOOWUP_API_CODES.USER_NOT_FOUND

/**
 * Creates the customer in WoowUp (`POST /users`). WoowUp matches customers on any identifier, so "already exists"
 * may be about a secondary one (a phone shared by a household): then the customer is created again without them,
 * names and address kept (one more call, only in that case). `exists` when WoowUp already has a customer under
 * the identity itself (another path created them at the same moment, or they were there before). Purchases and
 * points carry only the identity, so they never land on the customer owning the phone.
 */
export async function createWoowupCustomer(
  client: WoowupClient,
  body: WoowupCustomer,
  identity: WoowupIdentity,
  signal?: AbortSignal,
  priority?: CallPriority
): Promise<"created" | "exists"> {
  try {
    await client.createCustomer(body, { signal, priority })
    return "created"
  } catch (e) {
    if (!exists(e)) {
      throw e
    }
    if (!secondaryIdentifiers(body, identity).length) {
      return "exists"
    }
  }
  try {
    await client.createCustomer(withoutSecondaryIdentifiers(body, identity), { signal, priority })
    return "created"
  } catch (e) {
    if (!exists(e)) {
      throw e
    }
    return "exists"
  }
}

/**
 * Updates a customer WoowUp has under `identity` (`PUT /multiusers`), with the same fallback as the creation: a
 * secondary identifier (the phone) that belongs to someone else is left out. `not_found` when WoowUp has no
 * customer under the identity. Only for a customer known to be there: WoowUp may match the body on any of its
 * identifiers, so a body whose phone belongs to someone else must never reach a customer that is not.
 */
async function updateKnownCustomer(
  client: WoowupClient,
  body: WoowupCustomer,
  identity: WoowupIdentity,
  signal?: AbortSignal
): Promise<"updated" | "not_found"> {
  try {
    await client.updateCustomer(body, { signal })
    return "updated"
  } catch (e) {
    if (notFound(e)) {
      return "not_found"
    }
    if (!exists(e) || !secondaryIdentifiers(body, identity).length) {
      throw e
    }
  }
  return await updateByIdentityOnly(client, body, identity, signal)
}

/** `PUT /multiusers` with the identity as the only identifier: it can only reach the customer of that identity. */
async function updateByIdentityOnly(
  client: WoowupClient,
  body: WoowupCustomer,
  identity: WoowupIdentity,
  signal?: AbortSignal
): Promise<"updated" | "not_found"> {
  try {
    await client.updateCustomer(withoutSecondaryIdentifiers(body, identity), { signal })
    return "updated"
  } catch (e) {
    if (notFound(e)) {
      return "not_found"
    }
    throw e
  }
}

/**
 * Brings the customer WoowUp has under `identity` to `body`, in as few calls as possible:
 * - `known` (WoowUp accepted this customer under this identity before): `PUT /multiusers`, one call;
 * - otherwise `POST /users`, one call for a new customer; when WoowUp has them already, `PUT /multiusers`.
 * A phone that belongs to another WoowUp customer is left out (one more call, only then). With `createCustomers`
 * false nobody is created: `not_found` when WoowUp does not have them. Throws WoowUp's failures.
 */
export async function upsertWoowupCustomer(
  client: WoowupClient,
  body: WoowupCustomer,
  identity: WoowupIdentity,
  options: { known: boolean; createCustomers: boolean; signal?: AbortSignal }
): Promise<"created" | "updated" | "not_found"> {
  const { signal } = options
  if (options.known) {
    const updated = await updateKnownCustomer(client, body, identity, signal)
    if (updated === "updated") {
      return updated
    }
    // WoowUp no longer has them (deleted there): as for a customer never sent.
  }
  if (!options.createCustomers) {
    // Not known to be there: the identity alone first, so the body reaches nobody else; then the rest.
    if ((await updateByIdentityOnly(client, body, identity, signal)) === "not_found") {
      return "not_found"
    }
    if (secondaryIdentifiers(body, identity).length) {
      await updateKnownCustomer(client, body, identity, signal)
    }
    return "updated"
  }
  if ((await createWoowupCustomer(client, body, identity, signal)) === "created") {
    return "created"
  }
  if ((await updateKnownCustomer(client, body, identity, signal)) === "not_found") {
    // "Exists", then "not found": WoowUp is not consistent with itself right now (or the customer was just
    // deleted there); worth a retry later.
    throw new WoowupError({
      code: WOOWUP_API_CODES.USER_NOT_FOUND,
      detail: "WoowUp said the customer exists, then that it does not",
      retryable: true,
      method: "PUT",
      path: "/multiusers",
      attempts: 1,
    })
  }
  return "updated"
}
