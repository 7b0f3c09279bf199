import { ArrowPath } from "@medusajs/icons"
import { Button, toast } from "@medusajs/ui"
import { useResync } from "../hooks/api/woowup"
import { count } from "../lib/format"
import type { ReconcileRun, Resync, ResyncRequest } from "../lib/types"

type Feed = "customers" | "products"

const NOUN: Record<Feed, string> = { customers: "customer", products: "product" }

// The resync route takes every record of a feed; only_failed narrows it to the failed ones, due or not.
const BODY: Record<Feed, ResyncRequest> = {
  customers: { only_failed: true, customers: "all" },
  products: { only_failed: true, products: "all" },
}

const outcome = (feed: Feed, run: Resync | ReconcileRun): string => {
  const r = run as ReconcileRun
  if (feed !== "customers" || r.customers_found == null) {
    return "The failed ones were sent again."
  }
  const parts = [
    `${count(r.customers_found, NOUN[feed])} found`,
    r.customers_sent ? `${r.customers_sent} sent` : null,
    r.customers_already_synced ? `${r.customers_already_synced} already synced` : null,
    r.customers_failed ? `${r.customers_failed} failed again` : null,
  ]
  return parts.filter(Boolean).join(", ")
}

/** "Resync failed" for the customers or products feed: sends every failed record again, in the background. */
export const FeedResyncButton = ({ feed }: { feed: Feed }) => {
  const resync = useResync()
  const onClick = async () => {
    try {
      const run = await resync.mutateAsync(BODY[feed])
      if (run.status === "failed") {
        toast.error("The resync failed", { description: "error" in run && run.error ? run.error : undefined })
      } else {
        toast.success("Resync finished", { description: outcome(feed, run) })
      }
    } catch (e) {
      toast.error(`Could not resync the failed ${NOUN[feed]}s`, { description: (e as Error).message })
    }
  }
  return (
    <Button
      size="small"
      variant="secondary"
      onClick={onClick}
      isLoading={resync.isPending}
      data-testid={`woowup-feed-${feed}-resync`}
    >
      <ArrowPath />
      Resync failed
    </Button>
  )
}
