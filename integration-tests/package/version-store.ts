/**
 * A Medusa store at one version, as a merchant has it: its own folder outside the repository (nothing resolves
 * from the repository's node_modules), `@medusajs/*` pinned with a plain `npm install` (a peer conflict fails it),
 * the packed plugin added the same way, its own `medusa` CLI to migrate, seed, create the admin and start it.
 */
import { spawn, type ChildProcess } from "node:child_process"
import crypto from "node:crypto"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { transformFileSync } from "@swc/core"
import { freePort } from "../helpers/medusa-process"
import type { SeededStore } from "../helpers/seed-store"
import { REPO, adminSql, childEnv, createScratchApp, databaseUrl, npmInstall, run, tail, writeMedusaConfig, type Run } from "./scratch"

/** `medusa exec` script: seeds the store with the suites' own seed (`seedStore`), writing its result to SEED_OUT. */
const SEED_SCRIPT = `const fs = require("node:fs")
const { seedStore } = require("./seed-store")

exports.default = async function seed({ container }) {
  const store = await seedStore(container, { paymentProviders: ["pp_system_default"] })
  fs.writeFileSync(process.env.SEED_OUT, JSON.stringify(store))
}
`

export class VersionStore {
  readonly dir: string
  readonly admin = { email: "admin@woowup-package.test", password: crypto.randomBytes(9).toString("hex") }
  readonly timings: Record<string, number> = {}
  url = ""
  private readonly db: string
  private server: ChildProcess | undefined
  private serverOutput = ""

  /**
   * `dependencies`: the store's package.json entries (`@medusajs/*` pinned at the version under test). `outside`:
   * a version outside the declared range, probed on purpose: installed with --legacy-peer-deps, and started with
   * the plugin's version check turned off, to see what the plugin does there.
   */
  constructor(readonly label: string, readonly dependencies: Record<string, string>, readonly outside = false) {
    const checkout = crypto.createHash("sha256").update(REPO).digest("hex").slice(0, 8)
    this.dir = path.join(os.tmpdir(), `woowup-package-${label}-${checkout}`)
    this.db = `woowup_package_${label}_${Date.now()}_${process.pid}`
  }

  private get cli() {
    return path.join(this.dir, "node_modules", "@medusajs", "cli", "cli.js")
  }

  env(extra: Record<string, string> = {}) {
    const probe: Record<string, string> = this.outside ? { WOOWUP_SKIP_MEDUSA_VERSION_CHECK: "true" } : {}
    return childEnv({ NODE_ENV: "development", DATABASE_URL: databaseUrl(this.db), ...probe, ...extra })
  }

  /** The store's `medusa <args>`, with its own CLI, in its folder; throws with the output's tail. */
  async medusa(args: string[], env: NodeJS.ProcessEnv = this.env(), timeoutMs = 240_000): Promise<Run> {
    const r = await run(process.execPath, [this.cli, ...args], { cwd: this.dir, env, timeoutMs })
    if (r.code !== 0) {
      throw new Error(`${this.label} store: medusa ${args.join(" ")} failed (exit ${r.code}, ${r.ms} ms):\n${tail(r, 40)}`)
    }
    return r
  }

  /** The store alone: the long part (a full Medusa install). */
  async install(): Promise<void> {
    this.timings.storeInstall = (await createScratchApp(this.dir, this.dependencies, { legacyPeerDeps: this.outside, timeoutMs: 900_000 })).ms
  }

  /** The plugin added as a merchant adds one (`npm install <tarball>`, plain), configured under `plugins`. */
  async addPlugin(tarball: string, options: Record<string, unknown>): Promise<void> {
    this.timings.pluginInstall = (await npmInstall(this.dir, [`file:${tarball}`], { legacyPeerDeps: this.outside })).ms
    writeMedusaConfig(this.dir, options, "medusa-config.js")
    // The suites' seed, compiled to CommonJS (the store has no TypeScript runtime); its imports are the store's.
    const { code } = transformFileSync(path.join(REPO, "integration-tests/helpers/seed-store.ts"), {
      jsc: { parser: { syntax: "typescript" }, target: "es2021" },
      module: { type: "commonjs" },
    })
    fs.writeFileSync(path.join(this.dir, "seed-store.js"), code)
    fs.writeFileSync(path.join(this.dir, "seed.js"), SEED_SCRIPT)
  }

  /** A fresh database migrated by the store's CLI (the plugin's migrations included), then seeded. */
  async migrateAndSeed(): Promise<SeededStore> {
    await adminSql(`CREATE DATABASE "${this.db}"`)
    this.timings.migrate = (await this.medusa(["db:migrate"])).ms
    const out = path.join(this.dir, "seed.json")
    this.timings.seed = (await this.medusa(["exec", "./seed.js"], this.env({ SEED_OUT: out }))).ms
    return JSON.parse(fs.readFileSync(out, "utf8"))
  }

  /** `medusa start` until /health answers; the admin user (`medusa user`, its own boot) is created meanwhile. */
  async start(): Promise<void> {
    const port = await freePort()
    this.url = `http://localhost:${port}`
    const started = Date.now()
    const user = this.medusa(["user", "-e", this.admin.email, "-p", this.admin.password])
    user.catch(() => {})
    const server = spawn(process.execPath, [this.cli, "start"], { cwd: this.dir, env: this.env({ PORT: String(port) }), stdio: ["ignore", "pipe", "pipe"] })
    this.server = server
    server.stdout!.on("data", (d) => (this.serverOutput += d))
    server.stderr!.on("data", (d) => (this.serverOutput += d))
    for (;;) {
      if (server.exitCode !== null || server.signalCode !== null) {
        throw new Error(`${this.label} store: medusa start exited (${server.exitCode ?? server.signalCode}):\n${this.log()}`)
      }
      if (await fetch(`${this.url}/health`).then((r) => r.ok, () => false)) {
        break
      }
      if (Date.now() - started > 180_000) {
        throw new Error(`${this.label} store: medusa start did not answer /health within 180 s:\n${this.log()}`)
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    this.timings.start = Date.now() - started
    this.timings.user = (await user).ms
  }

  /** The end of the server's output, for failure messages. */
  log(lines = 40): string {
    return tail({ code: this.server?.exitCode ?? null, stdout: this.serverOutput, stderr: "", ms: 0 }, lines)
  }

  async stop(): Promise<void> {
    const server = this.server
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server.once("exit", r))
      server.kill("SIGTERM")
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
      if (server.exitCode === null && server.signalCode === null) {
        server.kill("SIGKILL")
      }
    }
  }

  /** Stops the server and removes the database and the folder. */
  async remove(): Promise<void> {
    await this.stop()
    await adminSql(`DROP DATABASE IF EXISTS "${this.db}" WITH (FORCE)`).catch(() => {})
    fs.rmSync(this.dir, { recursive: true, force: true })
  }
}
