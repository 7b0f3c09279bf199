/**
 * The bench's in-process part, run by `bench/run.ts` through `medusa exec ./bench/agent.ts` (Medusa's own container
 * and modules; `medusa exec` loads the app's subscribers too, so the plugin reacts to events on the local event
 * bus). What to do is in the JSON file named by BENCH_AGENT_IN; the answer goes to BENCH_AGENT_OUT.
 *
 * - `missed-orders` (./agent/missed-orders.ts): N real orders with captured payment collections that the plugin
 *   never heard of, and orders only authorized, for the capture route.
 * - `scenarios` (./agent/calls-scenarios.ts): WoowUp calls per rewarded order and the SQL queries a redelivered
 *   event costs.
 * - `query` (./agent/reconcile-query.ts): the reconcile job's page query on a large table, timed, with EXPLAIN ANALYZE.
 * - `catalog-variants` (./agent/catalog-variants.ts): a catalog WoowUp has never seen, for the catalog's backfill.
 * - `redeem` (./agent/redeem.ts): cart completion with points against without, and the calls of a redeemed order.
 * - `history-orders` (./agent/history-orders.ts): captured orders dated back, for the history import.
 * - `history-query` (./agent/history-query.ts): the import's page query on a large table, with EXPLAIN ANALYZE.
 *
 * A new task: its input and output in ./types.ts, a file in ./agent/, and its line in `TASKS`.
 */
import fs from "node:fs"
import type { ExecArgs, MedusaContainer } from "@medusajs/framework/types"
import { createCatalogVariants } from "./agent/catalog-variants"
import { runScenarios } from "./agent/calls-scenarios"
import { createHistoryOrders } from "./agent/history-orders"
import { measureHistoryQuery } from "./agent/history-query"
import { createMissedOrders } from "./agent/missed-orders"
import { measureQuery } from "./agent/reconcile-query"
import { measureRedeem } from "./agent/redeem"
import type { AgentInput, AgentOutput } from "./types"

type Task<M extends AgentInput["mode"]> = (container: MedusaContainer, input: Extract<AgentInput, { mode: M }>) => Promise<Extract<AgentOutput, { mode: M }>>

const TASKS: { [M in AgentInput["mode"]]: Task<M> } = {
  "missed-orders": async (container, input) => ({ mode: "missed-orders", ...(await createMissedOrders(container, input)) }),
  scenarios: async (container, input) => ({ mode: "scenarios", ...(await runScenarios(container, input)) }),
  query: async (container, input) => ({ mode: "query", query: await measureQuery(container, input) }),
  "catalog-variants": async (container, input) => ({ mode: "catalog-variants", ...(await createCatalogVariants(container, input)) }),
  redeem: async (container, input) => ({ mode: "redeem", ...(await measureRedeem(container, input)) }),
  "history-orders": async (container, input) => ({ mode: "history-orders", ...(await createHistoryOrders(container, input)) }),
  "history-query": async (container, input) => ({ mode: "history-query", query: await measureHistoryQuery(container, input) }),
}

export default async function benchAgent({ container }: ExecArgs) {
  const tasks = JSON.parse(fs.readFileSync(process.env.BENCH_AGENT_IN!, "utf8")) as AgentInput[]
  const outputs: AgentOutput[] = []
  for (const input of tasks) {
    const task = TASKS[input.mode] as Task<typeof input.mode>
    outputs.push(await task(container, input))
  }
  fs.writeFileSync(process.env.BENCH_AGENT_OUT!, JSON.stringify(outputs))
}
