import { WOOWUP_CLIENT_CODES, WoowupError } from "./errors"
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
