import { WOOWUP_CLIENT_CODES, WoowupError } from "./errors"

/** A call cut short by `close()`: a later run (another process) can do it. */
export function closedError(method: string, path: string, attempts: number): WoowupError {
  return new WoowupError({
    code: WOOWUP_CLIENT_CODES.CLIENT_CLOSED,
    retryable: true,
    outcomeUnknown: method !== "GET" && attempts > 0,
    method,
    path,
    attempts,
    detail: "the client was closed",
  })
}

/** A `beforeSend` that fails (e.g. its database is away) says no: sending is what must be proven safe. */
export async function mayStillSend(beforeSend: () => Promise<boolean>): Promise<boolean> {
  try {
    return (await beforeSend()) === true
  } catch {
    return false
  }
}

/** A call its caller gave up on: by its signal, or by its `beforeSend` check. */
export function abortedError(
  method: string,
  path: string,
  attempts: number,
  maybeApplied: boolean,
  why = attempts > 0 ? "by its signal while waiting to retry" : "by its signal before it was sent"
): WoowupError {
  return new WoowupError({
    code: WOOWUP_CLIENT_CODES.ABORTED,
    // The caller gave up, WoowUp did not refuse: a later run can do it.
    retryable: true,
    outcomeUnknown: attempts > 0 && maybeApplied,
    method,
    path,
    attempts,
    detail: `the call was aborted ${why}`,
  })
}
