/** A claim older than this without a heartbeat belongs to a process that died: it may be taken again. */
export const CLAIM_STALE_MS = 60_000
/** How often the owner of a claim proves it is alive: well within {@link CLAIM_STALE_MS}. */
export const CLAIM_HEARTBEAT_MS = 15_000

/** A claim of `alias` whose owner stopped proving it is alive for {@link CLAIM_STALE_MS}. */
export function staleSql(alias: string, column = `COALESCE(${alias}.heartbeat_at, ${alias}.last_attempt_at)`): string {
  const at = column.includes("(") ? column : `${alias}.${column}`
  return `${at} < now() - interval '${CLAIM_STALE_MS} milliseconds'`
}
