import type { FetchError } from "@medusajs/js-sdk"
import { Button, Container, DatePicker, Heading, Label, Switch, Text, toast } from "@medusajs/ui"
import { type ReactNode, useState } from "react"
import { useCreateWoowupImport, useWoowupImport, useWoowupImports } from "../hooks/api/woowup-imports"
import { estimateText, IMPORT_CONFLICT, importErrorText, isOpenImport } from "../lib/import-format"
import type { WoowupImport } from "../lib/types"
import { ImportProgress } from "./woowup-import-progress"

const YEAR_MS = 365 * 24 * 60 * 60 * 1000

const startOfDay = (d: Date) => {
  const x = new Date(d)
  x.setHours(0, 0, 0, 0)
  return x
}

const endOfDay = (d: Date) => {
  const x = new Date(d)
  x.setHours(23, 59, 59, 999)
  return x
}

const Field = ({ label, testId, children }: { label: string; testId: string; children: ReactNode }) => (
  <div className="flex flex-col gap-y-2" data-testid={testId}>
    <Label size="small" weight="plus">
      {label}
    </Label>
    {children}
  </div>
)

const Toggle = ({
  id,
  label,
  hint,
  checked,
  onChange,
}: {
  id: string
  label: string
  hint: string
  checked: boolean
  onChange: (checked: boolean) => void
}) => (
  <div className="flex items-start gap-x-3">
    <Switch id={id} checked={checked} onCheckedChange={onChange} data-testid={id} />
    <div className="flex flex-col">
      <Label htmlFor={id} size="small" weight="plus">
        {label}
      </Label>
      <Text size="small" className="text-ui-fg-subtle">
        {hint}
      </Text>
    </div>
  </div>
)

/** The dry run's answer: what the import would send, the calls, and the time at the account's limit. */
const Estimate = ({ run }: { run: WoowupImport }) => {
  const e = run.estimate
  const figures = e
    ? [
        { key: "orders", label: "Purchases to send", value: e.orders.toLocaleString() },
        { key: "customers", label: "Customers to create", value: e.customers.toLocaleString() },
        { key: "calls", label: "WoowUp calls", value: e.calls.toLocaleString() },
      ]
    : []
  return (
    <div className="bg-ui-bg-subtle shadow-borders-base flex flex-col gap-y-2 rounded-lg px-4 py-3" data-testid="woowup-import-estimate">
      <Text size="small" weight="plus" data-testid="woowup-import-estimate-text">
        {estimateText(run.total, e)}
      </Text>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        <Text size="small" className="text-ui-fg-subtle" data-testid="woowup-import-estimate-total">
          Orders in the window <span className="text-ui-fg-base font-medium">{run.total.toLocaleString()}</span>
        </Text>
        {figures.map((f) => (
          <Text key={f.key} size="small" className="text-ui-fg-subtle" data-testid={`woowup-import-estimate-${f.key}`}>
            {f.label} <span className="text-ui-fg-base font-medium">{f.value}</span>
          </Text>
        ))}
      </div>
    </div>
  )
}

/**
 * "Import history": brings the store's past orders (and their customers) into WoowUp over a window of order
 * dates, with or without points. A dry run first says what it would send and how long it takes at the account's
 * limit; then the import runs in the background, and the latest one is followed here with its progress.
 */
