// `npm test`: every suite, in order, against an embedded Postgres when the machine names no database.
// Each WoowUp-facing suite starts its own sandbox, so no WoowUp account is needed.
import { spawn } from "node:child_process"
import fs from "node:fs"
import { ensureDatabase } from "./services.mjs"

// bench (the smoke run of `npm run bench`) after integration:process, whose template database it reuses.
const ALL = ["unit", "integration:woowup", "integration:modules", "integration:http", "integration:process", "bench", "integration:package", "integration:browser"]
// The admin browser test drives Debian's Chromium (apt-get install -y chromium); without one it is skipped, saying so.
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium"
const only = process.argv.slice(2).filter((a) => !a.startsWith("-"))
const types = only.length ? only : ALL
const jestArgs = process.argv.slice(2).filter((a) => a.startsWith("-"))

const db = await ensureDatabase()
let failed = []
try {
  for (const type of types) {
    console.log(`\n=== ${type} ===`)
    if (type === "integration:browser" && !fs.existsSync(CHROMIUM)) {
      console.log(`SKIPPED integration:browser: no Chromium at ${CHROMIUM} (install it with \`apt-get install -y chromium\`, or set CHROMIUM_PATH)`)
      continue
    }
    // One suite at a time, in a worker that is replaced once it holds more than 1.5 GB after a suite: every suite
    // boots a Medusa app, and one process running them all in band ran out of heap (3.7 GB) after about twenty.
    const inBand = type === "unit" ? [] : ["--maxWorkers=1", "--workerIdleMemoryLimit=1536MB"]
    // Never spawnSync: this process must keep reading the embedded Postgres' output, or Postgres blocks on a full pipe.
    const status = await new Promise((resolve) => {
      spawn("npx", ["jest", "--silent=false", "--forceExit", "--passWithNoTests", ...inBand, ...jestArgs], {
        stdio: "inherit",
        env: { ...process.env, TEST_TYPE: type, NODE_OPTIONS: "--experimental-vm-modules", MEDUSA_DISABLE_TELEMETRY: "true" },
      }).on("exit", (code) => resolve(code))
    })
    if (status !== 0) {
      failed.push(type)
    }
  }
} finally {
  await db.stop()
}
if (failed.length) {
  console.error(`\nFailed: ${failed.join(", ")}`)
  process.exit(1)
}
