import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { DetailWidgetProps, HttpTypes } from "@medusajs/framework/types"
import { Button, Container, Heading, Skeleton, StatusBadge, Text, toast } from "@medusajs/ui"
import { SectionRow } from "../components/section-row"
import { useCustomerWoowupIdentity, useSetCustomerWoowupIdentity } from "../hooks/api/woowup-identity"
import { formatDate } from "../lib/format"

const METHOD = { admin: "an admin", email_code: "a code sent to the email" } as const

/**
 * The customer's WoowUp identity in the customer page's side column: whether it is proven theirs (until then the
 * storefront shows them no points and the sync never updates their WoowUp profile), and a button to verify it once
 * support has checked it, or to undo that.
 */
const CustomerWoowupWidget = ({ data: customer }: DetailWidgetProps<HttpTypes.AdminCustomer>) => {
  const { identity, isPending, isError, error, refetch } = useCustomerWoowupIdentity(customer.id)
  const set = useSetCustomerWoowupIdentity(customer.id)

  const onSet = async (verify: boolean) => {
    try {
      await set.mutateAsync(verify)
      toast.success(verify ? "Identity verified" : "Verification undone")
    } catch (e) {
      toast.error(verify ? "Could not verify" : "Could not undo", { description: (e as Error).message })
    }
  }

  const proof = identity?.proof
  return (
    <Container className="divide-y p-0" data-testid="woowup-customer-widget">
      <div className="flex items-center justify-between gap-x-2 px-6 py-4">
        <div className="flex items-center gap-x-2">
          <Heading level="h2">WoowUp identity</Heading>
          {identity && (
            <StatusBadge color={identity.verified ? "green" : "orange"} data-testid="woowup-identity-status">
              {identity.verified ? "Verified" : "Not verified"}
            </StatusBadge>
          )}
        </div>
        {identity && identity.identity && (
          <Button
            size="small"
            variant="secondary"
            onClick={() => onSet(!identity.verified)}
            disabled={set.isPending}
            isLoading={set.isPending}
            data-testid="woowup-identity-toggle"
          >
            {identity.verified ? "Undo verification" : "Verify"}
          </Button>
        )}
      </div>
      {isPending ? (
        <div className="px-6 py-4">
          <Skeleton className="h-4 w-2/3" />
        </div>
      ) : isError || !identity ? (
        <div className="flex items-center justify-between gap-x-2 px-6 py-4">
          <Text size="small" className="text-ui-fg-error">
            Could not load the WoowUp identity{error?.message ? `: ${error.message}` : "."}
          </Text>
          <Button size="small" variant="transparent" onClick={() => refetch()}>
            Try again
          </Button>
        </div>
      ) : (
        <div className="py-1">
          <SectionRow title={`Identity (${identity.identifier})`} value={identity.identity ?? "None"} />
          {identity.verified && proof?.proven_at ? (
            <SectionRow
              title="Proven"
              value={`${formatDate(proof.proven_at)}, by ${proof.method ? METHOD[proof.method] : "–"}`}
            />
          ) : (
            <div className="px-6 py-3">
              <Text size="small" className="text-ui-fg-subtle">
                {proof?.identity
                  ? `The proof was of ${proof.identity}, which the customer no longer has.`
                  : "Until verified, the storefront shows this customer no WoowUp points, and WoowUp's profile is not updated from this account."}
              </Text>
            </div>
          )}
        </div>
      )}
    </Container>
  )
}

export const config = defineWidgetConfig({
  zone: "customer.details.side.after",
  id: "woowup:customer-woowup-widget",
})

export default CustomerWoowupWidget
