import { Badge, Container, Heading, Table, Text } from "@medusajs/ui"
import { useWoowupAudit, type AuditBranch } from "../hooks/api/woowup-audit"

const signed = (v: number) => (v > 0 ? `+${v}` : String(v))

const BranchRow = ({ row }: { row: AuditBranch }) => (
  <Table.Row data-testid={`woowup-audit-${row.branch}`}>
    <Table.Cell>{row.branch}</Table.Cell>
    <Table.Cell>{row.woowup ? `${row.woowup.purchases} · ${row.woowup.revenue}` : "—"}</Table.Cell>
    <Table.Cell>{`${row.plugin.purchases} · ${row.plugin.revenue}`}</Table.Cell>
    <Table.Cell>
      {row.difference ? (
        <Badge size="2xsmall" color={row.difference.purchases === 0 && row.difference.revenue === 0 ? "green" : "orange"}>
          {`${signed(row.difference.purchases)} · ${signed(row.difference.revenue)}`}
        </Badge>
      ) : (
        <Text size="small" className="text-ui-fg-error">{row.error ?? "WoowUp could not be read"}</Text>
      )}
    </Table.Cell>
    <Table.Cell>
      <Text size="small" className="text-ui-fg-subtle whitespace-pre-line">{row.causes.join("\n") || "—"}</Text>
    </Table.Cell>
  </Table.Row>
)

/**
 * WoowUp's own count of purchases and revenue per branch (its `/stats`) next to what the plugin recorded as synced,
 * over the last 30 days of orders: a difference names its likely causes.
 */
export const AuditSection = () => {
  const { audit, isPending, isError, error } = useWoowupAudit()
  return (
    <Container className="divide-y p-0" data-testid="woowup-audit">
      <div className="px-6 py-4">
        <Heading level="h2">WoowUp's count and ours</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          Purchases · revenue per branch for orders of the last 30 days: WoowUp's stats, the plugin's records, the difference.
        </Text>
      </div>
      {isPending ? (
        <Text size="small" className="px-6 py-4">Loading…</Text>
      ) : isError || !audit ? (
        <Text size="small" className="text-ui-fg-error px-6 py-4">Could not load the audit{error?.message ? `: ${error.message}` : "."}</Text>
      ) : (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>Branch</Table.HeaderCell>
              <Table.HeaderCell>WoowUp</Table.HeaderCell>
              <Table.HeaderCell>Plugin</Table.HeaderCell>
              <Table.HeaderCell>Difference</Table.HeaderCell>
              <Table.HeaderCell>Likely causes</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {audit.branches.map((row) => (
              <BranchRow key={row.branch} row={row} />
            ))}
          </Table.Body>
        </Table>
      )}
    </Container>
  )
}
