/**
 * The app as OS processes for the bench: `medusa start` of the repository's app (the plugin on) or of a copy of its
 * configuration without the plugin (the plugin off), each with its log file, its pid (for resident memory) and a
 * stop. The repository's `integration-tests/helpers/medusa-process.ts` does the same for the process tests, always
 * in the repository; this one also starts in another directory.
 */
import { spawn, type ChildProcess } from "node:child_process"
import fs from "node:fs"
import path from "node:path"
import { MedusaError } from "@medusajs/framework/utils"
import { REPO, tail } from "../integration-tests/helpers/medusa-process"

const MEDUSA_CLI = path.join(REPO, "node_modules", "@medusajs", "cli", "cli.js")

export class BenchProcess {
  readonly url: string
  private child?: ChildProcess

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
    readonly logFile: string,
    private readonly cwd: string = REPO,
    /** Opens the V8 inspector on this port (127.0.0.1), for {@link HeapProbe}. */
    readonly inspectPort?: number
  ) {
    this.url = `http://localhost:${port}`
  }

  get pid(): number | undefined {
    return this.child?.pid
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null
  }

  /** `medusa start`, then waits for `GET /health`. */
  async start(timeoutMs = 240_000): Promise<number> {
    const started = Date.now()
    const out = fs.openSync(this.logFile, "w")
    // BENCH_NODE_ARGS: Node flags for looking into a run (e.g. --cpu-prof); unset in normal runs.
    const nodeArgs = process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []
    if (this.inspectPort) {
      nodeArgs.push(`--inspect=127.0.0.1:${this.inspectPort}`)
    }
    this.child = spawn(process.execPath, [...nodeArgs, MEDUSA_CLI, "start"], {
      cwd: this.cwd,
      env: { ...this.env, PORT: String(this.port) },
      stdio: ["ignore", out, out],
    })
    fs.closeSync(out)
    while (Date.now() - started < timeoutMs) {
      if (!this.running) {
        throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `${this.name}: medusa start exited (${this.child.exitCode ?? this.child.signalCode}):\n${tail(this.log())}`)
      }
      if (await fetch(`${this.url}/health`).then((r) => r.ok, () => false)) {
        return Date.now() - started
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `${this.name}: no answer on /health within ${timeoutMs / 1000} s:\n${tail(this.log())}`)
  }

  /** SIGTERM, then SIGKILL after 10 s. */
  async stop(): Promise<void> {
    const child = this.child
    if (!child?.pid || !this.running) {
      return
    }
    const exited = new Promise((r) => child.once("exit", r))
    child.kill("SIGTERM")
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
    if (this.running) {
      child.kill("SIGKILL")
      await exited
    }
  }

  log(): string {
    return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, "utf8") : ""
  }

  /** Resident memory in MB (Linux /proc), or null. */
  rssMb(): number | null {
    return this.pid ? rssOf(this.pid) : null
  }
}

/** CPU time (user + system) the process has used, in seconds (Linux /proc), or null. */
export function cpuSecondsOf(pid: number): number | null {
  try {
    // Fields after the command (which may hold spaces) start at state; utime and stime are the 12th and 13th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return null
  }
}

/** Busy and total CPU time of the whole machine so far (Linux /proc/stat), in clock ticks. */
export function machineCpu(): { busy: number; total: number } | null {
  try {
    const cpu = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number)
    const idle = cpu[3] + (cpu[4] ?? 0)
    const total = cpu.reduce((a, b) => a + b, 0)
    return { busy: total - idle, total }
  } catch {
    return null
  }
}

export function rssOf(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8")
    const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1])
    return Number.isFinite(kb) ? kb / 1024 : null
  } catch {
    return null
  }
}

/**
 * A directory holding the app's configuration without the plugin: `medusa-config.js` with the same project settings
 * and the same payment module (the repository's test provider included) as `medusa-config.ts`, no WoowUp module, and
 * no `src/` (so no WoowUp subscribers, routes, links or job). Medusa itself is the repository's node_modules.
 */
export function pluginOffApp(dir: string): string {
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir")
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({
      name: "woowup-bench-plugin-off",
      private: true,
      version: "0.0.0",
      // `medusa start` runs only where package.json names Medusa.
      dependencies: { "@medusajs/medusa": "*", "@medusajs/framework": "*" },
    }))
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ extends: path.join(REPO, "tsconfig.json") }))
  const provider = path.join(REPO, "integration-tests/fixtures/auto-capture-payment")
  fs.writeFileSync(
    path.join(dir, "medusa-config.js"),
    `// Written by bench/processes.ts: the repository's medusa-config.ts without the WoowUp plugin.
const { defineConfig, Modules } = require("@medusajs/framework/utils")
module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    databaseDriverOptions: { connection: { ssl: false } },
    redisUrl: process.env.REDIS_URL,
    http: {
      storeCors: "http://localhost:8000",
      adminCors: "http://localhost:9000",
      authCors: "http://localhost:9000,http://localhost:8000",
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  admin: { disable: true },
  modules: [
    {
      key: Modules.PAYMENT,
      resolve: "@medusajs/medusa/payment",
      options: { providers: [{ resolve: ${JSON.stringify(provider)}, id: "autocapture" }] },
    },
  ],
})
`
  )
  return dir
}
