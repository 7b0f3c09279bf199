/**
 * When the reconcile job tries again an order (or a points adjustment) whose last attempt failed in a way worth
 * retrying: after 1 minute, then 2, 4, 8... doubling up to 6 hours, and not at all after `maxAttempts` attempts.
 * So a WoowUp outage of an hour is caught up within minutes of its end, and an order that keeps failing the same
 * way costs about ten calls in a day, not one every run.
 */

export const FIRST_RETRY_DELAY_MS = 60_000
export const LONGEST_RETRY_DELAY_MS = 6 * 60 * 60_000

/** The wait after failed attempt number `attempt` (1 for the first). */
export function retryDelayMs(attempt: number): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1)
  return Math.min(LONGEST_RETRY_DELAY_MS, FIRST_RETRY_DELAY_MS * 2 ** Math.min(exponent, 30))
}

export type RetryPlan =
  | { retryable: true; next_attempt_at: Date }
  /** Given up: `gave_up` says it was the bound, not the kind of failure. */
  | { retryable: false; next_attempt_at: null; gave_up: boolean }

/**
 * What to write after a failed attempt: retry at `next_attempt_at`, or never again (a failure that retrying
 * cannot help, or the `maxAttempts`-th attempt of one that could).
 */
export function planRetry(input: { attempt: number; retryable: boolean; maxAttempts: number; now?: Date }): RetryPlan {
  if (!input.retryable) {
    return { retryable: false, next_attempt_at: null, gave_up: false }
  }
  if (input.attempt >= input.maxAttempts) {
    return { retryable: false, next_attempt_at: null, gave_up: true }
  }
  const now = input.now ?? new Date()
  return { retryable: true, next_attempt_at: new Date(now.getTime() + retryDelayMs(input.attempt)) }
}

/** The reason an admin reads when the bound was reached. */
export function gaveUpReason(attempts: number, lastReason: string, subject = "order"): string {
  return `Gave up after ${attempts} attempts (resync the ${subject} once the cause is fixed). Last error: ${lastReason}`
}
