/**
 * What is history and what is live. An order placed before the plugin was installed, or older than the reconcile
 * job's look-back window, is history: the job never sends it on its own, only an import does, with or without points
 * as the merchant chooses. Orders migrated into Medusa keep their original `created_at` but get ids made on the day
 * of the migration, so history is told by `created_at`, never by id.
 */

/** Where live orders start: the later of the installation and the look-back window's start. */
export function liveOrdersFrom(input: { now: Date; lookbackHours: number; installedAt: Date | null }): Date {
  const windowStart = input.now.getTime() - input.lookbackHours * 3_600_000
  return new Date(Math.max(windowStart, input.installedAt?.getTime() ?? -Infinity))
}

/**
 * Whether an import sends the order as history without points: the import chose no points, and the order is older
 * than the look-back window (orders inside it are live: they get their points as usual).
 */
export function importsWithoutPoints(input: {
  award_points: boolean
  created_at: Date | string | null | undefined
  now: Date
  lookbackHours: number
}): boolean {
  if (input.award_points) {
    return false
  }
  const created = input.created_at ? new Date(input.created_at).getTime() : NaN
  return !Number.isFinite(created) || created < input.now.getTime() - input.lookbackHours * 3_600_000
}

/** Seconds left at the measured rate (orders a second since the run last started); null until there is a rate. */
export function etaSeconds(input: {
  total: number | null
  processed: number
  processed_at_resume: number
  resumed_at: Date | string | null
  now: Date
}): number | null {
  if (input.total === null || !input.resumed_at) {
    return null
  }
  const left = Math.max(0, input.total - input.processed)
  if (left === 0) {
    return 0
  }
  const seconds = (input.now.getTime() - new Date(input.resumed_at).getTime()) / 1000
  const done = input.processed - input.processed_at_resume
  if (done <= 0 || seconds <= 0) {
    return null
  }
  return Math.ceil(left / (done / seconds))
}

/** A dry run's estimate of the WoowUp calls and the time they take at the account's limit. */
export function importEstimate(input: {
  orders_to_send: number
  customers_to_send: number
  requestsPerMinute: number
}): { orders: number; customers: number; calls: number; seconds: number } {
  const calls = input.orders_to_send + input.customers_to_send
  return {
    orders: input.orders_to_send,
    customers: input.customers_to_send,
    calls,
    seconds: Math.ceil((calls / input.requestsPerMinute) * 60),
  }
}
