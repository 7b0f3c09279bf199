import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import { otherAccountSql, thisAccountSql } from "../account"
import { REWARD_STATUSES, type RewardStatus } from "../models/woowup-reward"

/** What the admin counts and lists of the reward records, as it shows them (see order-status.ts). */

/** The synced rewards of this account whose order has a failed points adjustment `a`: the admin shows them failed. */
function failedAdjustmentOfSyncedSql(account: string): string {
  return `FROM woowup_points_adjustment a
     JOIN woowup_reward r ON r.order_id = a.order_id AND r.status = 'synced' AND r.deleted_at IS NULL
       AND ${thisAccountSql("r", account)}
     WHERE a.status = 'failed' AND a.deleted_at IS NULL`
}

/**
 * How many of this account's orders there are in each status, as the admin shows them (`orderWoowupStatus`): a
 * synced purchase with a failed points adjustment counts as failed. Two index-backed counts (the adjustments' on
 * `status`). Another account's: {@link countOtherAccountRewards}.
 */
export async function countRewardsByStatus(manager: SqlEntityManager, account: string): Promise<Record<RewardStatus, number>> {
  const rows = await manager.execute(
    `SELECT status, COUNT(*)::int AS count FROM woowup_reward r
     WHERE deleted_at IS NULL AND ${thisAccountSql("r", account)} GROUP BY status`
  )
  const counts = Object.fromEntries(REWARD_STATUSES.map((s) => [s, 0])) as Record<RewardStatus, number>
  for (const row of rows) {
    counts[row.status as RewardStatus] = row.count
  }
  const [{ count: adjustmentFailed }] = await manager.execute(
    `SELECT COUNT(DISTINCT a.order_id)::int AS count ${failedAdjustmentOfSyncedSql(account)}`
  )
  counts.synced -= adjustmentFailed
  counts.failed += adjustmentFailed
  return counts
}

/** How many reward records were written for another WoowUp account (on `IDX_woowup_reward_account`). */
export async function countOtherAccountRewards(manager: SqlEntityManager, account: string): Promise<number> {
  const [row] = await manager.execute(
    `SELECT COUNT(*)::int AS count FROM woowup_reward r
     WHERE r.deleted_at IS NULL AND r.account IS NOT NULL AND ${otherAccountSql("r", account)}`
  )
  return row?.count ?? 0
}

/**
 * The orders whose synced purchase has a failed points adjustment, with the oldest failed one's reason: the admin
 * shows them failed (see order-status.ts). Few (WoowUp rarely refuses), found on the adjustments' `status` index.
 */
export async function listOrdersWithFailedAdjustments(
  manager: SqlEntityManager,
  account: string
): Promise<Map<string, { reason: string | null; error_code: string | null }>> {
  const rows = await manager.execute(
    `SELECT DISTINCT ON (a.order_id) a.order_id, a.reason, a.error_code ${failedAdjustmentOfSyncedSql(account)}
     ORDER BY a.order_id, a.created_at`
  )
  return new Map(rows.map((r) => [r.order_id as string, { reason: r.reason ?? null, error_code: r.error_code ?? null }]))
}
