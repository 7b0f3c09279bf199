import type { OrderWoowup, PointsAdjustment, ReconcileRun, RewardStatus, WoowupReward } from "./types"

type BadgeColor = "green" | "red" | "blue" | "orange" | "grey" | "purple"

export const REWARD_STATUS: Record<RewardStatus, { label: string; color: BadgeColor }> = {
  synced: { label: "Synced", color: "green" },
  pending: { label: "Sending", color: "blue" },
  skipped: { label: "Skipped", color: "grey" },
  failed: { label: "Failed", color: "red" },
}

export const rewardStatus = (status: string | null | undefined): { label: string; color: BadgeColor } =>
  (status && REWARD_STATUS[status as RewardStatus]) || { label: "Not sent", color: "grey" }

const IDENTIFIER_WORDS: Record<string, string> = {
  email: "e-mail",
  document: "document number",
  telephone: "phone number",
  service_uid: "WoowUp id",
}

/** Why an order was skipped, in the merchant's words. */
export const skipReasonText = (reason: string, reward?: Pick<WoowupReward, "identifier" | "currency_code"> | null): string => {
  switch (reason) {
    case "nothing_captured":
      return "Not captured yet: the purchase is sent when the payment is captured."
    case "below_minimum":
      return "Below the minimum: the order's amount is under the minimum order amount that earns points."
    case "no_identity": {
      const what = IDENTIFIER_WORDS[reward?.identifier ?? ""] ?? "identity"
      return `No ${what} to find the customer in WoowUp with, so the purchase was not sent.`
    }
    case "no_rate_for_currency":
      return `No points rate for ${reward?.currency_code ? reward.currency_code.toUpperCase() : "this currency"}: add one to the plugin's pointsPerCurrencyUnit option.`
    case "zero_points":
      return "Earns no points: the order's amount gives 0 points at the configured rate."
    case "customer_not_in_woowup":
      return "The customer is not in WoowUp, and the plugin is set not to create customers."
    case "order_canceled":
      return "The order was canceled before it was sent to WoowUp."
    case "refunded":
      return "The order was refunded before it was sent to WoowUp."
    default:
      return humanize(reason)
  }
}

/**
 * The details of a failure, without the technical head the client puts on its messages
 * (`WoowUp POST /purchases failed (HTTP 400, bad_request, 1 attempt): <details>`).
 */
export const failureDetails = (reason: string | null | undefined): { details: string | null; gaveUp: string | null } => {
  if (!reason) {
    return { details: null, gaveUp: null }
  }
  let text = reason.trim()
  let gaveUp: string | null = null
  const given = /^Gave up after (\d+) attempts[^.]*\.\s*Last error:\s*/i.exec(text)
  if (given) {
    gaveUp = `Gave up after ${given[1]} attempts.`
    text = text.slice(given[0].length)
  }
  const head = /^WoowUp [A-Z]+ \S+ failed \([^)]*\)(?::\s*)?/.exec(text)
  if (head) {
    text = text.slice(head[0].length)
  }
  return { details: text.trim() || null, gaveUp }
}

const withDetails = (sentence: string, details: string | null) => (details ? `${sentence}: ${details}` : sentence)

/** WoowUp's message often only repeats its code ("bad_request (…)", "Bad Request"): keep what it adds. */
const withoutCode = (details: string | null, code: string | null | undefined): string | null => {
  if (!details || !code) {
    return details
  }
  const words = code.replace(/_/g, "[ _]")
  const rest = details
    .replace(new RegExp(`^${words}\\b[:\\s-]*`, "i"), "")
    .replace(/^\((.*)\)$/, "$1")
    .trim()
  return rest || null
}

/** What went wrong with a WoowUp call, from the error code and the stored reason. */
export const errorText = (code: string | null | undefined, reason: string | null | undefined, what = "purchase"): string => {
  const { details: raw, gaveUp } = failureDetails(reason)
  const details = withoutCode(raw, code)
  const sentence = ((): string => {
    switch (code) {
      case "bad_request":
        return withDetails(`WoowUp refused the ${what} as invalid`, details)
      case "forbidden":
        return "WoowUp refused the API key: check the plugin's apiKey option."
      case "account_deleted":
        return "The WoowUp account of the API key was deleted."
      case "user_not_found":
        return "WoowUp does not know the customer, and the customer could not be created."
      case "customer_exists":
        return "WoowUp says the customer exists but could not find them."
      case "too_many_request":
      case "rate_limited":
        return "WoowUp's rate limit was reached; the order is tried again later."
      case "internal_error":
        return withDetails("WoowUp had an internal error", details)
      case "timeout":
        return "WoowUp did not answer in time."
      case "network_error":
        return "WoowUp could not be reached (network error)."
      case "invalid_response":
        return "WoowUp answered with something that could not be read."
      case "unexpected_payload":
        return "WoowUp's answer did not have the expected shape."
      case "invalid_argument":
        return withDetails(`The ${what} could not be built`, details)
      case "client_closed":
      case "aborted":
      case "interrupted":
        return "The send was interrupted (the server stopped) before its outcome was known."
      default: {
        const http = /^http_(\d{3})$/.exec(code ?? "")
        if (http && http[1].startsWith("5")) {
          return `WoowUp was unavailable (HTTP ${http[1]}).`
        }
        if (http) {
          return withDetails(`WoowUp answered with HTTP ${http[1]}`, details)
        }
        if (code) {
          return withDetails(`The WoowUp call failed (${humanize(code)})`, details)
        }
        return details ?? "The WoowUp call failed."
      }
    }
  })()
  const full = /[.!?)]$/.test(sentence) ? sentence : `${sentence}.`
  return gaveUp ? `${full} ${gaveUp}` : full
}

