import type { AdjustmentStatus } from "./models/woowup-points-adjustment"
import type { RewardStatus } from "./models/woowup-reward"

type Outcome = { reason: string | null; error_code: string | null }

/** The order's WoowUp status as the admin shows it, and why when it is not synced. */
export type OrderWoowupStatus = Outcome & { status: RewardStatus | null }

/**
 * The order's WoowUp status as the admin shows it: its reward record's, except that a synced purchase with a failed
 * points adjustment is `failed`, with that adjustment's reason (the oldest, which blocks the later ones): WoowUp
 * does not hold what the order wants, and only a resync of the order sends it. `countRewardsByStatus` counts by the
 * same rule.
 */
export function orderWoowupStatus(
  reward: (Outcome & { status: RewardStatus }) | null,
  adjustments: (Outcome & { status: AdjustmentStatus; created_at: Date | string })[]
): OrderWoowupStatus {
  if (!reward) {
    return { status: null, reason: null, error_code: null }
  }
  const failed = adjustments
    .filter((a) => a.status === "failed")
    .sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime())[0]
  if (reward.status === "synced" && failed) {
    return { status: "failed", reason: failed.reason, error_code: failed.error_code }
  }
  return { status: reward.status, reason: reward.reason, error_code: reward.error_code }
}
