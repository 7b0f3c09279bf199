/**
 * The app as a merchant runs it, for the admin browser test: built with `medusa build` (backend and admin
 * dashboard, the plugin's widget and page included), migrated, seeded, and served by `medusa start` from
 * `.medusa/server` in production mode, against a fresh database and a WoowUp sandbox.
 *
 * The build happens in a copy of the app under `.tmp/browser-app` (git-ignored), never in the repository's own
 * `.medusa/server`, which `npm run build` and the package test write at the same time. A build is reused while
 * its inputs (src, medusa-config.ts, tsconfig.json, package files) are unchanged.
 */
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process"
import crypto from "node:crypto"
import fs from "node:fs"
import net from "node:net"
import path from "node:path"
import { Client } from "pg"
import { httpClient, type HttpClient, type SeededStore } from "../helpers"
import { FAST_RETRIES } from "../helpers/woowup"
import { startWoowupSandbox, type WoowupSandbox } from "../../src/sandbox"

export const REPO = path.resolve(__dirname, "../..")
const APP_DIR = path.join(REPO, ".tmp", "browser-app")
const SERVER_DIR = path.join(APP_DIR, ".medusa", "server")
const MEDUSA_BIN = path.join(REPO, "node_modules", ".bin", "medusa")
/** What the app build depends on: copied into APP_DIR and hashed to reuse a build. */
const APP_INPUTS = ["src", "medusa-config.ts", "tsconfig.json", "package.json", "package-lock.json"]

export type BrowserApp = {
  url: string
  /** The dashboard's address. */
  adminUrl: string
  sandbox: WoowupSandbox
  store: SeededStore
  admin: { email: string; password: string }
  /** Store and admin API client (errors carry the status and body like axios's). */
  api: HttpClient
  timings: Record<string, number>
  /** Where the server's output goes. */
  logFile: string
  stop(): Promise<void>
}

type Run = { code: number | null; output: string; ms: number }

/** Runs a command to its end (never throws on a non-zero exit); output is kept for the error message. */
function run(cmd: string, args: string[], opts: SpawnOptions & { timeoutMs?: number } = {}): Promise<Run> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] })
    let output = ""
    child.stdout!.on("data", (d) => (output += d))
    child.stderr!.on("data", (d) => (output += d))
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 240_000)
    child.on("error", (err) => {
      clearTimeout(timer)
      reject(err)
    })
    child.on("close", (code) => {
      clearTimeout(timer)
      resolve({ code, output, ms: Date.now() - started })
    })
  })
}

const tail = (text: string, lines = 30) =>
  text
    .split("\n")
    .filter((l) => l.trim() && !/^\s+at /.test(l))
    .map((l) => (l.length > 400 ? `${l.slice(0, 400)}...` : l))
    .slice(-lines)
    .join("\n")

/** The environment of a child process: no Jest flags or test-only Node options; NODE_ENV set per command. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _o, JEST_WORKER_ID: _w, NODE_ENV: _e, MEDUSA_ADMIN_DISABLE: _a, WOOWUP_DEMO: _d, ...env } = process.env
  return { ...env, MEDUSA_DISABLE_TELEMETRY: "true", ...extra }
}

async function freePort(): Promise<number> {
  // scripts/services.mjs's freePort, inlined: an ES module cannot be required from a Jest suite.
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

function hashInputs(): string {
  const hash = crypto.createHash("sha256")
  const walk = (p: string) => {
    const stat = fs.statSync(p)
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(p).sort()) {
        if (name !== "node_modules" && name !== "__tests__") {
          walk(path.join(p, name))
        }
      }
    } else {
      hash.update(path.relative(REPO, p))
      hash.update(fs.readFileSync(p))
    }
  }
  for (const input of APP_INPUTS) {
    const p = path.join(REPO, input)
    if (fs.existsSync(p)) {
      walk(p)
    }
  }
  hash.update(require("@medusajs/medusa/package.json").version as string)
  return hash.digest("hex")
}

/**
 * `medusa build` of a copy of the app, with the admin on (NODE_ENV=production; medusa-config.ts turns it off
 * for tests). A build whose backend has type errors still emits (Medusa prints them and exits 1); it is used
 * when its output is complete, since the typecheck is `npm run typecheck`'s job, not this test's.
 */
async function buildApp(log: (line: string) => void): Promise<void> {
  const hash = hashInputs()
  const stamp = path.join(APP_DIR, ".build-hash")
  const complete = () =>
    fs.existsSync(path.join(SERVER_DIR, "medusa-config.js")) && fs.existsSync(path.join(SERVER_DIR, "public/admin/index.html"))
  if (process.env.WOOWUP_BROWSER_REBUILD !== "true" && complete() && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === hash) {
    log("reusing the app build in .tmp/browser-app (inputs unchanged)")
    return
  }
  fs.rmSync(APP_DIR, { recursive: true, force: true })
  fs.mkdirSync(APP_DIR, { recursive: true })
  for (const input of APP_INPUTS) {
    const from = path.join(REPO, input)
    if (fs.existsSync(from)) {
      fs.cpSync(from, path.join(APP_DIR, input), {
        recursive: true,
        filter: (src) => !/(^|[/\\])(__tests__|node_modules)([/\\]|$)/.test(path.relative(REPO, src)),
      })
    }
  }
  const r = await run(MEDUSA_BIN, ["build"], { cwd: APP_DIR, env: childEnv({ NODE_ENV: "production" }), timeoutMs: 300_000 })
  if (!complete()) {
    throw new Error(`\`medusa build\` of the app failed (exit ${r.code}):\n${tail(r.output)}`)
  }
  if (r.code !== 0) {
    log(`medusa build exited ${r.code} but emitted the app (type errors are npm run typecheck's to report):\n${tail(r.output, 8)}`)
  }
  fs.writeFileSync(stamp, hash)
}

