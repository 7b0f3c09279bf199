import { identityQuery, invalidArgument, pickIdentity } from "./call-helpers"
import type { WoowupCallOptions } from "./client-types"
import type { RequestExecutor } from "./request-executor"
import {
  pointsPayloadSchema,
  transactionListPayloadSchema,
  type ListTransactionsOptions,
  type WoowupIdentity,
  type WoowupPointsInput,
  type WoowupPointsResult,
  type WoowupTransaction,
} from "./schemas"

// The points calls of `WoowupClient` (`/multiusers/points`, `/multiusers/transactions`).

/**
 * `POST /multiusers/points` (`points` may be negative). WoowUp does not de-duplicate these, so the client
 * repeats one only when it surely was not applied (429, connection refused). On a timeout, reset or 5xx it
 * throws with `outcomeUnknown: true`: look for the call in `listTransactions` (e.g. by a unique token in
 * `description`) before sending it again.
 */
export async function addPoints(
  requests: RequestExecutor,
  input: WoowupPointsInput,
  options?: WoowupCallOptions
): Promise<WoowupPointsResult> {
  const path = "/multiusers/points"
  identityQuery("POST", path, input)
  if (!Number.isInteger(input.points)) throw invalidArgument("POST", path, "points must be an integer")
  if (!input.concept?.trim()) throw invalidArgument("POST", path, "concept is required")
  const body: Record<string, unknown> = { ...pickIdentity(input), points: input.points, concept: input.concept }
  if (input.description !== undefined) body.description = input.description
  const spec = { method: "POST", path, body, idempotent: false, priority: "orders" } as const
  return (await requests.write(spec, pointsPayloadSchema, options)) ?? null
}

/**
 * `GET /multiusers/transactions`: one page (0-based `page`, `limit` 1..100). There is no total: loop until a
 * page comes back empty (a shorter page is no end: an account may cap pages below `limit`). Give `from` and `to`
 * with an explicit offset (`formatWoowupDate`): a zone-less time may be read as the account's local time.
 */
export async function listTransactions(
  requests: RequestExecutor,
  identity: WoowupIdentity,
  options: ListTransactionsOptions = {},
  callOptions?: WoowupCallOptions
): Promise<WoowupTransaction[]> {
  const path = "/multiusers/transactions"
  const query: Record<string, string | number | undefined> = identityQuery("GET", path, identity)
  if (options.page !== undefined && !(Number.isInteger(options.page) && options.page >= 0)) {
    throw invalidArgument("GET", path, "page must be an integer >= 0")
  }
  if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit >= 1 && options.limit <= 100)) {
    throw invalidArgument("GET", path, "limit must be an integer from 1 to 100")
  }
  query.from = options.from
  query.to = options.to
  query.page = options.page
  query.limit = options.limit
  const spec = { method: "GET", path, query, idempotent: true, priority: "orders" } as const
  return requests.read(spec, transactionListPayloadSchema, callOptions)
}
