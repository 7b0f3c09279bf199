import { Container, Heading, Skeleton, StatusBadge, Table, Text, clx } from "@medusajs/ui"
import { connectionErrorText, count, formatDate, formatDuration, REWARD_STATUS, RUN_STATUS, runSummary } from "../lib/format"
import type { ConnectionStatus, ReconcileRun, RewardStatus, WoowupStatus } from "../lib/types"

const CONNECTION: Record<ConnectionStatus["status"], { label: string; color: "green" | "red" | "orange"; text: string }> = {
  ok: { label: "Connected", color: "green", text: "WoowUp accepted the API key." },
  unreachable: {
    label: "Unreachable",
    color: "orange",
    text: "WoowUp can't be reached right now. Orders keep their records and are sent again when it is back; Reconcile now sends what was missed.",
  },
  refused: {
    label: "Key refused",
    color: "red",
    text: "WoowUp refused the API key: check the plugin's apiKey option. Nothing can be sent until it is fixed.",
  },
}

/** Whether WoowUp accepts the plugin's key, reachable or not. */
export const ConnectionSection = ({ connection }: { connection: ConnectionStatus }) => {
  const c = CONNECTION[connection.status] ?? CONNECTION.unreachable
  return (
    <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="woowup-connection">
      <div className="flex items-center gap-x-2">
        <Text size="small" weight="plus" leading="compact">
          Connection
        </Text>
        <StatusBadge color={c.color} data-testid="woowup-connection-status">
          {c.label}
        </StatusBadge>
        {connection.status === "ok" && connection.ms != null && (
          <Text size="small" className="text-ui-fg-muted">
            {connection.ms} ms
          </Text>
        )}
      </div>
      <Text size="small" className={clx(connection.status === "ok" ? "text-ui-fg-subtle" : "text-ui-fg-error")}>
        {c.text}
      </Text>
      {connection.status !== "ok" && connection.error && (
        <Text size="small" className="text-ui-fg-subtle" data-testid="woowup-connection-error">
          {connectionErrorText(connection.error)}
        </Text>
      )}
    </div>
  )
}

const ORDER: RewardStatus[] = ["synced", "pending", "skipped", "failed"]

/** One tile per reward status; a click filters the table below to it. */
export const CountsSection = ({
  counts,
  selected,
  onSelect,
}: {
  counts: WoowupStatus["counts"]
  selected?: RewardStatus[]
  onSelect: (status: RewardStatus) => void
}) => (
  <div className="grid grid-cols-2 gap-3 px-6 py-4 md:grid-cols-4" data-testid="woowup-counts">
    {ORDER.map((status) => {
      const active = selected?.length === 1 && selected[0] === status
      return (
        <button
          key={status}
          type="button"
          onClick={() => onSelect(status)}
          data-testid={`woowup-count-${status}`}
          className={clx(
            "shadow-borders-base bg-ui-bg-base hover:bg-ui-bg-base-hover flex flex-col items-start gap-y-1 rounded-lg px-4 py-3 text-left transition-fg",
            active && "shadow-borders-interactive-with-active"
          )}
        >
          <StatusBadge color={REWARD_STATUS[status].color}>{REWARD_STATUS[status].label}</StatusBadge>
          <Text size="xlarge" weight="plus" leading="compact">
            {(counts[status] ?? 0).toLocaleString()}
          </Text>
        </button>
      )
    })}
  </div>
)

const windowText = (run: ReconcileRun) => {
  if (run.other_account && !run.order_ids?.length) {
    return "Another account's orders"
  }
  if (run.order_ids?.length) {
    return count(run.order_ids.length, "order")
  }
  if (run.from || run.to) {
    return `${formatDate(run.from)} – ${formatDate(run.to)}`
  }
  return "–"
}

/** The last reconcile runs: the scheduled job's and the admin's. */
export const RunsSection = ({ runs }: { runs: ReconcileRun[] }) => (
  <Container className="divide-y p-0" data-testid="woowup-runs">
    <div className="px-6 py-4">
      <Heading level="h2">Reconcile runs</Heading>
      <Text size="small" className="text-ui-fg-subtle">
        The scheduled job and resyncs started here send captured orders that WoowUp has not received.
      </Text>
    </div>
    {runs.length === 0 ? (
      <div className="px-6 py-4">
        <Text size="small" className="text-ui-fg-muted">
          No reconcile has run yet.
        </Text>
      </div>
    ) : (
      <Table>
        <Table.Header>
          <Table.Row>
            <Table.HeaderCell>Started</Table.HeaderCell>
            <Table.HeaderCell>By</Table.HeaderCell>
            <Table.HeaderCell>Orders</Table.HeaderCell>
            <Table.HeaderCell>Status</Table.HeaderCell>
            <Table.HeaderCell>Outcome</Table.HeaderCell>
            <Table.HeaderCell>Took</Table.HeaderCell>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {runs.map((run) => {
            const status = RUN_STATUS[run.status] ?? { label: run.status, color: "grey" as const }
            return (
              <Table.Row key={run.id}>
                <Table.Cell>{formatDate(run.started_at ?? run.created_at)}</Table.Cell>
                <Table.Cell>{run.kind === "job" ? "Schedule" : "Admin"}</Table.Cell>
                <Table.Cell>
                  {windowText(run)}
                  {run.only_failed ? ", failed only" : ""}
                </Table.Cell>
                <Table.Cell>
                  <StatusBadge color={status.color}>{status.label}</StatusBadge>
                </Table.Cell>
                <Table.Cell className="whitespace-normal">{run.error ? run.error : runSummary(run)}</Table.Cell>
                <Table.Cell>{formatDuration(run.duration_ms)}</Table.Cell>
              </Table.Row>
            )
          })}
        </Table.Body>
      </Table>
    )}
  </Container>
)

export const OverviewSkeleton = () => (
  <div className="flex flex-col gap-y-3 px-6 py-4">
    <Skeleton className="h-5 w-1/3" />
    <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
      {ORDER.map((s) => (
        <Skeleton key={s} className="h-16 w-full" />
      ))}
    </div>
  </div>
)
