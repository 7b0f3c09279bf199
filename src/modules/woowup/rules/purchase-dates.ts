import type { DateValue, RewardOrder } from "./order-fields"
import { livePayments } from "./purchase-payments"

/**
 * A date as WoowUp takes it: ISO 8601 in UTC with an explicit offset and no fraction,
 * `2026-11-25T15:19:21+00:00`. Null for a missing or invalid date.
 */
export function formatWoowupDate(value: DateValue): string | null {
  if (value === null || value === undefined || value === "") {
    return null
  }
  const date = value instanceof Date ? value : new Date(value)
  const time = date.getTime()
  if (!Number.isFinite(time)) {
    return null
  }
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, "+00:00")
}

function dateTime(value: DateValue): number | null {
  if (value === null || value === undefined || value === "") {
    return null
  }
  const time = (value instanceof Date ? value : new Date(value)).getTime()
  return Number.isFinite(time) ? time : null
}

/** When the order was first captured: its earliest capture, else the earliest payment `captured_at`. */
export function firstCaptureTime(order: RewardOrder): string | null {
  let first: number | null = null
  const consider = (value: DateValue) => {
    const t = dateTime(value)
    if (t !== null && (first === null || t < first)) {
      first = t
    }
  }
  const payments = livePayments(order)
  for (const payment of payments) {
    for (const capture of payment.captures ?? []) {
      consider(capture?.created_at)
    }
  }
  if (first === null) {
    payments.forEach((p) => consider(p.captured_at))
  }
  return first === null ? null : formatWoowupDate(new Date(first))
}
