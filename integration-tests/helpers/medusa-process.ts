/**
 * The app as real OS processes, for the `integration:process` tests: a fresh database (cloned from a migrated and
 * seeded template), and `medusa start` processes that a test can kill by pid (SIGKILL, no mocks) and start again.
 *
 * Same steps as `npm run demo` (scripts/demo.ts): `medusa db:migrate`, the demo seed (`medusa exec
 * ./scripts/demo-seed.ts`: a store and an admin user), `medusa start` of the repository's app with `WOOWUP_*` env.
 * The migrated and seeded database is kept as a template (`CREATE DATABASE … TEMPLATE`), so each suite after the
 * first gets its own database in a second instead of half a minute of migrations. The Redis suite uses it too: the
 * Redis workflow engine's migrations end in the same schema as the in-memory one's (checked with pg_dump, 2.21.2).
 */
import { spawn, type ChildProcess } from "node:child_process"
import crypto from "node:crypto"
import fs from "node:fs"
import net from "node:net"
import os from "node:os"
import path from "node:path"
import { Client } from "pg"
import type { SeededStore } from "./seed-store"

export const REPO = path.resolve(__dirname, "../..")
/** The CLI's own entry: spawned with node, the pid is the Medusa process itself (no npx or shell in between). */
const MEDUSA_CLI = path.join(REPO, "node_modules", "@medusajs", "cli", "cli.js")

export type SeededApp = {
  databaseUrl: string
  store: SeededStore
  admin: { email: string; password: string }
  /** Drops the database. */
  drop(): Promise<void>
}

/** A free TCP port on 127.0.0.1 (scripts/services.mjs's, which a Jest suite cannot import). */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** The environment of a Medusa child: no Jest flags or test-only Node options, the demo's payment provider. */
export function medusaEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _o, JEST_WORKER_ID: _w, NODE_ENV: _e, ...env } = process.env
  const merged: NodeJS.ProcessEnv = {
    ...env,
    NODE_ENV: "development",
    MEDUSA_DISABLE_TELEMETRY: "true",
    MEDUSA_ADMIN_DISABLE: "true",
    WOOWUP_DEMO: "true",
    ...extra,
  }
  for (const [k, v] of Object.entries(merged)) {
    if (v === undefined) {
      delete merged[k]
    }
  }
  return merged
}

/** The last lines of a log, without stack frames. */
export function tail(text: string, lines = 30): string {
  return text
    .split("\n")
    .filter((l) => l.trim() && !/^\s+at /.test(l))
    .map((l) => (l.length > 400 ? `${l.slice(0, 400)}...` : l))
    .slice(-lines)
    .join("\n")
}

/** Runs `medusa <args>` to its end; throws with the output's tail on a non-zero exit. */
export async function runMedusa(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 240_000): Promise<string> {
  return await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MEDUSA_CLI, ...args], { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    child.stdout!.on("data", (d) => (output += d))
    child.stderr!.on("data", (d) => (output += d))
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
    child.on("error", (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on("close", (code) => {
      clearTimeout(timer)
      if (code === 0) {
        resolve(output)
      } else {
        reject(new Error(`medusa ${args.join(" ")} failed (exit ${code}):\n${tail(output)}`))
      }
    })
  })
}

/** The server DATABASE_URL / DB_* point at (scripts/services.mjs sets them for `npm test`), at database `name`. */
function serverUrl(name: string): string {
  const url = process.env.DATABASE_URL
    ? new URL(process.env.DATABASE_URL)
    : new URL(
        `postgres://${process.env.DB_USERNAME ?? "postgres"}:${process.env.DB_PASSWORD ?? ""}@${process.env.DB_HOST ?? "localhost"}:${process.env.DB_PORT ?? 5432}/postgres`
      )
  url.pathname = `/${name}`
  return url.toString()
}

async function sql<T = any>(statement: string, params: unknown[] = [], database = "postgres"): Promise<T[]> {
  const client = new Client({ connectionString: serverUrl(database) })
  await client.connect()
  try {
    return (await client.query(statement, params)).rows as T[]
  } finally {
    await client.end()
  }
}

