import { gaveUpReason, planRetry } from "../rules"

/** A failed attempt as a record keeps it: why, WoowUp's (or our) code, and whether and when it is tried again. */
export type FailureFields = {
  reason: string
  error_code: string
  retryable: boolean
  next_attempt_at: Date | null
}

/**
 * What every record writes after its `attempt`-th failure in a row (rewards, adjustments, feed syncs): a
 * retryable one is spaced (1 minute, then 2, 4... up to 6 hours), and at `maxAttempts` it is given up with a
 * reason that says so and what the admin does about it (`subject`: "order", "customer", "product").
 */
export function failureFields(input: {
  attempt: number
  retryable: boolean
  maxAttempts: number
  reason: string
  error_code: string
  subject: string
}): FailureFields {
  const retry = planRetry({ attempt: input.attempt, retryable: input.retryable, maxAttempts: input.maxAttempts })
  return {
    reason: !retry.retryable && retry.gave_up ? gaveUpReason(input.attempt, input.reason, input.subject) : input.reason,
    error_code: input.error_code,
    retryable: retry.retryable,
    next_attempt_at: retry.next_attempt_at,
  }
}
