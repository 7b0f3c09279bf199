import type { FetchError } from "@medusajs/js-sdk"
import { Button, StatusBadge, Table, Text, toast, usePrompt } from "@medusajs/ui"
import { type MouseEvent, useEffect, useRef } from "react"
import { Link } from "react-router-dom"
import {
  downloadImportFailures,
  importFailuresCsvUrl,
  useRefreshAfterImport,
  useWoowupImport,
  useWoowupImportAction,
  type ImportAction,
} from "../hooks/api/woowup-imports"
import { codeOf, count, errorText, formatDate } from "../lib/format"
import {
  etaText,
  importActionConflict,
  importActions,
  importErrorText,
  importPercent,
  importStatus,
  isMovingImport,
} from "../lib/import-format"
import type { WoowupImport } from "../lib/types"

const COUNTS: { key: "sent" | "already_in_woowup" | "skipped" | "failed"; label: string }[] = [
  { key: "sent", label: "Sent" },
  { key: "already_in_woowup", label: "Already in WoowUp" },
  { key: "skipped", label: "Skipped" },
  { key: "failed", label: "Failed" },
]

const DONE_WORDS: Record<ImportAction, string> = { pause: "paused", resume: "resumed", cancel: "canceled" }

/** processed / total as a bar, in the dashboard's colours (Medusa UI has no progress bar of its own). */
const ProgressBar = ({ run }: { run: WoowupImport }) => {
  const percent = importPercent(run)
  return (
    <div
      role="progressbar"
      aria-label="Orders imported"
      aria-valuemin={0}
      aria-valuemax={run.total}
      aria-valuenow={run.processed}
      data-testid="woowup-import-progress"
      className="bg-ui-bg-subtle shadow-borders-base h-2 w-full overflow-hidden rounded-full"
    >
      <div
        className={run.status === "failed" ? "bg-ui-tag-red-icon h-full" : "bg-ui-fg-interactive h-full transition-[width] duration-500"}
        style={{ width: `${percent}%` }}
      />
    </div>
  )
}

