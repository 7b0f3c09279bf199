/**
 * `npm run bench`: how close the plugin gets to WoowUp's 140 requests a minute without a wasted call, and how little
 * it costs the store it runs in. Runs on the embedded defaults (an embedded PostgreSQL unless DATABASE_URL / DB_HOST
 * name one, the WoowUp sandbox, the machine's Redis for the three-process run when one answers), prints a table and
 * writes it as JSON (`bench/results.json`).
 *
 *   npm run bench                      # the default run (about 10 minutes on 2 cores)
 *   npm run bench -- --orders 20000    # a larger catch-up
 *   npm run bench -- --smoke           # tiny numbers, to check it works (part of `npm test`)
 *
 * Options: --orders N (missed orders to catch up, default 2000), --rpm R (the sandbox's and the plugin's limit for
 * the catch-up, default: the catch-up's calls in a minute, at most 1,000), --captures K (capture pairs, default 100),
 * --query-orders Q (orders for the job's query, default 100000), --query-carts C (carts for the abandoned carts'
 * page query, default 100000), --repeat K (orders per calls scenario, default 3),
 * --concurrency C (the catch-up's reconcile.concurrency, default R / 125, at least 4),
 * --catalog-variants N (the catalog backfill's variants, default 10000), --catalog-captures K (captures during it and
 * without it, default 20), --catalog-rpm R (the sandbox's and the plugin's limit for the catalog, default 2000),
 * --import-orders N (the history import's orders, default 20000), --import-captures K (captures during it and
 * without it, default 20), --import-rpm R (the sandbox's and the plugin's limit for the import, default 1000),
 * --import-query-orders Q (orders for the import's page query, default 100000),
 * --only calls,catchup,cluster,capture,query,catalog,carts,import (parts to run), --out FILE.
 *
 * Each part (its measuring and its rows) is a file in `bench/parts/`; this runs the ones asked for, in the order of
 * `PARTS`, and prints the table.
 */
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { runCleanups } from "./cleanups"
import { parseArgs } from "./options"
import { PARTS } from "./parts"
import { elapsedS, say } from "./progress"
import { startResults } from "./figures"
import { setUpBench } from "./setup"
import { renderTable } from "./table"
import { round } from "./util"

async function main() {
  const options = parseArgs(process.argv.slice(2), PARTS.map((p) => p.name))
  const results = startResults(options)
  const parts = PARTS.filter((p) => options.parts.includes(p.name))
  const bench = await setUpBench(options, results, parts)
  for (const part of parts) {
    Object.assign(results, await part.prepare?.(bench))
  }
  for (const part of parts) {
    Object.assign(results, await part.measure?.(bench))
  }

  results.duration_s = round(elapsedS(), 0)
  results.machine.load_avg_at_end = os.loadavg().map((l) => round(l, 2))
  const { table, misses } = renderTable(results, PARTS)
  results.table = table
  results.misses = misses
  fs.mkdirSync(path.dirname(options.out), { recursive: true })
  fs.writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`)
  say(`\n${table}`)
  say(`\nWritten to ${path.relative(process.cwd(), options.out)} in ${results.duration_s} s.`)
}

main()
  .catch((e) => {
    process.stderr.write(`\nbench failed: ${(e as Error).stack ?? e}\n`)
    process.exitCode = 1
  })
  .finally(async () => {
    const code = process.exitCode ?? 0
    await runCleanups()
    // Keep-alive sockets and timers of the helpers must not hold the process (and the embedded Postgres' exit hook
    // must not turn a failure into success).
    process.exit(code)
  })
