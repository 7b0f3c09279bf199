import { identityQuery } from "./call-arguments"
import type { WoowupCallOptions } from "./client-types"
import { WOOWUP_API_CODES, WoowupError } from "./errors"
import { readPayload } from "./request-answer"
import type { RequestExecutor } from "./request-executor"
import {
  existPayloadSchema,
  woowupCustomerSchema,
  type WoowupCustomer,
  type WoowupCustomerInput,
  type WoowupIdentity,
} from "./schemas"

// The customer calls of `WoowupClient` (`/multiusers`, `/users`).

/** `GET /multiusers/exist`. */
export async function customerExists(
  requests: RequestExecutor,
  identity: WoowupIdentity,
  options?: WoowupCallOptions
): Promise<boolean> {
  const path = "/multiusers/exist"
  const query = identityQuery("GET", path, identity)
  try {
    const answer = await requests.execute({ method: "GET", path, query, idempotent: true, priority: "customers" }, options)
    return readPayload(existPayloadSchema, answer, "GET", path).exist
  } catch (error) {
    if (error instanceof WoowupError && error.code === WOOWUP_API_CODES.USER_NOT_FOUND) return false
    throw error
  }
}

/** `GET /multiusers/find`; null when WoowUp answers `user_not_found`. */
export async function findCustomer(
  requests: RequestExecutor,
  identity: WoowupIdentity,
  options?: WoowupCallOptions
): Promise<WoowupCustomer | null> {
  const path = "/multiusers/find"
  const query = identityQuery("GET", path, identity)
  try {
    const answer = await requests.execute({ method: "GET", path, query, idempotent: true, priority: "customers" }, options)
    return readPayload(woowupCustomerSchema, answer, "GET", path)
  } catch (error) {
    if (error instanceof WoowupError && error.code === WOOWUP_API_CODES.USER_NOT_FOUND) return null
    throw error
  }
}

/**
 * `POST /users`. A customer that already exists fails with code `customer_exists` (WoowUp answers
 * `internal_error` "usuario existente"). Returns WoowUp's echo, or null when the answer carried none.
 */
export async function createCustomer(
  requests: RequestExecutor,
  body: WoowupCustomerInput,
  options?: WoowupCallOptions
): Promise<WoowupCustomer | null> {
  identityQuery("POST", "/users", body)
  const answer = await requests.execute({ method: "POST", path: "/users", body, idempotent: true, priority: "customers" }, options)
  return requests.readWritePayload(woowupCustomerSchema, answer, "POST", "/users")
}

/** `PUT /multiusers` (the customer is matched on the identity in the body); `user_not_found` throws. */
export async function updateCustomer(
  requests: RequestExecutor,
  body: WoowupCustomerInput,
  options?: WoowupCallOptions
): Promise<WoowupCustomer | null> {
  identityQuery("PUT", "/multiusers", body)
  const answer = await requests.execute({ method: "PUT", path: "/multiusers", body, idempotent: true, priority: "customers" }, options)
  return requests.readWritePayload(woowupCustomerSchema, answer, "PUT", "/multiusers")
}
