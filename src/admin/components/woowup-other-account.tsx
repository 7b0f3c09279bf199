import { Button, Text, toast, usePrompt } from "@medusajs/ui"
import { useResync } from "../hooks/api/woowup"
import { count, runSummary } from "../lib/format"

/**
 * Orders whose record was written for another WoowUp account (a database copied from staging, tries on the
 * sandbox): they count as not sent to this account, and nothing sends them but the admin's explicit choice here.
 */
export const OtherAccountSection = ({ orders }: { orders: number }) => {
  const prompt = usePrompt()
  const resync = useResync()
  if (!orders) {
    return null
  }
  const onSend = async () => {
    const confirmed = await prompt({
      title: `Send ${count(orders, "order")} to this WoowUp account?`,
      description:
        "Their records were written for another WoowUp account. Send them only if they are real orders of this store, not tests.",
      confirmText: "Send them",
      cancelText: "Leave them",
    })
    if (!confirmed) {
      return
    }
    try {
      const run = await resync.mutateAsync({ other_account: true })
      toast.success("Sent to this account", { description: "sent" in run ? runSummary(run) : count(run.found, "order") })
    } catch (e) {
      toast.error("Could not send them", { description: (e as Error).message })
    }
  }
  return (
    <div className="flex items-center justify-between gap-x-4 px-6 py-4" data-testid="woowup-other-account">
      <Text size="small" className="text-ui-fg-subtle">
        {count(orders, "order")} {orders === 1 ? "was" : "were"} recorded for another WoowUp account (a copied database,
        or tries on the sandbox). {orders === 1 ? "It does" : "They do"} not count as sent here and{" "}
        {orders === 1 ? "is" : "are"} never sent on {orders === 1 ? "its" : "their"} own.
      </Text>
      <Button size="small" variant="secondary" onClick={onSend} isLoading={resync.isPending}>
        Send to this account
      </Button>
    </div>
  )
}