/** The error code in a client message's head (`WoowUp GET /x failed (HTTP 503, http_503, 1 attempt)`), if any. */
export const codeOf = (message: string | null | undefined): string | null =>
  /failed \((?:HTTP \d{3}, )?([a-z][a-z0-9_]*), \d+ attempts?\)/.exec(message ?? "")?.[1] ?? null

/** Why WoowUp could not be reached or refused the key, from the status route's `connection.error`. */
export const connectionErrorText = (error: string | null | undefined): string | null =>
  error ? errorText(codeOf(error), error, "request") : null

/** The one sentence that says why an order did not (yet) earn its points, or null when it did. */
export const rewardProblem = (reward: WoowupReward | null): string | null => {
  if (!reward) {
    return skipReasonText("nothing_captured")
  }
  if (reward.status === "skipped") {
    return reward.reason ? skipReasonText(reward.reason, reward) : "Skipped."
  }
  if (reward.status === "failed") {
    const text = errorText(reward.error_code, reward.reason)
    return reward.retryable ? `${text} It is tried again automatically.` : text
  }
  return null
}

/**
 * Why the order does not hold its points in WoowUp, or null: the reward's problem, or a failed points change's (the
 * purchase is there, and the later points changes wait for the failed one).
 */
export const orderProblem = (woowup: Pick<OrderWoowup, "status" | "reason" | "error_code" | "reward">): string | null =>
  woowup.reward?.status === "synced" && woowup.status === "failed"
    ? `A points change failed, and the ones after it wait for it: ${errorText(woowup.error_code, woowup.reason, "points change")} Resync the order once the cause is fixed.`
    : rewardProblem(woowup.reward)

export const adjustmentCause = (cause: PointsAdjustment["cause"]): string =>
  ({ capture: "Later capture", refund: "Refund", cancel: "Cancelation", redeem: "Points spent", redeem_return: "Spent points given back" })[cause as string] ?? humanize(cause)

export const ADJUSTMENT_STATUS: Record<PointsAdjustment["status"], { label: string; color: BadgeColor }> = {
  applied: { label: "Applied", color: "green" },
  pending: { label: "Pending", color: "blue" },
  failed: { label: "Failed", color: "red" },
}

export const RUN_STATUS: Record<string, { label: string; color: BadgeColor }> = {
  queued: { label: "Queued", color: "grey" },
  running: { label: "Running", color: "blue" },
  done: { label: "Done", color: "green" },
  failed: { label: "Failed", color: "red" },
}

export const runSummary = (run: ReconcileRun): string => {
  if (run.dry_run) {
    return `Preview: ${count(run.found, "order")} to send`
  }
  const parts = [
    `${count(run.found, "order")} found`,
    run.sent ? `${run.sent} sent` : null,
    run.already_synced ? `${run.already_synced} already synced` : null,
    run.skipped ? `${run.skipped} skipped` : null,
    run.failed ? `${run.failed} failed` : null,
    run.busy ? `${run.busy} busy (another process is sending them)` : null,
  ].filter(Boolean)
  return parts.join(", ")
}

export const count = (n: number | null | undefined, noun: string): string =>
  `${(n ?? 0).toLocaleString()} ${noun}${n === 1 ? "" : "s"}`

export const formatPoints = (points: number | null | undefined): string =>
  points == null ? "–" : points.toLocaleString()

export const formatSignedPoints = (points: number): string => (points > 0 ? `+${points.toLocaleString()}` : points.toLocaleString())

export const formatDate = (iso: string | null | undefined): string => {
  if (!iso) {
    return "–"
  }
  const d = new Date(iso)
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleString(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" })
}

export const formatAmount = (amount: number | null | undefined, currency: string | null | undefined): string => {
  if (amount == null) {
    return "–"
  }
  if (!currency) {
    return amount.toLocaleString()
  }
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency: currency.toUpperCase() }).format(amount)
  } catch {
    return `${amount.toLocaleString()} ${currency.toUpperCase()}`
  }
}

export const formatDuration = (ms: number | null | undefined): string => {
  if (ms == null) {
    return "–"
  }
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}

const humanize = (code: string): string => {
  const s = code.replace(/_/g, " ").trim()
  return s.charAt(0).toUpperCase() + s.slice(1)
}
