/**
 * "Catch-up, 1 (shared)": the missed orders caught up by one process (shared mode: routes, subscribers and the
 * resync in one), WoowUp limited to R a minute; with its resident memory and its live heap (V8 inspector).
 */
import path from "node:path"
import { loginAdmin } from "../../integration-tests/helpers"
import { freePort, httpClient, REPO } from "../../integration-tests/helpers/medusa-process"
import { startWoowupSandbox } from "../../src/sandbox"
import { catchUp, catchUpRows } from "../catch-up"
import { onCleanup } from "../cleanups"
import { addKnownCustomers } from "../customers"
import { HeapProbe } from "../inspector"
import { pluginEnv } from "../plugin-env"
import { BenchProcess } from "../processes"
import { say, step, WORK } from "../progress"
import type { BenchPart } from "./part"

export const catchupPart: BenchPart = {
  name: "catchup",
  measure: async ({ options, base, rpm, concurrency, known, window, results }) => {
    if (!window) {
      return {}
    }
    step(`Catch-up, one process: ${options.orders} missed orders, WoowUp limited to ${rpm}/min`)
    const sandbox = await startWoowupSandbox({ port: 0, requestsPerMinute: rpm, apiKey: `bench-one-${process.pid}` })
    onCleanup(() => sandbox.close())
    addKnownCustomers(sandbox, known)
    const on = new BenchProcess(
      "shared",
      await freePort(),
      pluginEnv(base, sandbox, { requestsPerMinute: rpm, reconcile: { enabled: false, concurrency } }),
      path.join(WORK, "shared.log"),
      REPO,
      await freePort()
    )
    onCleanup(() => on.stop())
    say(`  up in ${((await on.start()) / 1000).toFixed(1)} s`)
    const probe = new HeapProbe(on.inspectPort!)
    await probe.connect()
    onCleanup(async () => probe.close())
    const api = httpClient(on.url)
    const admin = await loginAdmin(api, base.admin)
    const one = await catchUp({ label: "1 (shared)", api, admin, sandbox, windows: [window], orders: options.orders, rpm, concurrency, smoke: options.smoke, memoryOf: [on], cpuOf: [on], probe })
    say(`  ${one.requests_per_min}/min of ${rpm} (${one.share_of_limit}), ${one.too_many_429} × 429, ${one.orders_per_min} orders/min, ${one.total_s} s`)
    probe.close()
    await on.stop()
    await sandbox.close()
    return { catchup: { ...results.catchup, one_process: one } }
  },
  rows: (r, table) => catchUpRows(r.catchup?.one_process, "one process", table),
}
