/**
 * Before any part measures: a database (embedded unless the machine names one), the seeded store cloned from the
 * template, the catch-ups' limit and concurrency, and one in-process agent run that makes the missed and the only
 * authorized orders and does every part's in-process work.
 */
import fs from "node:fs"
import path from "node:path"
import { createSeededApp, REPO } from "../integration-tests/helpers/medusa-process"
import { startWoowupSandbox } from "../src/sandbox"
import type { Bench } from "./bench"
import { onCleanup } from "./cleanups"
import { captureCustomers, missedOrderCustomers } from "./customers"
import type { BenchOptions } from "./options"
import type { BenchPart } from "./parts/part"
import { say, step, WORK } from "./progress"
import type { Results } from "./figures"
import { runAgent } from "./run-agent"
import type { AgentInput } from "./types"

/** Above this a catch-up's limit measures the CPU of a 2-core machine, not the plugin (see `catchUpRate`). */
const CPU_SAFE_RPM = 1000

/**
 * About a minute per catch-up, but not above what one process on this machine can feed: on 2 shared cores one
 * process sends 1,100 to 1,700 calls a minute at most (measured), and a limit above that would measure the CPU,
 * not how close the plugin gets to the limit. 1,000 a minute is 7 times WoowUp's real 140.
 *
 * The catch-up keeps R/60 × (the time one order takes, about 0.25 s here) orders in flight at the limiter. The
 * plugin's default of 4 is far more than WoowUp's real 140 a minute needs, but at the bench's R it is not enough,
 * so the bench sets reconcile.concurrency to R / 125, at least 4: 8 at R = 1,000 (measured at 1,000 with 4: 0.95
 * of R, with 8: 0.97).
 */
function catchUpRate(options: BenchOptions, customers: number, known: number) {
  // Calls the catch-up makes: one purchase each, plus a customer creation and a second purchase for the first
  // order of each customer WoowUp does not know.
  const expectedCalls = options.orders + 2 * (customers - known)
  const rpm = options.rpm ?? Math.max(140, Math.min(expectedCalls, CPU_SAFE_RPM))
  const concurrency = options.concurrency ?? Math.min(32, Math.max(4, Math.ceil(rpm / 125)))
  return { rpm, concurrency }
}

export async function setUpBench(options: BenchOptions, results: Results, parts: BenchPart[]): Promise<Bench> {
  fs.mkdirSync(WORK, { recursive: true })
  const { ensureDatabase } = await import(path.join(REPO, "scripts/services.mjs"))
  step("Database")
  const db = await ensureDatabase({ log: (l: string) => say(`  ${l}`) })
  onCleanup(db.stop)
  const base = await createSeededApp("bench", { log: (l) => say(`  ${l}`) })
  onCleanup(base.drop)
  say(`  migrated and seeded database ready`)

  const asked = (name: string) => options.parts.includes(name)
  const { customers, known } = missedOrderCustomers(options.orders)
  const capturePairs = options.captures + options.warmup
  const bench: Bench = {
    options,
    results,
    base,
    ...catchUpRate(options, customers.length, known.length),
    known,
    authorized: [],
    captureCustomers: captureCustomers(capturePairs),
    capturePairs,
    // Captures timed quiet, and as many under a storefront flood (bench/storefront-flood.ts).
    floodCaptures: options.smoke ? 1 : 10,
    agent: [],
  }

  // The missed orders (for the catch-ups) and the orders only authorized (for the capture route), first; then the
  // parts' own tasks, in one agent on the base database (one boot).
  const tasks: AgentInput[] = []
  const wantsCatchup = asked("catchup") || asked("cluster")
  if (wantsCatchup || asked("capture")) {
    tasks.push({
      mode: "missed-orders",
      store: base.store,
      count: wantsCatchup ? options.orders : 0,
      customers,
      authorized: { count: asked("capture") ? 2 * bench.capturePairs + 2 * bench.floodCaptures : 0, customers: bench.captureCustomers },
    })
  }
  const sandbox = await startWoowupSandbox({ port: 0, apiKey: `bench-calls-${process.pid}` })
  onCleanup(() => sandbox.close())
  const ref = { url: sandbox.url, controlUrl: sandbox.controlUrl, apiKey: sandbox.apiKey }
  for (const part of parts.filter((p) => asked(p.name))) {
    tasks.push(...(part.agentTasks?.(bench, ref) ?? []))
  }
  if (tasks.length) {
    step(`In process (medusa exec): ${tasks.map((t) => t.mode).join(", ")}`)
    bench.agent = await runAgent(
      base,
      tasks,
      // Points can be spent at checkout (the redeem part); nothing else changes with it.
      {
        WOOWUP_API_URL: sandbox.url,
        WOOWUP_API_KEY: sandbox.apiKey,
        WOOWUP_OPTIONS: JSON.stringify({ reconcile: { enabled: false }, redeem: { enabled: true, pointValue: 0.1 } }),
      },
      Math.max(600_000, options.orders * 200)
    )
    for (const out of bench.agent) {
      if (out.mode === "missed-orders") {
        bench.window = { from: out.from, to: out.to, middle: out.middle }
        bench.authorized = out.authorized
        say(`  ${out.count} missed orders (captured, never seen by the plugin) in ${(out.ms / 1000).toFixed(1)} s`)
      }
    }
  }
  await sandbox.close()
  return bench
}
