import type { FetchError } from "@medusajs/js-sdk"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { queryKeysFactory } from "../../lib/query-key"
import { sdk } from "../../lib/sdk"

/** `GET|POST|DELETE /admin/woowup/customers/:id/verify` (see the plugin's README, "Proven identities"). */
export type WoowupIdentity = {
  customer_id: string
  verified: boolean
  identifier: string
  identity: string | null
  proof: {
    identifier: string | null
    identity: string | null
    method: "admin" | "email_code" | null
    proven_by: string | null
    proven_at: string | null
    revoked_by: string | null
    revoked_at: string | null
  } | null
}
type WoowupIdentityResponse = { woowup_identity: WoowupIdentity }

export const woowupIdentityQueryKey = queryKeysFactory("woowup_identity")

const path = (customerId: string) => `/admin/woowup/customers/${customerId}/verify`

/** Whether the customer's WoowUp identity is proven theirs. */
export const useCustomerWoowupIdentity = (customerId: string) => {
  const { data, ...rest } = useQuery<WoowupIdentityResponse, FetchError>({
    queryKey: woowupIdentityQueryKey.detail(customerId),
    queryFn: () => sdk.client.fetch<WoowupIdentityResponse>(path(customerId)),
  })
  return { identity: data?.woowup_identity, ...rest }
}

/** Marks the customer's identity as proven (`verify: true`) or undoes it (`verify: false`). */
export const useSetCustomerWoowupIdentity = (customerId: string) => {
  const queryClient = useQueryClient()
  return useMutation<WoowupIdentity, FetchError, boolean>({
    mutationFn: (verify) =>
      sdk.client
        .fetch<WoowupIdentityResponse>(path(customerId), verify ? { method: "POST", body: {} } : { method: "DELETE" })
        .then((r) => r.woowup_identity),
    onSuccess: (identity) => queryClient.setQueryData(woowupIdentityQueryKey.detail(customerId), { woowup_identity: identity }),
  })
}
