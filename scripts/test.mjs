// `npm test`: every suite, in order, against an embedded Postgres when the machine names no database.
// Each WoowUp-facing suite starts its own sandbox, so no WoowUp account is needed.
import { spawnSync } from "node:child_process"
import { ensureDatabase } from "./services.mjs"

const ALL = ["unit", "integration:woowup", "integration:modules", "integration:http", "integration:package"]
const only = process.argv.slice(2).filter((a) => !a.startsWith("-"))
const types = only.length ? only : ALL
const jestArgs = process.argv.slice(2).filter((a) => a.startsWith("-"))

const db = await ensureDatabase()
let failed = []
try {
  for (const type of types) {
    console.log(`\n=== ${type} ===`)
    const inBand = type === "unit" ? [] : ["--runInBand"]
    const run = spawnSync("npx", ["jest", "--silent=false", "--forceExit", "--passWithNoTests", ...inBand, ...jestArgs], {
      stdio: "inherit",
      env: { ...process.env, TEST_TYPE: type, NODE_OPTIONS: "--experimental-vm-modules", MEDUSA_DISABLE_TELEMETRY: "true" },
    })
    if (run.status !== 0) {
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