export const ImportSection = () => {
  const [from, setFrom] = useState<Date | null>(() => startOfDay(new Date(Date.now() - 2 * YEAR_MS)))
  const [to, setTo] = useState<Date | null>(() => new Date())
  const [awardPoints, setAwardPoints] = useState(false)
  const [customers, setCustomers] = useState(true)
  const [dryRun, setDryRun] = useState<WoowupImport | null>(null)
  const [apiError, setApiError] = useState<string | null>(null)
  const create = useCreateWoowupImport()
  const { imports, isError: listFailed, error: listError } = useWoowupImports()
  // Dry runs are recorded too; the progress shown is the latest real import's.
  const latest = imports?.find((run) => !run.dry_run) ?? null
  const { run: current } = useWoowupImport(latest?.id ?? null)
  const openImport = isOpenImport((current ?? latest)?.status ?? "")

  const window = from && to ? { from: startOfDay(from).toISOString(), to: endOfDay(to).toISOString() } : null
  const invalid = !window ? "Pick both dates." : window.from >= window.to ? "The start is after the end." : null

  // Any change makes the dry run's figures stale: the import starts only after a dry run of what it will do.
  const change = <T,>(set: (v: T) => void) => (v: T) => {
    set(v)
    setDryRun(null)
    setApiError(null)
  }

  const submit = async (dry_run: boolean) => {
    if (!window) {
      return
    }
    setApiError(null)
    try {
      const run = await create.mutateAsync({ ...window, award_points: awardPoints, customers, dry_run })
      if (dry_run) {
        setDryRun(run)
      } else {
        setDryRun(null)
        toast.success("Import started", { description: "It runs in the background; its progress is shown below." })
      }
    } catch (e) {
      // The API's own words: a 400 names the field; a 409 means an import is already under way.
      const message = importErrorText(e as FetchError, IMPORT_CONFLICT)
      setApiError(message)
      toast.error(dry_run ? "Could not do the dry run" : "Could not start the import", { description: message })
    }
  }

  return (
    <Container className="divide-y p-0" data-testid="woowup-import">
      <div className="px-6 py-4">
        <Heading level="h2">Import history</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          Brings the store's past orders into WoowUp with their original dates, so its segments and campaigns know
          each customer's history. It runs in the background at what the account's limit leaves over from live orders,
          survives restarts, and never sends an order twice.
        </Text>
      </div>
      <div className="flex flex-col gap-y-4 px-6 py-4" data-testid="woowup-import-form">
        <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
          <Field label="Orders placed from" testId="woowup-import-from">
            <DatePicker value={from} onChange={change(setFrom)} maxValue={new Date()} aria-label="Orders placed from" />
          </Field>
          <Field label="To" testId="woowup-import-to">
            <DatePicker value={to} onChange={change(setTo)} maxValue={new Date()} aria-label="Orders placed to" />
          </Field>
        </div>
        <Toggle
          id="woowup-import-award-points"
          label="Award points"
          hint="Off: history is sent without points, so it earns nothing and its refunds take nothing back. Recent orders the reconcile job looks at get their points either way."
          checked={awardPoints}
          onChange={change(setAwardPoints)}
        />
        <Toggle
          id="woowup-import-customers"
          label="Create customers first"
          hint="The window's customers with an account are created in WoowUp before their purchases, once each."
          checked={customers}
          onChange={change(setCustomers)}
        />
        {invalid && (
          <Text size="small" className="text-ui-fg-error">
            {invalid}
          </Text>
        )}
        {apiError && (
          <Text size="small" className="text-ui-fg-error" data-testid="woowup-import-error">
            {apiError}
          </Text>
        )}
        {dryRun && <Estimate run={dryRun} />}
        {openImport && (
          <Text size="small" className="text-ui-fg-subtle" data-testid="woowup-import-busy">
            {(current ?? latest)?.status === "paused"
              ? "An import is paused: one runs at a time. Resume or cancel it below."
              : "An import is under way: one runs at a time. Pause or cancel it below, or wait for it to end."}
          </Text>
        )}
        <div className="flex items-center justify-end gap-x-2">
          <Button
            size="small"
            variant="secondary"
            onClick={() => submit(true)}
            isLoading={create.isPending && create.variables?.dry_run === true}
            disabled={create.isPending || !!invalid}
            data-testid="woowup-import-dry-run"
          >
            Dry run
          </Button>
          <Button
            size="small"
            onClick={() => submit(false)}
            isLoading={create.isPending && !create.variables?.dry_run}
            disabled={create.isPending || !!invalid || !dryRun || openImport}
            data-testid="woowup-import-start"
          >
            Start import
          </Button>
        </div>
      </div>
      {listFailed ? (
        <Text size="small" className="text-ui-fg-error px-6 py-4">
          Could not load the imports{listError?.message ? `: ${listError.message}` : "."}
        </Text>
      ) : (
        latest && <ImportProgress id={latest.id} />
      )}
    </Container>
  )
}