/** The first failures of the import, each leading to its order, and every one of them as CSV. */
const ImportFailures = ({ run }: { run: WoowupImport }) => {
  const failures = run.failures ?? []
  if (run.failed === 0 && failures.length === 0) {
    return null
  }
  const onDownload = async (e: MouseEvent) => {
    e.preventDefault()
    try {
      await downloadImportFailures(run.id)
    } catch (err) {
      toast.error("Could not download the failures", { description: (err as Error).message })
    }
  }
  return (
    <div className="flex flex-col gap-y-2" data-testid="woowup-import-failures">
      <div className="flex items-center justify-between gap-x-2">
        <Text size="small" weight="plus">
          {failures.length < run.failed ? `The first ${count(failures.length, "failure")} of ${run.failed.toLocaleString()}` : "Failures"}
        </Text>
        <a
          href={importFailuresCsvUrl(run.id)}
          onClick={onDownload}
          className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover txt-compact-small"
          data-testid="woowup-import-failures-csv"
        >
          Download every failure (CSV)
        </a>
      </div>
      {failures.length > 0 && (
        <div className="shadow-borders-base max-h-96 overflow-auto rounded-lg">
          <Table>
            <Table.Header>
              <Table.Row>
                <Table.HeaderCell>Order</Table.HeaderCell>
                <Table.HeaderCell>Why it failed</Table.HeaderCell>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {failures.map((failure) => (
                <Table.Row key={failure.order_id}>
                  <Table.Cell>
                    <Link
                      to={`/orders/${failure.order_id}`}
                      className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover txt-compact-small"
                    >
                      {failure.order_id}
                    </Link>
                  </Table.Cell>
                  <Table.Cell className="whitespace-normal">{errorText(codeOf(failure.reason), failure.reason)}</Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table>
        </div>
      )}
    </div>
  )
}

const ActionButtons = ({ run }: { run: WoowupImport }) => {
  const prompt = usePrompt()
  const action = useWoowupImportAction(run.id)
  const allowed = importActions(run.status)

  const act = async (what: ImportAction) => {
    if (what === "cancel") {
      const confirmed = await prompt({
        title: "Cancel the import?",
        description: `What was sent stays in WoowUp (${count(run.processed, "order")} of ${run.total.toLocaleString()} done). The rest is not sent; a new import over the same window picks it up and skips what WoowUp already has.`,
        confirmText: "Cancel import",
        cancelText: "Keep importing",
      })
      if (!confirmed) {
        return
      }
    }
    try {
      await action.mutateAsync(what)
      toast.success(`Import ${DONE_WORDS[what]}`)
    } catch (e) {
      toast.error(`Could not ${what} the import`, { description: importErrorText(e as FetchError, importActionConflict(what)) })
    }
  }

  return (
    <div className="flex items-center gap-x-2">
      {allowed.pause && (
        <Button size="small" variant="secondary" onClick={() => act("pause")} disabled={action.isPending} data-testid="woowup-import-pause">
          Pause
        </Button>
      )}
      {allowed.resume && (
        <Button size="small" variant="secondary" onClick={() => act("resume")} disabled={action.isPending} data-testid="woowup-import-resume">
          Resume
        </Button>
      )}
      {allowed.cancel && (
        <Button size="small" variant="danger" onClick={() => act("cancel")} disabled={action.isPending} data-testid="woowup-import-cancel">
          Cancel
        </Button>
      )}
    </div>
  )
}

/**
 * The latest import: its status, a progress bar (orders done of the window's total) with the counts and the time
 * left, polled every 2 s while it is queued or running; pause, resume and cancel; its first failures and the CSV.
 */
export const ImportProgress = ({ id }: { id: string }) => {
  const { run, isError, error } = useWoowupImport(id)
  const refresh = useRefreshAfterImport()
  // When the import ends on screen, the page's counts and rewards are stale: read them again, once.
  const wasMoving = useRef(false)
  const moving = !!run && isMovingImport(run.status)
  useEffect(() => {
    if (wasMoving.current && !moving) {
      void refresh()
    }
    wasMoving.current = moving
  }, [moving])

  if (isError) {
    return (
      <Text size="small" className="text-ui-fg-error px-6 py-4">
        Could not load the import{error?.message ? `: ${error.message}` : "."}
      </Text>
    )
  }
  if (!run) {
    return null
  }
  const status = importStatus(run.status)
  const eta = etaText(run)
  return (
    <div className="flex flex-col gap-y-3 px-6 py-4" data-testid="woowup-import-run">
      <div className="flex items-start justify-between gap-x-4">
        <div className="flex flex-col gap-y-1">
          <div className="flex items-center gap-x-2">
            <Text size="small" weight="plus" leading="compact">
              Latest import
            </Text>
            <StatusBadge color={status.color} data-testid="woowup-import-status">
              {status.label}
            </StatusBadge>
          </div>
          <Text size="small" className="text-ui-fg-subtle">
            Orders from {formatDate(run.from)} to {formatDate(run.to)}, {run.award_points ? "with" : "without"} points
            {run.customers ? ", customers first" : ""}. Started {formatDate(run.started_at ?? run.created_at)}
            {run.finished_at ? `, ended ${formatDate(run.finished_at)}` : ""}.
          </Text>
        </div>
        <ActionButtons run={run} />
      </div>
      <ProgressBar run={run} />
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1">
        <Text size="small" weight="plus" data-testid="woowup-import-processed">
          {`${run.processed.toLocaleString()} of ${count(run.total, "order")}`}
        </Text>
        {eta && (
          <Text size="small" className="text-ui-fg-subtle" data-testid="woowup-import-eta">
            {eta}
          </Text>
        )}
      </div>
      <div className="flex flex-wrap gap-x-4 gap-y-1" data-testid="woowup-import-counts">
        {COUNTS.map(({ key, label }) => (
          <Text key={key} size="small" className="text-ui-fg-subtle" data-testid={`woowup-import-count-${key}`}>
            {label} <span className="text-ui-fg-base font-medium">{run[key].toLocaleString()}</span>
          </Text>
        ))}
      </div>
      {run.error && (
        <Text size="small" className="text-ui-fg-error" data-testid="woowup-import-run-error">
          {run.error}
        </Text>
      )}
      <ImportFailures run={run} />
    </div>
  )
}
