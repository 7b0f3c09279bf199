import { defineWidgetConfig } from "@medusajs/admin-sdk"
import type { DetailWidgetProps, HttpTypes } from "@medusajs/framework/types"
import { ArrowPath } from "@medusajs/icons"
import { Button, Container, Heading, Skeleton, StatusBadge, Text, toast } from "@medusajs/ui"
import { SectionRow } from "../components/section-row"
import { useOrderWoowup, useResync } from "../hooks/api/woowup"
import {
  adjustmentCause,
  ADJUSTMENT_STATUS,
  errorText,
  formatDate,
  formatPoints,
  formatSignedPoints,
  orderProblem,
  rewardStatus,
} from "../lib/format"
import type { OrderRedemption, OrderWoowup, PointsAdjustment } from "../lib/types"

/**
 * The order's WoowUp reward in the order page's side column: did the order earn its points, how many, and if
 * not, why; with a Resync button when there is something to retry.
 */
const OrderWoowupWidget = ({ data: order }: DetailWidgetProps<HttpTypes.AdminOrder>) => {
  const { woowup, isPending, isError, error, refetch } = useOrderWoowup(order.id)
  const resync = useResync()

  const onResync = async () => {
    try {
      // The admin's click is the explicit choice that sends another account's record to this one.
      await resync.mutateAsync({ order_ids: [order.id], other_account: !!woowup?.other_account })
      const { data } = await refetch()
      const reward = data?.woowup.reward
      const problem = data ? orderProblem(data.woowup) : null
      if (reward?.status === "synced" && data?.woowup.status === "synced") {
        toast.success("Synced with WoowUp", { description: `${formatPoints(reward.points)} points awarded.` })
      } else if (problem) {
        toast.warning("Resync finished", { description: problem })
      } else {
        toast.success("Resync finished")
      }
    } catch (e) {
      toast.error("Resync failed", { description: (e as Error).message })
    }
  }

  const reward = woowup?.reward ?? null
  // A synced purchase with a failed points change reads failed: WoowUp does not hold what the order wants.
  const status = rewardStatus(woowup ? woowup.status : reward?.status)

  return (
    <Container className="divide-y p-0" data-testid="woowup-order-widget">
      <div className="flex items-center justify-between gap-x-2 px-6 py-4">
        <div className="flex items-center gap-x-2">
          <Heading level="h2">WoowUp</Heading>
          {woowup && (
            <StatusBadge color={status.color} data-testid="woowup-order-status">
              {status.label}
            </StatusBadge>
          )}
        </div>
        {woowup?.needs_resync && (
          <Button
            size="small"
            variant="secondary"
            onClick={onResync}
            disabled={resync.isPending}
            isLoading={resync.isPending}
            data-testid="woowup-resync"
          >
            <ArrowPath />
            Resync
          </Button>
        )}
      </div>
      {isPending ? (
        <div className="flex flex-col gap-y-2 px-6 py-4">
          <Skeleton className="h-4 w-2/3" />
          <Skeleton className="h-4 w-1/2" />
          <Skeleton className="h-4 w-3/5" />
        </div>
      ) : isError || !woowup ? (
        <div className="flex items-center justify-between gap-x-2 px-6 py-4">
          <Text size="small" className="text-ui-fg-error">
            Could not load the WoowUp status of this order{error?.message ? `: ${error.message}` : "."}
          </Text>
          <Button size="small" variant="transparent" onClick={() => refetch()}>
            Try again
          </Button>
        </div>
      ) : (
        <OrderWoowupDetails woowup={woowup} />
      )}
    </Container>
  )
}

