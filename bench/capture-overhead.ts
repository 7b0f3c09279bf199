/**
 * The capture route with the plugin against without it: pairs of captures, one on each app, interleaved (which goes
 * first alternates), each on a quiet store; and from the capture route's answer to WoowUp storing the purchase.
 */
import { loginAdmin } from "../integration-tests/helpers"
import { httpClient, type SeededApp } from "../integration-tests/helpers/medusa-process"
import type { WoowupSandbox } from "../src/sandbox"
import { timedCapture, watchStoredPurchases } from "./capture-timing"
import { addKnownCustomers } from "./customers"
import type { BenchProcess } from "./processes"
import { say } from "./progress"
import type { CaptureFigures } from "./figures"
import type { BenchCustomer } from "./types"
import { percentile, round } from "./util"
import { waitUntil } from "./wait-until"

export async function captureOverhead(opts: {
  on: BenchProcess
  off: BenchProcess
  app: SeededApp
  sandbox: WoowupSandbox
  /** Pairs timed, and the warm-up's before them (not timed). */
  captures: number
  warmup: number
  customers: BenchCustomer[]
  orders: Array<{ order_id: string; payment_id: string }>
}): Promise<CaptureFigures> {
  const { on, off, app, sandbox } = opts
  const latencyMs = 100
  const pairs = opts.captures + opts.warmup
  const apiOn = httpClient(on.url)
  const apiOff = httpClient(off.url)
  const adminOn = await loginAdmin(apiOn, app.admin)
  const adminOff = await loginAdmin(apiOff, app.admin)
  // Returning customers (WoowUp knows them): the purchase is the plugin's first call. Their orders are authorized
  // and not captured; made by the bench agent (bulk through the order and payment modules), after the missed orders.
  addKnownCustomers(sandbox, opts.customers)
  const orders = Array.from({ length: pairs }, (_, i) => ({
    on: opts.orders[2 * i].order_id,
    onPayment: opts.orders[2 * i].payment_id,
    off: opts.orders[2 * i + 1].order_id,
    offPayment: opts.orders[2 * i + 1].payment_id,
  }))

  const purchases = watchStoredPurchases(sandbox)
  sandbox.setFaults({ latencyMs })

  const onMs: number[] = []
  const offMs: number[] = []
  const toWoowup: number[] = []
  const t = Date.now()
  for (let i = 0; i < pairs; i++) {
    const o = orders[i]
    const runOn = async () => {
      const r = await timedCapture(on.url, o.onPayment, adminOn)
      const stored = await purchases.storedAt(o.on)
      // Let the plugin finish (WoowUp's answer, the record) before the next capture: each capture on a quiet store.
      await waitUntil(`WoowUp's answer for ${o.on}`, () => sandbox.requests.some((q) => (q.body as any)?.invoice_number === o.on), 60_000, 5)
      await new Promise((res) => setTimeout(res, 150))
      return { ...r, toWoowup: stored - r.at }
    }
    const runOff = async () => {
      const r = await timedCapture(off.url, o.offPayment, adminOff)
      await new Promise((res) => setTimeout(res, 150))
      return r
    }
    // Alternate which goes first, so neither always follows the other.
    let a: Awaited<ReturnType<typeof runOn>>
    let b: Awaited<ReturnType<typeof runOff>>
    if (i % 2 === 0) {
      a = await runOn()
      b = await runOff()
    } else {
      b = await runOff()
      a = await runOn()
    }
    if (i >= opts.warmup) {
      onMs.push(a.ms)
      offMs.push(b.ms)
      toWoowup.push(a.toWoowup)
    }
  }
  purchases.stop()
  sandbox.setFaults({})
  say(`  ${pairs} capture pairs in ${((Date.now() - t) / 1000).toFixed(1)} s`)

  const p = (xs: number[], q: number) => round(percentile(xs, q), 1)
  return {
    pairs: opts.captures,
    samples: { on: onMs.map((x) => round(x, 1)), off: offMs.map((x) => round(x, 1)) },
    plugin_on: { p50_ms: p(onMs, 50), p95_ms: p(onMs, 95) },
    plugin_off: { p50_ms: p(offMs, 50), p95_ms: p(offMs, 95) },
    p50_ratio: round(percentile(onMs, 50) / percentile(offMs, 50), 3),
    p95_ratio: round(percentile(onMs, 95) / percentile(offMs, 95), 3),
    median_paired_diff_ms: round(percentile(onMs.map((x, i) => x - offMs[i]), 50), 1),
    mean_ratio: round(onMs.reduce((a, b) => a + b, 0) / offMs.reduce((a, b) => a + b, 0), 3),
    min_ms: { on: round(Math.min(...onMs), 1), off: round(Math.min(...offMs), 1) },
    capture_to_woowup: { p50_ms: p(toWoowup, 50), p95_ms: p(toWoowup, 95), max_ms: round(Math.max(...toWoowup), 1), latency_ms: latencyMs },
    plugin_off_is:
      "the same app configuration without the plugin (medusa-config.js without the WoowUp module and no src/: no WoowUp " +
      "subscribers, routes, links or job), a second `medusa start` on the same database, captures interleaved with the plugin's",
  }
}
