/** What every part of a bench run may use: the options, the figures so far, the seeded store and what the agent made. */
import type { SeededApp } from "../integration-tests/helpers/medusa-process"
import type { BenchOptions } from "./options"
import type { Results } from "./figures"
import type { AgentOutput, BenchCustomer } from "./types"

export type Bench = {
  options: BenchOptions
  /** The figures so far (each part's are merged in as it finishes). */
  results: Results
  /** The migrated and seeded database every part starts from. */
  base: SeededApp
  /** WoowUp's limit a minute for the catch-ups, and their reconcile.concurrency. */
  rpm: number
  concurrency: number
  /** Customers of the missed orders that WoowUp already knows (each catch-up puts them into its sandbox). */
  known: BenchCustomer[]
  /** The time window of the missed orders (and its middle), when the agent made them. */
  window?: { from: string; to: string; middle: string }
  /** Orders only authorized, of `captureCustomers`, for the capture route: 2 per capture pair, then the flood's. */
  authorized: Array<{ order_id: string; payment_id: string }>
  captureCustomers: BenchCustomer[]
  /** Capture pairs, the warm-up's included; captures timed quiet, and as many under a storefront flood. */
  capturePairs: number
  floodCaptures: number
  /** What the agent answered, one output per task. */
  agent: AgentOutput[]
}

/** The agent's answer of `mode`, if it was asked for one. */
export function agentOutput<M extends AgentOutput["mode"]>(bench: Bench, mode: M): Extract<AgentOutput, { mode: M }> | undefined {
  return bench.agent.find((o): o is Extract<AgentOutput, { mode: M }> => o.mode === mode)
}
