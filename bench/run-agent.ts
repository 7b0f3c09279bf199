/** Runs the bench's in-process agent (`medusa exec ./bench/agent.ts`) on a database, with its tasks, and reads its answers. */
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { medusaEnv, runMedusa, type SeededApp } from "../integration-tests/helpers/medusa-process"
import { say } from "./progress"
import type { AgentInput, AgentOutput } from "./types"

export async function runAgent(app: SeededApp, input: AgentInput[], env: Record<string, string | undefined>, timeoutMs: number): Promise<AgentOutput[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "woowup-bench-agent-"))
  const inFile = path.join(dir, "in.json")
  const outFile = path.join(dir, "out.json")
  fs.writeFileSync(inFile, JSON.stringify(input))
  const output = await runMedusa(
    ["exec", "./bench/agent.ts"],
    medusaEnv({
      NODE_ENV: "production",
      DATABASE_URL: app.databaseUrl,
      REDIS_URL: undefined,
      WOOWUP_REDIS_MODULES: undefined,
      BENCH_AGENT_IN: inFile,
      BENCH_AGENT_OUT: outFile,
      ...env,
    }),
    timeoutMs
  )
  for (const line of output.split("\n").filter((l) => l.includes("[bench agent]"))) {
    say(`  ${line.replace(/^.*\[bench agent\] /, "")}`)
  }
  const out = JSON.parse(fs.readFileSync(outFile, "utf8")) as AgentOutput[]
  fs.rmSync(dir, { recursive: true, force: true })
  return out
}
