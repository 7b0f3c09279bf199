import { identityQuery } from "./call-helpers"
import type { WoowupCallOptions } from "./client-types"
import { WOOWUP_API_CODES, WoowupError } from "./errors"
import type { PayloadSchema } from "./request-answer"
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
  const answer = await readCustomer(requests, "/multiusers/exist", identity, existPayloadSchema, options)
  return answer?.exist ?? false
}

/** `GET /multiusers/find`; null when WoowUp answers `user_not_found`. */
export function findCustomer(
  requests: RequestExecutor,
  identity: WoowupIdentity,
  options?: WoowupCallOptions
): Promise<WoowupCustomer | null> {
  return readCustomer(requests, "/multiusers/find", identity, woowupCustomerSchema, options)
}

/**
 * `POST /users`. A customer that already exists fails with code `customer_exists` (WoowUp answers
 * `internal_error` "usuario existente"). Returns WoowUp's echo, or null when the answer carried none.
 */
export function createCustomer(
  requests: RequestExecutor,
  body: WoowupCustomerInput,
  options?: WoowupCallOptions
): Promise<WoowupCustomer | null> {
  return writeCustomer(requests, "POST", "/users", body, options)
}

/** `PUT /multiusers` (the customer is matched on the identity in the body); `user_not_found` throws. */
export function updateCustomer(
  requests: RequestExecutor,
  body: WoowupCustomerInput,
  options?: WoowupCallOptions
): Promise<WoowupCustomer | null> {
  return writeCustomer(requests, "PUT", "/multiusers", body, options)
}

/** A `GET` of one customer by identity; null when WoowUp answers `user_not_found`. */
async function readCustomer<T>(
  requests: RequestExecutor,
  path: string,
  identity: WoowupIdentity,
  schema: PayloadSchema<T>,
  options?: WoowupCallOptions
): Promise<T | null> {
  const query = identityQuery("GET", path, identity)
  try {
    return await requests.read({ method: "GET", path, query, idempotent: true, priority: "customers" }, schema, options)
  } catch (error) {
    if (error instanceof WoowupError && error.code === WOOWUP_API_CODES.USER_NOT_FOUND) return null
    throw error
  }
}

async function writeCustomer(
  requests: RequestExecutor,
  method: "POST" | "PUT",
  path: string,
  body: WoowupCustomerInput,
  options?: WoowupCallOptions
): Promise<WoowupCustomer | null> {
  identityQuery(method, path, body)
  return requests.write({ method, path, body, idempotent: true, priority: "customers" }, woowupCustomerSchema, options)
}
