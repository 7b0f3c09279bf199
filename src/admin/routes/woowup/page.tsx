import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Sparkles } from "@medusajs/icons"
import { Button, Container, type DataTableFilteringState, Heading, Text } from "@medusajs/ui"
import { useState } from "react"
import { AuditSection } from "../../components/woowup-audit"
import { FeedsSection } from "../../components/woowup-feeds"
import { ImportSection } from "../../components/woowup-import"
import { ConnectionSection, CountsSection, OverviewSkeleton, RunsSection } from "../../components/woowup-overview"
import { OtherAccountSection } from "../../components/woowup-other-account"
import { ReconcileDrawer } from "../../components/woowup-reconcile-drawer"
import { RedemptionsSection } from "../../components/woowup-redemptions"
import { RewardsTable } from "../../components/woowup-rewards-table"
import { useWoowupStatus } from "../../hooks/api/woowup"
import type { RewardStatus } from "../../lib/types"

/**
 * The WoowUp page: is WoowUp reachable with our key, how many orders are synced, skipped or failed and why, each
 * feed's state (orders, customers, products) with its latest failures, the last reconcile runs, and ways to send
 * what was missed, the import of the store's history with its progress, and WoowUp's own count per branch next to
 * the plugin's (the audit).
 */
const WoowupPage = () => {
  const { woowup: status, isPending, isError, error, refetch } = useWoowupStatus()
  const [filtering, setFiltering] = useState<DataTableFilteringState>({})

  const selectStatus = (s: RewardStatus) => {
    const current = filtering.status
    const only = Array.isArray(current) && current.length === 1 && current[0] === s
    const { status: _status, ...rest } = filtering
    setFiltering(only ? rest : { ...rest, status: [s] })
  }

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="divide-y p-0">
        <div className="flex items-center justify-between gap-x-4 px-6 py-4">
          <div>
            <Heading level="h1">WoowUp</Heading>
            <Text size="small" className="text-ui-fg-subtle">
              Loyalty points for captured orders, sent to WoowUp once per order.
            </Text>
          </div>
          <ReconcileDrawer />
        </div>
        {isPending ? (
          <OverviewSkeleton />
        ) : isError || !status ? (
          <div className="flex items-center justify-between gap-x-2 px-6 py-4" data-testid="woowup-status-error">
            <Text size="small" className="text-ui-fg-error">
              Could not load the WoowUp status{error?.message ? `: ${error.message}` : "."}
            </Text>
            <Button size="small" variant="transparent" onClick={() => refetch()}>
              Try again
            </Button>
          </div>
        ) : (
          <>
            <ConnectionSection connection={status.connection} />
            <CountsSection
              counts={status.counts}
              selected={filtering.status as RewardStatus[] | undefined}
              onSelect={selectStatus}
            />
            <OtherAccountSection orders={status.other_account ?? 0} />
            {!!status.redemptions?.orders && <RedemptionsSection redemptions={status.redemptions} />}
          </>
        )}
      </Container>
      {status?.feeds && <FeedsSection feeds={status.feeds} />}
      <Container className="p-0" data-testid="woowup-rewards">
        <RewardsTable filtering={filtering} onFilteringChange={setFiltering} />
      </Container>
      {status && <RunsSection runs={status.runs ?? []} />}
      {status && <ImportSection />}
      {status && <AuditSection />}
    </div>
  )
}

export const config = defineRouteConfig({
  label: "WoowUp",
  icon: Sparkles,
})

export default WoowupPage
