import type { FetchError } from "@medusajs/js-sdk"
import { useQuery } from "@tanstack/react-query"
import { queryKeysFactory } from "../../lib/query-key"
import { sdk } from "../../lib/sdk"

export type AuditTotals = { purchases: number; revenue: number; units: number }
export type AuditBranch = {
  branch: string
  woowup: (AuditTotals & { customers: number }) | null
  plugin: AuditTotals
  difference: AuditTotals | null
  pending: number
  causes: string[]
  error?: string
}
export type WoowupAudit = { from: string; to: string; branches: AuditBranch[]; difference: AuditTotals | null }

export const woowupAuditQueryKey = queryKeysFactory("woowup_audit")

/** WoowUp's stats next to the plugin's records, per branch (`GET /admin/woowup/audit`): the last 30 days. */
export const useWoowupAudit = () => {
  const { data, ...rest } = useQuery<{ audit: WoowupAudit }, FetchError>({
    queryKey: woowupAuditQueryKey.all,
    queryFn: () => sdk.client.fetch<{ audit: WoowupAudit }>("/admin/woowup/audit"),
  })
  return { audit: data?.audit, ...rest }
}
