import { ArrowPath } from "@medusajs/icons"
import { Button, DatePicker, Drawer, Label, Switch, Text, toast, usePrompt } from "@medusajs/ui"
import { useState } from "react"
import { useResync } from "../hooks/api/woowup"
import { count, runSummary } from "../lib/format"
import type { ReconcileRun, Resync } from "../lib/types"

const DAY_MS = 24 * 60 * 60 * 1000

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

/**
 * "Reconcile now": pick a date window, preview how many captured orders WoowUp is missing (a dry run of the
 * resync route), confirm, and send them. The orders feed opens it as "Resync failed", with only failed orders on.
 */
export const ReconcileDrawer = ({
  label = "Reconcile now",
  onlyFailed: onlyFailedAtFirst = false,
  testId = "woowup-reconcile-open",
}: { label?: string; onlyFailed?: boolean; testId?: string } = {}) => {
  const [open, setOpen] = useState(false)
  const [from, setFrom] = useState<Date | null>(() => startOfDay(new Date(Date.now() - 7 * DAY_MS)))
  const [to, setTo] = useState<Date | null>(() => new Date())
  const [onlyFailed, setOnlyFailed] = useState(onlyFailedAtFirst)
  const [preview, setPreview] = useState<Resync | ReconcileRun | null>(null)
  const prompt = usePrompt()
  const dryRun = useResync({ pollMs: 500 })
  const realRun = useResync()

  const window = from && to ? { from: startOfDay(from).toISOString(), to: endOfDay(to).toISOString() } : null
  const invalid = !window ? "Pick both dates." : window.from > window.to ? "The start is after the end." : null

  const change = <T,>(set: (v: T) => void) => (v: T) => {
    set(v)
    setPreview(null)
  }

  const onPreview = async () => {
    if (!window) {
      return
    }
    try {
      setPreview(await dryRun.mutateAsync({ ...window, only_failed: onlyFailed, dry_run: true }))
    } catch (e) {
      toast.error("Could not preview the reconcile", { description: (e as Error).message })
    }
  }

  const onRun = async () => {
    if (!window || !preview) {
      return
    }
    const confirmed = await prompt({
      title: "Reconcile now?",
      description: `${count(preview.found, "order")} will be sent to WoowUp. Orders WoowUp already has are not sent twice.`,
      confirmText: "Reconcile",
      cancelText: "Cancel",
      variant: "confirmation",
    })
    if (!confirmed) {
      return
    }
    try {
      const run = await realRun.mutateAsync({ ...window, only_failed: onlyFailed })
      if (run.status === "failed") {
        toast.error("The reconcile failed", { description: "error" in run && run.error ? run.error : undefined })
      } else {
        toast.success("Reconcile finished", { description: "sent" in run ? runSummary(run) : count(run.found, "order") })
      }
      setPreview(null)
      setOpen(false)
    } catch (e) {
      toast.error("The reconcile failed", { description: (e as Error).message })
    }
  }

  const busy = dryRun.isPending || realRun.isPending

  return (
    <Drawer open={open} onOpenChange={(o) => (busy ? undefined : setOpen(o))}>
      <Drawer.Trigger asChild>
        <Button size="small" variant="secondary" data-testid={testId}>
          <ArrowPath />
          {label}
        </Button>
      </Drawer.Trigger>
      <Drawer.Content data-testid="woowup-reconcile-drawer">
        <Drawer.Header>
          <Drawer.Title>Reconcile now</Drawer.Title>
          <Drawer.Description className="sr-only">Send captured orders WoowUp is missing</Drawer.Description>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-6">
          <Text size="small" className="text-ui-fg-subtle">
            Sends the captured orders of a period that WoowUp has not received: orders whose events were missed,
            and failures worth retrying. Orders WoowUp already has are recognised and not sent twice; an order WoowUp
            refused as invalid is sent again with Resync on its page, once the cause is fixed.
          </Text>
          <div className="flex flex-col gap-y-2">
            <Label size="small" weight="plus">
              From
            </Label>
            <DatePicker value={from} onChange={change(setFrom)} maxValue={new Date()} aria-label="From" />
          </div>
          <div className="flex flex-col gap-y-2">
            <Label size="small" weight="plus">
              To
            </Label>
            <DatePicker value={to} onChange={change(setTo)} maxValue={new Date()} aria-label="To" />
          </div>
          <div className="flex items-center gap-x-2">
            <Switch id="woowup-only-failed" checked={onlyFailed} onCheckedChange={change(setOnlyFailed)} />
            <Label htmlFor="woowup-only-failed" size="small">
              Only failed orders
            </Label>
          </div>
          {invalid && (
            <Text size="small" className="text-ui-fg-error">
              {invalid}
            </Text>
          )}
          {preview && (
            <div className="bg-ui-bg-subtle shadow-borders-base rounded-lg px-4 py-3" data-testid="woowup-reconcile-preview">
              <Text size="small" weight="plus">
                {preview.found === 0
                  ? "Nothing to send: WoowUp has every captured order of this period."
                  : `${count(preview.found, "order")} would be sent to WoowUp.`}
              </Text>
            </div>
          )}
        </Drawer.Body>
        <Drawer.Footer>
          <Drawer.Close asChild>
            <Button size="small" variant="secondary" disabled={busy}>
              Cancel
            </Button>
          </Drawer.Close>
          {preview && preview.found > 0 ? (
            <Button size="small" onClick={onRun} isLoading={realRun.isPending} disabled={busy} data-testid="woowup-reconcile-run">
              Reconcile {count(preview.found, "order")}
            </Button>
          ) : (
            <Button
              size="small"
              onClick={onPreview}
              isLoading={dryRun.isPending}
              disabled={busy || !!invalid}
              data-testid="woowup-reconcile-preview-button"
            >
              Preview
            </Button>
          )}
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}
