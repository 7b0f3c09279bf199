/**
 * "WoowUp calls per order" for each scenario (returning customer, new customer, …) and the SQL queries a redelivered
 * `payment.captured` costs: measured in process by the agent (`bench/agent/calls-scenarios.ts`) against a sandbox.
 */
import { agentOutput } from "../bench"
import { TARGETS } from "../targets"
import type { BenchPart } from "./part"

const LABELS: Record<string, string> = {
  returning_customer: "returning customer",
  new_customer: "new customer",
  customer_synced_at_signup: "customer synced at sign-up",
  same_event_three_times: "same event delivered 3 times",
  partial_capture_then_rest: "partial capture, then the rest",
  refund: "capture, then a half refund",
}

export const callsPart: BenchPart = {
  name: "calls",
  agentTasks: (bench, sandbox) => [{ mode: "scenarios", store: bench.base.store, sandbox, repeat: bench.options.repeat }],
  prepare: async (bench) => {
    const out = agentOutput(bench, "scenarios")
    return out && { calls: { scenarios: out.calls, woowup_connectors_per_order: 3 }, queries_per_redelivered_event: out.queries }
  },
  rows: (r, { miss, f }) => [
    ...(r.calls?.scenarios ?? []).map((s): [string, string, string] => [
      `WoowUp calls per order: ${LABELS[s.scenario]}`,
      `${f(s.per_order, 2)}${s.signup_calls !== undefined ? ` (+ ${s.signup_calls} at sign-up)` : ""} (WoowUp's connectors: 3) [${Object.entries(s.by_path).map(([k, v]) => `${v}× ${k}`).join(", ")}]`,
      s.scenario === "returning_customer" ? miss(s.per_order <= TARGETS.returningCalls, `returning customer costs ${s.per_order} calls, target 1.0`) : "",
    ]),
    ...(r.queries_per_redelivered_event
      ? [
          [
            "SQL queries per redelivered event (synced, fully captured order)",
            `${r.queries_per_redelivered_event.workflow} (award workflow), ${r.queries_per_redelivered_event.event} (whole payment.captured delivery)`,
            "",
          ] as [string, string, string],
        ]
      : []),
  ],
}