/** What the template depends on: a change in any of these makes a new one. */
const TEMPLATE_INPUTS = [
  "package-lock.json",
  "medusa-config.ts",
  "src/modules/woowup/migrations",
  "src/modules/woowup/models",
  "src/links",
  "integration-tests/helpers/seed-store.ts",
  "integration-tests/helpers/admin.ts",
  "integration-tests/fixtures",
  "scripts/demo-seed.ts",
  "integration-tests/helpers/medusa-process.ts",
]

function templateName(): string {
  const hash = crypto.createHash("sha256")
  const walk = (p: string) => {
    if (!fs.existsSync(p)) {
      return
    }
    if (fs.statSync(p).isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) {
        walk(path.join(p, name))
      }
    } else {
      hash.update(path.relative(REPO, p))
      hash.update(fs.readFileSync(p))
    }
  }
  TEMPLATE_INPUTS.forEach((p) => walk(path.join(REPO, p)))
  return `woowup_process_tpl_${hash.digest("hex").slice(0, 12)}`
}

/**
 * A fresh database for one suite, migrated and seeded with the demo's store and admin user: cloned from a template
 * made once per template inputs and database server, under an advisory lock, so suites (and anything else using
 * this helper) running at once agree. What the seed made (store ids, keys, the admin's credentials) is kept in the
 * template itself (table `woowup_process_seed`), so a clone always comes with its own.
 */
export async function createSeededApp(prefix: string, { log = () => {} }: { log?: (line: string) => void } = {}): Promise<SeededApp> {
  const template = templateName()
  const lock = new Client({ connectionString: serverUrl("postgres") })
  await lock.connect()
  try {
    await lock.query("SELECT pg_advisory_lock(hashtext('woowup_process_template'))")
    const exists = (await lock.query("SELECT 1 FROM pg_database WHERE datname = $1", [template])).rowCount
    if (!exists) {
      const started = Date.now()
      const building = `${template}_building`
      await lock.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`)
      await lock.query(`CREATE DATABASE "${building}"`)
      const env = medusaEnv({
        DATABASE_URL: serverUrl(building),
        WOOWUP_API_KEY: "template",
        WOOWUP_API_URL: undefined,
        WOOWUP_OPTIONS: undefined,
      })
      await runMedusa(["db:migrate"], env)
      const seedOut = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "woowup-process-seed-")), "seed.json")
      await runMedusa(["exec", "./scripts/demo-seed.ts"], { ...env, DEMO_SEED_OUT: seedOut })
      await sql("CREATE TABLE woowup_process_seed (data jsonb NOT NULL)", [], building)
      await sql("INSERT INTO woowup_process_seed (data) VALUES ($1)", [fs.readFileSync(seedOut, "utf8")], building)
      fs.rmSync(path.dirname(seedOut), { recursive: true, force: true })
      await lock.query(`ALTER DATABASE "${building}" RENAME TO "${template}"`)
      // Templates of older inputs are of no further use.
      const old = await lock.query(
        "SELECT datname FROM pg_database WHERE datname LIKE 'woowup_process_tpl_%' AND datname <> $1",
        [template]
      )
      for (const { datname } of old.rows) {
        await lock.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {})
      }
      log(`template database ${template} migrated and seeded in ${Date.now() - started} ms`)
    }
    const name = `woowup_${prefix}_${Date.now()}_${process.pid}`
    await lock.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`)
    const [{ data: seed }] = await sql<{ data: { store: SeededStore; admin: SeededApp["admin"] } }>(
      "SELECT data FROM woowup_process_seed",
      [],
      name
    )
    return {
      databaseUrl: serverUrl(name),
      store: seed.store,
      admin: seed.admin,
      drop: async () => {
        await sql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      },
    }
  } finally {
    await lock.query("SELECT pg_advisory_unlock(hashtext('woowup_process_template'))").catch(() => {})
    await lock.end()
  }
}

