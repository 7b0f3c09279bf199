import { Container, Heading, StatusBadge, Text } from "@medusajs/ui"
import { REWARD_STATUS } from "../lib/format"
import type { FeedName, FeedStatus, RewardStatus } from "../lib/types"
import { FeedFailures } from "./woowup-feed-failures"
import { FeedResyncButton } from "./woowup-feed-resync"
import { ReconcileDrawer } from "./woowup-reconcile-drawer"

const STATUSES: RewardStatus[] = ["synced", "pending", "skipped", "failed"]
const STATUS_COUNTS = STATUSES.map((s) => ({ key: s as string, label: REWARD_STATUS[s].label }))

const FEEDS: { name: FeedName; title: string; what: string; off: string }[] = [
  { name: "orders", title: "Orders", what: "Captured orders and their points.", off: "" },
  {
    name: "customers",
    title: "Customers",
    what: "Customers with an account, from the moment they sign up.",
    off: "Off: the plugin's syncCustomers option is false, so customers reach WoowUp only with their orders.",
  },
  {
    name: "products",
    title: "Products",
    what: "The catalog, one record per variant.",
    off: "Off: turn it on with the plugin's catalog.enabled option.",
  },
  {
    name: "carts",
    title: "Abandoned carts",
    what: "Carts left with an email and items, for WoowUp's recovery campaigns.",
    off: "Off: turn it on with the plugin's abandonedCarts.enabled option.",
  },
]

/** What a feed counts: its records per status; carts also those told recovered. */
const COUNTS: Record<FeedName, { key: string; label: string }[]> = {
  orders: STATUS_COUNTS,
  customers: STATUS_COUNTS,
  products: STATUS_COUNTS,
  // A synced cart is one WoowUp has: sent.
  carts: [{ key: "synced", label: "Sent" }, { key: "recovered", label: "Recovered" }, ...STATUS_COUNTS.slice(1)],
}

/**
 * The "Resync failed" of a feed: orders go through the reconcile drawer (a window and a preview); carts have none
 * (the job retries them while they are worth sending).
 */
const ResyncFailed = ({ feed }: { feed: FeedName }) =>
  feed === "orders" ? (
    <ReconcileDrawer label="Resync failed" onlyFailed testId="woowup-feed-orders-resync" />
  ) : feed === "carts" ? null : (
    <FeedResyncButton feed={feed} />
  )

const FeedRow = ({ feed, status }: { feed: (typeof FEEDS)[number]; status: FeedStatus }) => {
  const failed = status.counts.failed ?? 0
  return (
    <div className="flex flex-col gap-y-3 px-6 py-4" data-testid={`woowup-feed-${feed.name}`}>
      <div className="flex items-start justify-between gap-x-4">
        <div className="flex flex-col gap-y-1">
          <div className="flex items-center gap-x-2">
            <Text size="small" weight="plus" leading="compact">
              {feed.title}
            </Text>
            <StatusBadge color={status.enabled ? "green" : "grey"} data-testid={`woowup-feed-${feed.name}-enabled`}>
              {status.enabled ? "On" : "Off"}
            </StatusBadge>
          </div>
          <Text size="small" className="text-ui-fg-subtle">
            {status.enabled ? feed.what : feed.off}
          </Text>
        </div>
        {status.enabled && failed > 0 && <ResyncFailed feed={feed.name} />}
      </div>
      <div className="flex flex-wrap gap-x-4 gap-y-1" data-testid={`woowup-feed-${feed.name}-counts`}>
        {COUNTS[feed.name].map(({ key, label }) => (
          <Text key={key} size="small" className="text-ui-fg-subtle" data-testid={`woowup-feed-${feed.name}-count-${key}`}>
            {label} <span className="text-ui-fg-base font-medium">{(status.counts[key] ?? 0).toLocaleString()}</span>
          </Text>
        ))}
      </div>
      {status.failures.length > 0 && (
        <div className="shadow-borders-base overflow-hidden rounded-lg">
          <FeedFailures feed={feed.name} failures={status.failures} />
        </div>
      )}
    </div>
  )
}

/** What the plugin keeps in step with WoowUp, one row per feed: on or off, records per status, latest failures. */
export const FeedsSection = ({ feeds }: { feeds: Record<FeedName, FeedStatus> }) => (
  <Container className="divide-y p-0" data-testid="woowup-feeds">
    <div className="px-6 py-4">
      <Heading level="h2">Feeds</Heading>
      <Text size="small" className="text-ui-fg-subtle">
        What the plugin keeps in step with WoowUp, and the latest of what WoowUp did not take.
      </Text>
    </div>
    {/* A feed the server does not report (an older server) has no row. */}
    {FEEDS.filter((feed) => feeds[feed.name]).map((feed) => (
      <FeedRow key={feed.name} feed={feed} status={feeds[feed.name]} />
    ))}
  </Container>
)