/** A fresh database on whatever server DATABASE_URL / DB_* point at (scripts/services.mjs sets them). */
async function createDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.DATABASE_URL
    ? new URL(process.env.DATABASE_URL)
    : new URL(
        `postgres://${process.env.DB_USERNAME ?? "postgres"}:${process.env.DB_PASSWORD ?? ""}@${process.env.DB_HOST ?? "localhost"}:${process.env.DB_PORT ?? 5432}/postgres`
      )
  const name = `medusa_woowup_browser_${Date.now()}`
  const admin = new URL(base.toString())
  admin.pathname = "/postgres"
  const sql = async (statement: string) => {
    const client = new Client({ connectionString: admin.toString() })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
  await sql(`CREATE DATABASE "${name}"`)
  const url = new URL(base.toString())
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => sql(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) }
}

/** `db:migrate`, then the demo's seed (a store and an admin user), with the repository's app and sources. */
async function migrateAndSeed(env: NodeJS.ProcessEnv, seedOut: string): Promise<{ store: SeededStore; admin: { email: string; password: string } }> {
  const migrate = await run(MEDUSA_BIN, ["db:migrate"], { cwd: REPO, env, timeoutMs: 240_000 })
  if (migrate.code !== 0) {
    throw new Error(`medusa db:migrate failed (exit ${migrate.code}):\n${tail(migrate.output)}`)
  }
  const seed = await run(MEDUSA_BIN, ["exec", "./scripts/demo-seed.ts"], { cwd: REPO, env: { ...env, DEMO_SEED_OUT: seedOut }, timeoutMs: 180_000 })
  if (seed.code !== 0 || !fs.existsSync(seedOut)) {
    throw new Error(`seeding failed (exit ${seed.code}):\n${tail(seed.output)}`)
  }
  return JSON.parse(fs.readFileSync(seedOut, "utf8"))
}

export { httpClient }

async function waitForHealth(child: ChildProcess, url: string, logFile: string, timeoutMs = 120_000) {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (child.exitCode !== null) {
      throw new Error(`medusa start exited (${child.exitCode}):\n${tail(fs.readFileSync(logFile, "utf8"))}`)
    }
    if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) {
      return
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`medusa start did not answer /health within ${timeoutMs / 1000} s:\n${tail(fs.readFileSync(logFile, "utf8"))}`)
}

export async function startBrowserApp({
  artifacts,
  log = () => {},
}: {
  artifacts: string
  log?: (line: string) => void
}): Promise<BrowserApp> {
  const timings: Record<string, number> = {}
  const cleanups: Array<() => Promise<void>> = []
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch(() => {})
    }
  }
  try {
    const sandbox = await startWoowupSandbox({ port: 0 })
    cleanups.push(() => sandbox.close())
    const db = await createDatabase()
    cleanups.push(db.drop)

    const port = await freePort()
    const url = `http://localhost:${port}`
    const woowupEnv = {
      DATABASE_URL: db.url,
      WOOWUP_API_URL: sandbox.url,
      WOOWUP_API_KEY: sandbox.apiKey,
      // The scheduled reconcile stays off: the test runs reconciles itself, and a quarter-hour tick must not race it.
      // The customer sync is on, for the page's customers feed.
      // Points can be spent at checkout, for the order widget's redemption rows.
      WOOWUP_OPTIONS: JSON.stringify({
        ...FAST_RETRIES,
        maxRetries: 1,
        syncCustomers: true,
        reconcile: { enabled: false },
        redeem: { enabled: true, pointValue: 0.1 },
      }),
    }

    // The build needs no database; migrations and the seed need no build: both at once.
    let t = Date.now()
    const built = buildApp(log).then(() => (timings.build = Date.now() - t))
    const seeded = migrateAndSeed(
      childEnv({ ...woowupEnv, NODE_ENV: "development", MEDUSA_ADMIN_DISABLE: "true" }),
      path.join(artifacts, "seed.json")
    ).then((s) => {
      timings.migrateAndSeed = Date.now() - t
      return s
    })
    const [, { store, admin }] = await Promise.all([built, seeded])

    t = Date.now()
    const logFile = path.join(artifacts, "medusa.log")
    const out = fs.openSync(logFile, "w")
    const child = spawn(MEDUSA_BIN, ["start"], {
      cwd: SERVER_DIR,
      env: childEnv({
        ...woowupEnv,
        NODE_ENV: "production",
        PORT: String(port),
        ADMIN_CORS: url,
        AUTH_CORS: url,
        STORE_CORS: url,
      }),
      stdio: ["ignore", out, out],
      detached: true,
    })
    cleanups.push(async () => {
      if (child.pid && child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r))
        try {
          process.kill(-child.pid, "SIGTERM")
        } catch {
          // already gone
        }
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
        if (child.exitCode === null) {
          try {
            process.kill(-child.pid, "SIGKILL")
          } catch {
            // already gone
          }
        }
      }
      fs.closeSync(out)
    })
    await waitForHealth(child, url, logFile)
    timings.start = Date.now() - t

    return { url, adminUrl: `${url}/app`, sandbox, store, admin, api: httpClient(url), timings, logFile, stop }
  } catch (e) {
    await stop()
    throw e
  }
}
