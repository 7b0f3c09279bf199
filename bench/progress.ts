/** What the bench prints while it runs, and where its processes keep their logs. */
import path from "node:path"
import { REPO } from "../integration-tests/helpers/medusa-process"

const started = Date.now()

/** The bench's scratch directory: the Medusa processes' logs, the app without the plugin, the smoke figures. */
export const WORK = path.join(REPO, ".tmp", "bench")

/** Seconds since the bench started. */
export const elapsedS = () => (Date.now() - started) / 1000

export const say = (line = "") => {
  process.stdout.write(`${line}\n`)
}

/** A heading for the next stage, with the seconds so far. */
export const step = (line: string) => say(`\n▸ ${line} (${elapsedS().toFixed(0)} s)`)
