// What the calls (`customer-calls.ts`, ...) share: checking their arguments, finding one entry in a list.

import { WOOWUP_CLIENT_CODES, WoowupError } from "./errors"
import type { WoowupCallOptions } from "./client-types"
import type { PayloadSchema, RequestSpec } from "./request-answer"
import type { RequestExecutor } from "./request-executor"
import { IDENTITY_FIELDS, type WoowupIdentity } from "./schemas"

/** A call refused before anything is sent: `detail` names the argument. */
export function invalidArgument(method: string, path: string, detail: string): WoowupError {
  return new WoowupError({ code: WOOWUP_CLIENT_CODES.INVALID_ARGUMENT, retryable: false, method, path, attempts: 0, detail })
}

export function pickIdentity(identity: WoowupIdentity): Record<string, string> {
  const out: Record<string, string> = {}
  for (const field of IDENTITY_FIELDS) {
    const value = identity[field]
    if (typeof value === "string" && value.trim()) out[field] = value
  }
  return out
}

/** The identity fields of `identity`; throws `invalid_argument` when there is none. */
export function identityQuery(method: string, path: string, identity: WoowupIdentity): Record<string, string> {
  const picked = pickIdentity(identity ?? {})
  if (!Object.keys(picked).length) {
    throw invalidArgument(method, path, `one of ${IDENTITY_FIELDS.join(", ")} is required`)
  }
  return picked
}

/**
 * A `GET` of a list for the one entry `matches` picks; null when WoowUp has none (nothing matches, or it answers
 * 404 with a `*not_found` code).
 */
export async function findInList<T>(
  requests: RequestExecutor,
  spec: RequestSpec,
  schema: PayloadSchema<T[]>,
  matches: (entry: T) => boolean,
  options?: WoowupCallOptions
): Promise<T | null> {
  try {
    const list = await requests.read(spec, schema, options)
    return list.find(matches) ?? null
  } catch (error) {
    if (error instanceof WoowupError && error.status === 404 && /not_found$/.test(error.code)) return null
    throw error
  }
}
