/**
 * What a part of the bench is: a name for `--only`, how it measures, and its rows of the table. A new figure is a
 * new file in `bench/parts/` exporting one `BenchPart`, plus its line in `PARTS` (`bench/parts/index.ts`).
 *
 * A run goes: the store is set up and the in-process agent runs every part's `agentTasks` in one `medusa exec`
 * (one boot of Medusa for all); then every part's `prepare`, in the list's order; then every part's `measure`, in
 * the list's order; then the table, its rows in the list's order.
 */
import type { Bench } from "../bench"
import type { Results } from "../figures"
import type { Row, TableTools } from "../table"
import type { AgentInput, SandboxRef } from "../types"

export type BenchPart = {
  /** Its name in `--only`. */
  name: string
  /** Work for the in-process agent (`bench/agent.ts`), which talks to `sandbox`; its answers are in `bench.agent`. */
  agentTasks?: (bench: Bench, sandbox: SandboxRef) => AgentInput[]
  /** Runs after the agent and before any part measures (e.g. a database cloned before anything catches up). */
  prepare?: (bench: Bench) => Promise<Partial<Results> | void>
  /** Measures, and returns its figures (merged into the results). */
  measure?: (bench: Bench) => Promise<Partial<Results>>
  /** Its rows, from the results (none when it did not run). */
  rows: (results: Results, table: TableTools) => Row[]
}
