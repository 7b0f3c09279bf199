/**
 * "Capture route p50 / p95, plugin on vs off", "Capture → purchase stored in WoowUp", then "Capture → WoowUp under a
 * storefront flood": the app with the plugin and the same app without it, on the same database, WoowUp (the sandbox,
 * with its real limit of 140 a minute) answering in 100 ms.
 */
import path from "node:path"
import { loginAdmin } from "../../integration-tests/helpers"
import { freePort, httpClient } from "../../integration-tests/helpers/medusa-process"
import { startWoowupSandbox } from "../../src/sandbox"
import { captureOverhead } from "../capture-overhead"
import { onCleanup } from "../cleanups"
import { pluginEnv } from "../plugin-env"
import { BenchProcess, pluginOffApp } from "../processes"
import { say, step, WORK } from "../progress"
import { captureUnderFlood, floodRow } from "../storefront-flood"
import type { Row } from "../table"
import { TARGETS } from "../targets"
import type { BenchPart } from "./part"

export const capturePart: BenchPart = {
  name: "capture",
  measure: async ({ options, base, authorized, captureCustomers, capturePairs, floodCaptures }) => {
    step("The app with the plugin, and without it")
    const sandbox = await startWoowupSandbox({ port: 0, apiKey: `bench-capture-${process.pid}` })
    onCleanup(() => sandbox.close())
    const on = new BenchProcess("plugin-on", await freePort(), pluginEnv(base, sandbox, { reconcile: { enabled: false } }), path.join(WORK, "plugin-on.log"))
    const off = new BenchProcess("plugin-off", await freePort(), pluginEnv(base, sandbox, {}), path.join(WORK, "plugin-off.log"), pluginOffApp(path.join(WORK, "app-off")))
    onCleanup(() => on.stop(), () => off.stop())
    const bootMs = await Promise.all([on.start(), off.start()])
    say(`  up in ${bootMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(", ")} (logs in .tmp/bench)`)
    step(`Capture overhead: ${options.captures} interleaved captures with and without the plugin, WoowUp answering in 100 ms`)
    const capture = await captureOverhead({ on, off, app: base, sandbox, captures: options.captures, warmup: options.warmup, customers: captureCustomers, orders: authorized })
    say(`  p50 ${capture.plugin_on.p50_ms} ms with, ${capture.plugin_off.p50_ms} ms without (×${capture.p50_ratio}); capture → WoowUp p50 ${capture.capture_to_woowup.p50_ms} ms`)
    await off.stop()
    step(`Capture → WoowUp under a storefront flood: ${floodCaptures} captures quiet, ${floodCaptures} among 100 points reads`)
    const flood = await captureUnderFlood({
      url: on.url,
      admin: await loginAdmin(httpClient(on.url), base.admin),
      publishableKey: base.store.publishableKey,
      sandbox,
      orders: authorized.slice(2 * capturePairs),
      say,
    })
    say(`  flood p50 ${flood.capture_to_woowup.flood.p50_ms} ms, quiet p50 ${flood.capture_to_woowup.quiet.p50_ms} ms`)
    await on.stop()
    await sandbox.close()
    return { capture, flood }
  },
  rows: (r, { miss, f }) => {
    const rows: Row[] = []
    const c = r.capture
    if (c) {
      rows.push([
        `Capture route p50 / p95, plugin on vs off (${c.pairs} pairs)`,
        `on ${f(c.plugin_on.p50_ms)} / ${f(c.plugin_on.p95_ms)} ms, off ${f(c.plugin_off.p50_ms)} / ${f(c.plugin_off.p95_ms)} ms; ratio p50 ${f(c.p50_ratio, 3)}, p95 ${f(c.p95_ratio, 3)}, mean ${f(c.mean_ratio, 3)}; median of paired differences ${f(c.median_paired_diff_ms)} ms`,
        miss(c.p50_ratio <= TARGETS.captureOverhead, `capture p50 is ${f((c.p50_ratio - 1) * 100)}% slower with the plugin, target within 5%`),
      ])
      rows.push([
        `Capture → purchase stored in WoowUp (WoowUp answers in ${c.capture_to_woowup.latency_ms} ms)`,
        `p50 ${f(c.capture_to_woowup.p50_ms)} ms, p95 ${f(c.capture_to_woowup.p95_ms)} ms`,
        miss(c.capture_to_woowup.p50_ms < TARGETS.captureToWoowupP50Ms, `capture → WoowUp p50 ${f(c.capture_to_woowup.p50_ms)} ms, target under 1 s`),
      ])
    }
    if (r.flood) {
      const { row, ok, miss: text } = floodRow(r.flood)
      rows.push([...row, miss(ok, text)])
    }
    return rows
  },
}
