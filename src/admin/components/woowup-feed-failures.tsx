import { Table, Text } from "@medusajs/ui"
import { Link } from "react-router-dom"
import { errorText, formatDate } from "../lib/format"
import type { FeedFailure, FeedName } from "../lib/types"

/** Where a failure's entity has a page in the dashboard (a variant id alone does not name its product's page). */
const PAGE: Record<FeedName, ((id: string) => string) | null> = {
  orders: (id) => `/orders/${id}`,
  customers: (id) => `/customers/${id}`,
  products: null,
  carts: null,
}

/** What WoowUp was sent, for the error sentence ("WoowUp refused the customer as invalid"). */
const WHAT: Record<FeedName, string> = { orders: "purchase", customers: "customer", products: "product", carts: "cart" }

const ENTITY: Record<FeedName, string> = { orders: "Order", customers: "Customer", products: "Variant", carts: "Cart" }

// A reconcile retries only what is worth retrying: an order WoowUp refused for good is resent from its own page.
const nextAttempt = (feed: FeedName, failure: FeedFailure): string =>
  failure.retryable
    ? failure.next_attempt_at
      ? formatDate(failure.next_attempt_at)
      : "Soon"
    : feed === "orders"
      ? "Only with Resync on the order's page"
      : "Only on a resync"

/** A feed's latest failures: what failed, why, and when it is tried again on its own. */
export const FeedFailures = ({ feed, failures }: { feed: FeedName; failures: FeedFailure[] }) => {
  const page = PAGE[feed]
  return (
    <Table data-testid={`woowup-feed-${feed}-failures`}>
      <Table.Header>
        <Table.Row>
          <Table.HeaderCell>{ENTITY[feed]}</Table.HeaderCell>
          <Table.HeaderCell>Why it failed</Table.HeaderCell>
          <Table.HeaderCell>Next try</Table.HeaderCell>
          <Table.HeaderCell>When</Table.HeaderCell>
        </Table.Row>
      </Table.Header>
      <Table.Body>
        {failures.map((failure) => (
          <Table.Row key={failure.entity_id}>
            <Table.Cell>
              {page ? (
                <Link
                  to={page(failure.entity_id)}
                  className="text-ui-fg-interactive hover:text-ui-fg-interactive-hover txt-compact-small"
                >
                  {failure.entity_id}
                </Link>
              ) : (
                <Text size="small">{failure.entity_id}</Text>
              )}
            </Table.Cell>
            <Table.Cell className="whitespace-normal">{errorText(failure.error_code, failure.reason, WHAT[feed])}</Table.Cell>
            <Table.Cell>{nextAttempt(feed, failure)}</Table.Cell>
            <Table.Cell>{formatDate(failure.updated_at)}</Table.Cell>
          </Table.Row>
        ))}
      </Table.Body>
    </Table>
  )
}
