import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import { CLAIM_STALE_MS } from "./claim-timing"

/**
 * The claims every record of the plugin is worked under (rewards, points adjustments, and each feed's syncs): a
 * claim is a `pending` record whose `attempts` is the token of the run that took it; its owner proves it alive on
 * `heartbeat_at`.
 */

/** The tables whose records are claimed this way. */
export type ClaimTable =
  | "woowup_reward"
  | "woowup_points_adjustment"
  | "woowup_customer_sync"
  | "woowup_product_sync"
  | "woowup_cart_sync"

/** A claim: the record's id, and `attempts` as its owner's token. */
export type ClaimToken = { id: string; attempts: number }

/** A claim of `alias` whose owner stopped proving it is alive for {@link CLAIM_STALE_MS}. */
export function staleSql(alias: string, column = `COALESCE(${alias}.heartbeat_at, ${alias}.last_attempt_at)`): string {
  const at = column.includes("(") ? column : `${alias}.${column}`
  return `${at} < now() - interval '${CLAIM_STALE_MS} milliseconds'`
}

/** SQL: the record of `alias` is pending with a dead owner: any run may take it. */
export function deadClaimSql(alias: string): string {
  return `(${alias}.status = 'pending' AND ${staleSql(alias)})`
}

/** SQL: the next attempt of the record of `alias` is due (or was never set). */
export function attemptDueSql(alias: string): string {
  return `(${alias}.next_attempt_at IS NULL OR ${alias}.next_attempt_at <= now())`
}

/**
 * SQL (two parameters: id, attempts): the record is still held by the claim. Every write of an outcome is guarded
 * by it, so that a run that outlived its claim never overwrites the story of the one that took it over.
 */
export const OWN_CLAIM_SQL = `id = ? AND status = 'pending' AND attempts = ? AND deleted_at IS NULL`

/** Proves a claim's owner alive; false when the claim (its token, `attempts`) is no longer the caller's. */
export async function heartbeatClaim(manager: SqlEntityManager, table: ClaimTable, claim: ClaimToken): Promise<boolean> {
  const rows = await manager.execute(`UPDATE ${table} SET heartbeat_at = now() WHERE ${OWN_CLAIM_SQL} RETURNING id`, [
    claim.id,
    claim.attempts,
  ])
  return rows.length > 0
}

/**
 * Hands a claim back as a retryable failure, due at once, when the run that took it failed before recording an
 * outcome. Only the claim's own record: one finished meanwhile (or claimed again) is left as it is.
 */
export async function releaseClaim(
  manager: SqlEntityManager,
  table: Exclude<ClaimTable, "woowup_points_adjustment">,
  claim: ClaimToken,
  reason: string
): Promise<void> {
  await manager.execute(
    `UPDATE ${table} SET status = 'failed', retryable = true, error_code = 'interrupted',
       reason = ?, heartbeat_at = NULL, next_attempt_at = NULL, updated_at = now()
     WHERE ${OWN_CLAIM_SQL}`,
    [reason, claim.id, claim.attempts]
  )
}
