import {
  createDataTableColumnHelper,
  createDataTableFilterHelper,
  DataTable,
  type DataTableFilteringState,
  type DataTablePaginationState,
  Heading,
  StatusBadge,
  Text,
  useDataTable,
} from "@medusajs/ui"
import { useMemo, useState } from "react"
import { Link, useNavigate } from "react-router-dom"
import { useWoowupRewards } from "../hooks/api/woowup"
import { formatAmount, formatDate, formatPoints, REWARD_STATUS, rewardProblem, rewardStatus } from "../lib/format"
import type { AdminRewardsQuery, RewardStatus, WoowupReward } from "../lib/types"

const PAGE_SIZE = 20

const columnHelper = createDataTableColumnHelper<WoowupReward>()
const filterHelper = createDataTableFilterHelper<WoowupReward>()

const columns = [
  columnHelper.accessor("order_id", {
    header: "Order",
    cell: ({ getValue }) => (
      <Link
        to={`/orders/${getValue()}`}
        className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover txt-compact-small"
        onClick={(e) => e.stopPropagation()}
      >
        {getValue()}
      </Link>
    ),
  }),
  columnHelper.accessor("status", {
    header: "Status",
    cell: ({ getValue }) => {
      const s = rewardStatus(getValue())
      return <StatusBadge color={s.color}>{s.label}</StatusBadge>
    },
  }),
  columnHelper.accessor("points", {
    header: "Points",
    align: "right",
    cell: ({ getValue }) => formatPoints(getValue()),
  }),
  columnHelper.accessor("amount", {
    header: "Amount",
    align: "right",
    cell: ({ row }) => formatAmount(row.original.amount, row.original.currency_code),
  }),
  columnHelper.accessor("identity", {
    header: "Customer",
    cell: ({ getValue }) => getValue() ?? "–",
  }),
  columnHelper.display({
    id: "why",
    header: "Why",
    size: 360,
    cell: ({ row }) => {
      const problem = row.original.status === "synced" || row.original.status === "pending" ? null : rewardProblem(row.original)
      return problem ? (
        <span
          className={`block min-w-[240px] max-w-[360px] whitespace-normal ${row.original.status === "failed" ? "text-ui-fg-error" : "text-ui-fg-subtle"}`}
        >
          {problem}
        </span>
      ) : (
        "–"
      )
    },
  }),
  columnHelper.accessor("created_at", {
    header: "Created",
    cell: ({ getValue }) => formatDate(getValue()),
  }),
]

const startOfToday = () => {
  const d = new Date()
  d.setHours(0, 0, 0, 0)
  return d
}

const daysAgo = (days: number) => new Date(startOfToday().getTime() - days * 24 * 60 * 60 * 1000).toISOString()

const useFilters = () =>
  useMemo(
    () => [
      filterHelper.accessor("status", {
        type: "multiselect",
        label: "Status",
        searchable: false,
        options: (Object.keys(REWARD_STATUS) as RewardStatus[]).map((s) => ({ label: REWARD_STATUS[s].label, value: s })),
      }),
      filterHelper.accessor("created_at", {
        type: "date",
        label: "Created",
        format: "date",
        formatDateValue: (d) => d.toLocaleDateString(),
        rangeOptionLabel: "Custom",
        rangeOptionStartLabel: "Starting",
        rangeOptionEndLabel: "Ending",
        options: [
          { label: "Today", value: { $gte: daysAgo(0) } },
          { label: "Last 7 days", value: { $gte: daysAgo(7) } },
          { label: "Last 30 days", value: { $gte: daysAgo(30) } },
          { label: "Last 90 days", value: { $gte: daysAgo(90) } },
        ],
      }),
    ],
    []
  )

/** The filters of the table as the rewards route takes them. */
const toQuery = (filtering: DataTableFilteringState, search: string, pagination: DataTablePaginationState): AdminRewardsQuery => {
  const query: AdminRewardsQuery = {
    limit: pagination.pageSize,
    offset: pagination.pageIndex * pagination.pageSize,
    order: "-created_at",
  }
  const status = filtering.status
  if (Array.isArray(status) && status.length) {
    query.status = status as RewardStatus[]
  } else if (typeof status === "string" && status) {
    query.status = [status as RewardStatus]
  }
  const created = filtering.created_at as { $gte?: string; $lte?: string } | undefined
  if (created && (created.$gte || created.$lte)) {
    query.created_at = { ...(created.$gte ? { $gte: created.$gte } : {}), ...(created.$lte ? { $lte: created.$lte } : {}) }
  }
  if (search.trim()) {
    query.q = search.trim()
  }
  return query
}

/**
 * Every order's reward record, filterable by status, date and text (order id, invoice number, customer),
 * each row leading to its order. `filtering` is controlled so that the status tiles above can set it.
 */
export const RewardsTable = ({
  filtering,
  onFilteringChange,
}: {
  filtering: DataTableFilteringState
  onFilteringChange: (f: DataTableFilteringState) => void
}) => {
  const navigate = useNavigate()
  const filters = useFilters()
  const [search, setSearch] = useState("")
  const [pagination, setPagination] = useState<DataTablePaginationState>({ pageIndex: 0, pageSize: PAGE_SIZE })

  const query = toQuery(filtering, search, pagination)
  const { rewards, count, isPending, isError, error } = useWoowupRewards(query)

  const table = useDataTable({
    data: rewards ?? [],
    columns,
    filters,
    rowCount: count ?? 0,
    getRowId: (row) => row.id,
    isLoading: isPending,
    onRowClick: (_, row) => navigate(`/orders/${row.order_id}`),
    search: { state: search, onSearchChange: setSearch },
    filtering: {
      state: filtering,
      onFilteringChange: (f) => {
        setPagination((p) => ({ ...p, pageIndex: 0 }))
        onFilteringChange(f)
      },
    },
    pagination: { state: pagination, onPaginationChange: setPagination },
  })

  return (
    <DataTable instance={table}>
      <DataTable.Toolbar
        className="flex flex-col items-start justify-between gap-2 md:flex-row md:items-center"
        translations={{ clearAll: "Clear all" }}
      >
        <div>
          <Heading level="h2">Rewards</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            One record per order: what was sent to WoowUp, or why not.
          </Text>
        </div>
        <div className="flex items-center gap-x-2">
          <DataTable.Search placeholder="Search order, invoice, customer" />
          <div data-testid="woowup-rewards-filter">
            <DataTable.FilterMenu tooltip="Filter" />
          </div>
        </div>
      </DataTable.Toolbar>
      {isError ? (
        <div className="px-6 py-4">
          <Text size="small" className="text-ui-fg-error">
            Could not load the rewards{error?.message ? `: ${error.message}` : "."}
          </Text>
        </div>
      ) : (
        <DataTable.Table
          emptyState={{
            empty: {
              heading: "No rewards yet",
              description: "Orders get a record here when they are placed or their payment is captured.",
            },
            filtered: { heading: "No matching rewards", description: "Try other filters or clear them." },
          }}
        />
      )}
      <DataTable.Pagination />
    </DataTable>
  )
}