/** Rows of the app's own database (the test reads `woowup_reconcile_run` this way). */
export async function queryApp<T = any>(databaseUrl: string, statement: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    return (await client.query(statement, params)).rows as T[]
  } finally {
    await client.end()
  }
}

export { httpClient } from "./http"

/** Polls `check` until it returns a value other than undefined/false; throws with `what` (and the last value) after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  { timeoutMs = 60_000, intervalMs = 500 } = {}
): Promise<T> {
  const until = Date.now() + timeoutMs
  let lastError: unknown
  while (Date.now() < until) {
    try {
      const value = await check()
      if (value !== undefined && value !== false) {
        return value as T
      }
    } catch (e) {
      lastError = e
    }
    await new Promise((r) => setTimeout(r, intervalMs))
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ""}`)
}

export type MedusaProcessOptions = {
  /** For log file names and messages, e.g. "server", "worker-1". */
  name: string
  env: NodeJS.ProcessEnv
  port: number
  /** Directory for `<name>.<n>.log`. */
  logDir: string
}

/**
 * One `medusa start` of the repository's app. `start()` can be called again after the process died or was
 * killed; each start writes its own log file.
 */
export class MedusaProcess {
  readonly name: string
  readonly port: number
  readonly url: string
  private readonly env: NodeJS.ProcessEnv
  private readonly logDir: string
  private child?: ChildProcess
  private starts = 0
  logFile = ""

  constructor(opts: MedusaProcessOptions) {
    this.name = opts.name
    this.port = opts.port
    this.url = `http://localhost:${opts.port}`
    this.env = { ...opts.env, PORT: String(opts.port) }
    this.logDir = opts.logDir
  }

  get pid(): number | undefined {
    return this.child?.pid
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null
  }

  /** Spawns `medusa start` and waits until it answers `GET /health`. */
  async start(timeoutMs = 180_000): Promise<void> {
    if (this.running) {
      throw new Error(`${this.name} is already running (pid ${this.pid})`)
    }
    this.starts++
    this.logFile = path.join(this.logDir, `${this.name}.${this.starts}.log`)
    const out = fs.openSync(this.logFile, "w")
    const child = spawn(process.execPath, [MEDUSA_CLI, "start"], { cwd: REPO, env: this.env, stdio: ["ignore", out, out] })
    fs.closeSync(out)
    this.child = child
    const until = Date.now() + timeoutMs
    while (Date.now() < until) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`${this.name}: medusa start exited (${child.exitCode ?? child.signalCode}):\n${tail(this.log())}`)
      }
      if (await fetch(`${this.url}/health`).then((r) => r.ok, () => false)) {
        return
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    throw new Error(`${this.name}: medusa start did not answer /health within ${timeoutMs / 1000} s:\n${tail(this.log())}`)
  }

  /** Sends `signal` to the process (by pid) and waits for it to be gone. */
  async kill(signal: NodeJS.Signals = "SIGKILL", timeoutMs = 15_000): Promise<void> {
    const child = this.child
    if (!child?.pid || !this.running) {
      return
    }
    const exited = new Promise((r) => child.once("exit", r))
    process.kill(child.pid, signal)
    await Promise.race([exited, new Promise((r) => setTimeout(r, timeoutMs))])
    if (this.running) {
      process.kill(child.pid, "SIGKILL")
      await exited
    }
  }

  /** Graceful stop (SIGTERM, then SIGKILL after 10 s). */
  async stop(): Promise<void> {
    await this.kill("SIGTERM", 10_000)
  }

  /** The output of every start so far, or of the `start`-th one (1 = the first). */
  log(start?: number): string {
    let text = ""
    for (let i = start ?? 1; i <= (start ?? this.starts); i++) {
      const file = path.join(this.logDir, `${this.name}.${i}.log`)
      if (fs.existsSync(file)) {
        text += fs.readFileSync(file, "utf8")
      }
    }
    return text
  }
}

/** A directory for the processes' logs: `.tmp/process-tests/<suite>` (git-ignored), emptied first. */
export function logDirFor(suite: string): string {
  const dir = path.join(REPO, ".tmp", "process-tests", suite)
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  return dir
}
