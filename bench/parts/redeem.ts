/**
 * "Cart completion p50 with points applied vs without" and "WoowUp calls per redeemed order": spending points at
 * checkout (docs/redeem-points.md), measured in process by the agent (`bench/agent/redeem.ts`) against a sandbox.
 */
import { agentOutput } from "../bench"
import type { BenchPart } from "./part"

// Few pairs: each apply and each completion with points reads the balance at the storefront's priority, which gets a
// quarter of `requestsPerMinute` (35 a minute by default); more would measure the rate limit, not the completion.
export const redeemPart: BenchPart = {
  name: "redeem",
  agentTasks: (bench, sandbox) => [
    { mode: "redeem", store: bench.base.store, sandbox, pairs: bench.options.smoke ? 2 : 10, warmup: bench.options.smoke ? 1 : 2 },
  ],
  prepare: async (bench) => {
    const out = agentOutput(bench, "redeem")
    if (!out) {
      return
    }
    const { mode: _mode, ...redeem } = out
    return { redeem }
  },
  rows: (r, { miss, f }) => {
    const x = r.redeem
    if (!x) {
      return []
    }
    const extra = x.complete_ms.with_points.p50 - x.complete_ms.without_points.p50
    const paths = (by: Record<string, number>) => Object.entries(by).map(([k, v]) => `${v}× ${k}`).join(", ")
    return [
      [
        `Cart completion p50 / p95, 20 points applied vs none (${x.pairs} pairs)`,
        `with ${f(x.complete_ms.with_points.p50)} / ${f(x.complete_ms.with_points.p95)} ms, without ${f(x.complete_ms.without_points.p50)} / ${f(x.complete_ms.without_points.p95)} ms; p50 ${f(extra)} ms more, one WoowUp round trip ${f(x.woowup_round_trip_p50_ms)} ms`,
        // The completion check reads the balance once: one round trip (and the hold's small queries).
        miss(extra <= x.woowup_round_trip_p50_ms, `completion with points is ${f(extra)} ms slower, target within one WoowUp round trip (${f(x.woowup_round_trip_p50_ms)} ms)`),
      ],
      [
        "WoowUp calls per redeemed order (apply, complete, capture) vs without points",
        `${x.calls.redeemed.calls} [${paths(x.calls.redeemed.by_path)}] vs ${x.calls.without_points.calls} [${paths(x.calls.without_points.by_path)}]`,
        "",
      ],
    ]
  },
}
