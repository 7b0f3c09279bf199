import { count } from "./format"
import type { ImportStatus, WoowupImport, WoowupImportEstimate } from "./types"

type BadgeColor = "green" | "red" | "blue" | "orange" | "grey" | "purple"

export const IMPORT_STATUS: Record<ImportStatus, { label: string; color: BadgeColor }> = {
  queued: { label: "Queued", color: "grey" },
  running: { label: "Running", color: "blue" },
  paused: { label: "Paused", color: "orange" },
  done: { label: "Done", color: "green" },
  canceled: { label: "Canceled", color: "grey" },
  failed: { label: "Failed", color: "red" },
}

export const importStatus = (status: string): { label: string; color: BadgeColor } =>
  IMPORT_STATUS[status as ImportStatus] ?? { label: status, color: "grey" }

/** An import the server is working on, or will again: only one at a time, and it is followed on screen. */
export const isOpenImport = (status: string): boolean => status === "queued" || status === "running" || status === "paused"

/** Whether the page should ask again for the import's progress (the server moves it on its own). */
export const isMovingImport = (status: string): boolean => status === "queued" || status === "running"

/** What the merchant may do to the import now, as the routes allow it (a 409 otherwise). */
export const importActions = (status: string): { pause: boolean; resume: boolean; cancel: boolean } => ({
  pause: status === "queued" || status === "running",
  resume: status === "paused",
  cancel: isOpenImport(status),
})

/** Share of the window's orders done, 0 to 100; an empty window is done as soon as the import is. */
export const importPercent = (run: Pick<WoowupImport, "total" | "processed" | "status">): number => {
  if (run.total <= 0) {
    return run.status === "done" ? 100 : 0
  }
  return Math.min(100, Math.round((run.processed / run.total) * 100))
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`

/** A span of time in words, as far as an estimate goes: "less than a minute", "about 2 hours 10 minutes". */
export const durationWords = (seconds: number): string => {
  const s = Math.max(0, Math.round(seconds))
  if (s < 60) {
    return "less than a minute"
  }
  if (s < 3600) {
    return `about ${plural(Math.round(s / 60), "minute")}`
  }
  if (s < 48 * 3600) {
    let hours = Math.floor(s / 3600)
    let minutes = Math.round((s % 3600) / 60)
    if (minutes === 60) {
      hours += 1
      minutes = 0
    }
    return `about ${plural(hours, "hour")}${minutes ? ` ${plural(minutes, "minute")}` : ""}`
  }
  let days = Math.floor(s / 86400)
  let hours = Math.round((s % 86400) / 3600)
  if (hours === 24) {
    days += 1
    hours = 0
  }
  return `about ${plural(days, "day")}${hours ? ` ${plural(hours, "hour")}` : ""}`
}

/** The ETA line under the progress bar. */
export const etaText = (run: Pick<WoowupImport, "status" | "eta_seconds">): string | null => {
  switch (run.status) {
    case "queued":
      return "Waiting to start."
    case "running":
      return run.eta_seconds == null ? "Measuring the pace…" : run.eta_seconds === 0 ? "Finishing…" : `${durationWords(run.eta_seconds)} left`
    case "paused":
      return "Paused: nothing is sent until you resume it."
    default:
      return null
  }
}

/** What a dry run found, in one sentence. */
export const estimateText = (total: number, estimate: WoowupImportEstimate | null): string => {
  if (!estimate || estimate.calls === 0) {
    return total === 0
      ? "No captured order in this window."
      : `${count(total, "order")} in this window, all of them already recorded: the import only checks them, nothing new is sent.`
  }
  return (
    `${count(total, "order")} in this window: ${count(estimate.orders, "purchase")} and ` +
    `${count(estimate.customers, "customer")} to send, ${count(estimate.calls, "WoowUp call")}, ` +
    `${durationWords(estimate.seconds)} at the account's limit.`
  )
}

// Medusa's error handler answers every CONFLICT (409) with this sentence instead of the route's own message.
const MEDUSA_CONFLICT = /^The request conflicted with another request/

/**
 * What to tell the merchant when the imports API refuses: its own message (a 400 names the field), except Medusa's
 * generic 409 sentence, which would only mislead; that is said in the section's words.
 */
export const importErrorText = (error: { message?: string; status?: number }, conflict: string): string => {
  const message = error.message?.trim() ?? ""
  if (error.status === 409 && (!message || MEDUSA_CONFLICT.test(message))) {
    return conflict
  }
  return message || "The request failed."
}

/** The 409 of `POST /admin/woowup/imports`: one import at a time. */
export const IMPORT_CONFLICT =
  "Another import is under way (started elsewhere): only one runs at a time. It is shown below: pause, cancel or wait for it."

/** The 409 of pause, resume and cancel: the import's status changed meanwhile. */
export const importActionConflict = (action: string): string =>
  `The import can no longer be ${action === "cancel" ? "canceled" : action === "pause" ? "paused" : "resumed"}: its status changed meanwhile (it may have just ended).`