const OrderWoowupDetails = ({ woowup }: { woowup: OrderWoowup }) => {
  const reward = woowup.reward
  const problem = orderProblem(woowup)
  const hasPoints = !!reward && (reward.status === "synced" || woowup.points.awarded !== 0 || woowup.points.taken_back !== 0)

  return (
    <>
      {woowup.other_account && (
        <div className="px-6 py-4" data-testid="woowup-order-other-account">
          <Text size="small" className="text-ui-fg-subtle">
            Recorded for another WoowUp account (a copied database, or tries on the sandbox): not sent to this one.
            Resync sends it here.
          </Text>
        </div>
      )}
      {problem && (
        <div className="px-6 py-4" data-testid="woowup-order-problem">
          <Text size="small" className={woowup.status === "failed" ? "text-ui-fg-error" : "text-ui-fg-subtle"}>
            {problem}
          </Text>
        </div>
      )}
      {reward && (
        <div className="py-1">
          {hasPoints && (
            <>
              <SectionRow title="Points awarded" value={formatPoints(woowup.points.awarded)} testId="woowup-points-awarded" />
              {woowup.points.taken_back !== 0 && (
                <SectionRow title="Points taken back" value={formatPoints(woowup.points.taken_back)} />
              )}
              <SectionRow title="Net points" value={formatPoints(woowup.points.net)} testId="woowup-points-net" />
            </>
          )}
          {!hasPoints && reward.status !== "skipped" && reward.points != null && (
            <SectionRow title="Points to award" value={formatPoints(reward.points)} testId="woowup-points-due" />
          )}
          {reward.invoice_number && <SectionRow title="Invoice number" value={reward.invoice_number} />}
          {reward.identity && (
            <SectionRow
              title="Customer in WoowUp"
              value={`${reward.identity}${reward.identifier ? ` (${reward.identifier})` : ""}${reward.customer_created ? ", created by this order" : ""}`}
            />
          )}
          {woowup.current_identity && (
            <div className="px-6 py-2" data-testid="woowup-identity-changed">
              <Text size="small" className="text-ui-fg-subtle">
                The order is now {woowup.current_identity.value} ({woowup.current_identity.field}), but its purchase
                was sent to {reward.identity}: its points stay there. Moving them to another customer is done in
                WoowUp.
              </Text>
            </div>
          )}
          {reward.synced_at && <SectionRow title="Synced" value={formatDate(reward.synced_at)} />}
          {reward.attempts > 0 && (
            <SectionRow
              title="Attempts"
              value={`${reward.attempts}${reward.last_attempt_at ? `, last ${formatDate(reward.last_attempt_at)}` : ""}`}
            />
          )}
          {reward.status === "failed" && reward.retryable && reward.next_attempt_at && (
            <SectionRow title="Next attempt" value={formatDate(reward.next_attempt_at)} />
          )}
        </div>
      )}
      {woowup.redemption && <RedemptionRows redemption={woowup.redemption} />}
      {woowup.adjustments.length > 0 && (
        <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="woowup-adjustments">
          <Text size="small" weight="plus" leading="compact">
            Points adjustments
          </Text>
          {woowup.adjustments.map((a) => (
            <AdjustmentRow key={a.id} adjustment={a} />
          ))}
        </div>
      )}
    </>
  )
}

const DEBIT_STATUS: Record<OrderRedemption["debit_status"], string> = {
  none: "Not sent yet",
  pending: "Pending",
  applied: "Debited",
  failed: "Failed",
}

/** The points the customer spent on the order at checkout, what they paid, and whether WoowUp took them. */
const RedemptionRows = ({ redemption: r }: { redemption: OrderRedemption }) => (
  <div className="py-1" data-testid="woowup-redemption">
    <SectionRow title="Points redeemed" value={formatPoints(r.points)} testId="woowup-points-redeemed" />
    <SectionRow title="Value" value={`${r.value.toFixed(2)} ${r.currency_code.toUpperCase()}`} testId="woowup-redemption-value" />
    <SectionRow title="Debit" value={DEBIT_STATUS[r.debit_status]} testId="woowup-redemption-debit" />
    {r.given_back > 0 && <SectionRow title="Given back" value={formatPoints(r.given_back)} />}
  </div>
)

const AdjustmentRow = ({ adjustment: a }: { adjustment: PointsAdjustment }) => {
  const status = ADJUSTMENT_STATUS[a.status] ?? { label: a.status, color: "grey" as const }
  return (
    <div className="flex flex-col gap-y-1">
      <div className="flex items-center justify-between gap-x-2">
        <Text size="small" leading="compact" className="text-ui-fg-subtle">
          {adjustmentCause(a.cause)} · {formatDate(a.applied_at ?? a.created_at)}
        </Text>
        <div className="flex items-center gap-x-2">
          <Text size="small" leading="compact" weight="plus">
            {formatSignedPoints(a.points)}
          </Text>
          <StatusBadge color={status.color}>{status.label}</StatusBadge>
        </div>
      </div>
      {a.status === "failed" && (
        <Text size="xsmall" className="text-ui-fg-error">
          {errorText(a.error_code, a.reason, "points change")}
        </Text>
      )}
    </div>
  )
}

export const config = defineWidgetConfig({
  zone: "order.details.side.after",
  id: "woowup:order-woowup-widget",
})

export default OrderWoowupWidget
