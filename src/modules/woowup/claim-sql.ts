import { CLAIM_STALE_MS } from "./claim-timing"

/** A claim of `alias` whose owner stopped proving it is alive for {@link CLAIM_STALE_MS}. */
export function staleSql(alias: string, column = `COALESCE(${alias}.heartbeat_at, ${alias}.last_attempt_at)`): string {
  const at = column.includes("(") ? column : `${alias}.${column}`
  return `${at} < now() - interval '${CLAIM_STALE_MS} milliseconds'`
}
