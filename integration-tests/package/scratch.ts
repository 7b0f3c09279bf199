/**
 * What the package test does with processes and scratch stores: run a command, install with npm, write a store's
 * medusa config, reach the test's Postgres server. Shared by the scratch app and the versioned stores.
 */
import { spawn, type SpawnOptions } from "node:child_process"
import fs from "node:fs"
import path from "node:path"
import { Client } from "pg"

export const PACKAGE = "medusa-plugin-woowup"
export const REPO = path.resolve(__dirname, "../..")

export type Run = { code: number | null; stdout: string; stderr: string; ms: number }

/** Runs a command to its end, capturing its output (never throws on a non-zero exit). */
export function run(cmd: string, args: string[], opts: SpawnOptions & { timeoutMs?: number } = {}): Promise<Run> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout!.on("data", (d) => (stdout += d))
    child.stderr!.on("data", (d) => (stderr += d))
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 120_000)
    child.on("error", (err) => {
      clearTimeout(timer)
      reject(err)
    })
    child.on("close", (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr, ms: Date.now() - started })
    })
  })
}

/** The end of a command's output, compact: JSON log lines reduced to their level and message, no stack frames. */
export const tail = (r: Run, lines = 25) =>
  `${r.stdout}\n${r.stderr}`
    .split("\n")
    .filter((l) => l.trim() && !/^\s+at /.test(l))
    .map((l) => {
      try {
        const { level, message } = JSON.parse(l)
        return `${level}: ${message}`
      } catch {
        return l
      }
    })
    .map((l) => (l.length > 400 ? `${l.slice(0, 400)}...` : l))
    .slice(-lines)
    .join("\n")

/** The environment of a child process: no Jest flags, no test-only Node options. */
export const childEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
  const { NODE_OPTIONS: _nodeOptions, JEST_WORKER_ID: _worker, ...env } = process.env
  return { ...env, MEDUSA_DISABLE_TELEMETRY: "true", ...extra }
}


/**
 * `npm install [args]` in `dir`, from npm's cache when it can. `legacyPeerDeps: false` is a plain install: a peer
 * conflict (ERESOLVE) fails it. Throws with the output's tail.
 */
export async function npmInstall(dir: string, args: string[], { legacyPeerDeps, timeoutMs = 120_000 }: { legacyPeerDeps: boolean; timeoutMs?: number }): Promise<Run> {
  const r = await run(
    "npm",
    // Spelled out either way, so that no npm config (.npmrc, npm_config_* from `npm test`) decides it.
    ["install", `--legacy-peer-deps=${legacyPeerDeps}`, "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--no-package-lock", ...args],
    { cwd: dir, env: childEnv(), timeoutMs }
  )
  if (r.code !== 0) {
    throw new Error(`npm install ${args.join(" ")} in ${dir} failed (exit ${r.code}, ${r.ms} ms):\n${tail(r, 40)}`)
  }
  return r
}

/** A scratch app in `dir` (emptied first): a package.json naming `dependencies`, installed. */
export async function createScratchApp(
  dir: string,
  dependencies: Record<string, string>,
  opts: { legacyPeerDeps: boolean; timeoutMs?: number }
): Promise<Run> {
  fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  const pkg = { name: `woowup-${path.basename(dir)}`, version: "0.0.0", private: true, dependencies }
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2))
  return await npmInstall(dir, [], opts)
}


/**
 * The scratch app's medusa config: the plugin under `plugins`, pointed at the sandbox. With
 * WOOWUP_PACKAGE_BAD_OPTIONS=true it gets one wrong option, for the start-up check. `medusa-config.js` for an app
 * without ts-node (the lowest-version store installs only Medusa and the plugin).
 */
export function writeMedusaConfig(dir: string, options: Record<string, unknown>, file = "medusa-config.ts"): void {
  const importLine = file.endsWith(".ts")
    ? `import { defineConfig } from "@medusajs/framework/utils"`
    : `const { defineConfig } = require("@medusajs/framework/utils")`
  const config = `${importLine}

// Written by integration-tests/package/package.spec.ts.
const options = ${JSON.stringify(options, null, 2)}
const bad = process.env.WOOWUP_PACKAGE_BAD_OPTIONS === "true" ? { requestsPerMinute: "fast" } : {}

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    databaseDriverOptions: { connection: { ssl: false } },
    http: { jwtSecret: "package-test", cookieSecret: "package-test" },
  },
  admin: { disable: true },
  plugins: [{ resolve: "${PACKAGE}", options: { ...options, ...bad } }],
})
`
  fs.writeFileSync(path.join(dir, file), config)
}

/** A database on the server the test runner uses (DB_* as scripts/services.mjs sets them, or DATABASE_URL's). */
export function databaseUrl(name: string): string {
  const url = process.env.DB_HOST
    ? new URL(`postgres://${process.env.DB_USERNAME ?? "postgres"}:${process.env.DB_PASSWORD ?? ""}@${process.env.DB_HOST}:${process.env.DB_PORT ?? 5432}`)
    : new URL(process.env.DATABASE_URL ?? "postgres://postgres@localhost:5432")
  url.pathname = `/${name}`
  return url.toString()
}

export async function adminSql(statement: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl("postgres") })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}
