/**
 * The package as users get it: what `npm publish` would ship, installed from its tarball into a fresh app
 * that lists it under `plugins`, and booted by Medusa. Nothing here loads the repository's TypeScript sources.
 *
 * It proves, once per run (one build, one pack, one install):
 * - `medusa plugin:build` succeeds and `npm pack` ships the compiled plugin (module with its loader, model and
 *   migrations, workflows, subscribers, link, sandbox), `bin/woowup-sandbox.js`, `package.json` and the README;
 *   every target of `exports` and `bin` is in the tarball; nothing else is (no TypeScript sources, tests, test
 *   helpers or scripts that the build compiles too).
 * - The tarball installs with npm into a scratch app (`.tmp/package-app`, git-ignored) and the app resolves the
 *   plugin from its own `node_modules`, not from the repository. `@medusajs/*` come from the repository's
 *   `node_modules` by Node's upward lookup, so nothing but the tarball (and its `undici`) is installed.
 * - `medusaIntegrationTestRunner` boots that app from its `medusa-config.ts` (`plugins: [{ resolve, options }]`):
 *   the plugin's migration creates `woowup_reward`, the module resolves as `"woowup"` (the very class from the
 *   installed package) and reaches WoowUp (a sandbox started from the package's `./sandbox` export), the
 *   order <> reward link answers Query, and the subscribers for `payment.captured` and `order.placed` are registered.
 * - The installed `woowup-sandbox` bin starts and serves.
 * - Wrong options stop start-up (`medusa exec` in the scratch app) with a message naming the option, never the
 *   API key's value.
 * - The same tarball installs into two more stores, one after the other, whose `@medusajs/*` are pinned at the
 *   lowest version of the plugin's declared peer range (read from package.json) and at the newest Medusa 2 release
 *   on npm, with a plain `npm install` (no --legacy-peer-deps, so an ERESOLVE fails), outside the repository
 *   (nothing resolves from its node_modules). Each store's own `medusa` CLI migrates and seeds a fresh database,
 *   `medusa start` boots it, and an order placed through the store API and captured through the admin API is
 *   rewarded in WoowUp. Installs and migrations run in the background while the tests above run.
 */
import { execFileSync, spawn } from "node:child_process"
import crypto from "node:crypto"
import fs from "node:fs"
import { createRequire } from "node:module"
import os from "node:os"
import path from "node:path"
import { Client } from "pg"
import type { IEventBusModuleService } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, OrderWorkflowEvents, PaymentEvents } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { capturePayment } from "../helpers/admin-orders"
import { loginAdmin } from "../helpers/admin"
import { httpClient, request } from "../helpers/http"
import type { SeededStore } from "../helpers/seed-store"
import { placeOrder } from "../helpers/store-orders"
import { PACKAGE, REPO, childEnv, createScratchApp, run, tail, writeMedusaConfig, type Run } from "./scratch"
import { VersionStore } from "./version-store"

const TMP = path.join(REPO, ".tmp")
const PACK_DIR = path.join(TMP, "package-pack")
const APP_DIR = path.join(TMP, "package-app")
const INSTALLED = path.join(APP_DIR, "node_modules", PACKAGE)
const MEDUSA_BIN = path.join(REPO, "node_modules", ".bin", "medusa")
/** A key nobody else uses: the bad-options run must never print it. */
const API_KEY = `woowup-package-test-${crypto.randomBytes(6).toString("hex")}`

/** Files the compiled plugin must ship: what an app loads, plus the `exports` and `bin` targets. */
const REQUIRED_FILES = [
  "package.json",
  "bin/woowup-sandbox.js",
  ".medusa/server/src/modules/woowup/index.js",
  ".medusa/server/src/modules/woowup/service.js",
  ".medusa/server/src/modules/woowup/options.js",
  ".medusa/server/src/modules/woowup/loaders/validate-options.js",
  ".medusa/server/src/modules/woowup/models/woowup-reward.js",
  ".medusa/server/src/workflows/index.js",
  ".medusa/server/src/workflows/reward-order.js",
  ".medusa/server/src/subscribers/woowup-payment-captured.js",
  ".medusa/server/src/subscribers/woowup-order-placed.js",
  ".medusa/server/src/links/order-woowup-reward.js",
  ".medusa/server/src/sandbox/index.js",
  ".medusa/server/src/sandbox/cli.js",
]

const BUILD_TIMEOUT_MS = 240_000

/**
 * `medusa plugin:build` in the repository, retried once: others may build at the same time (each build wipes
 * .medusa/server) or be generating a migration.
 */
async function build(): Promise<void> {
  // For iterating on this test only: WOOWUP_PACKAGE_REUSE_BUILD=true packs the existing .medusa/server.
  if (process.env.WOOWUP_PACKAGE_REUSE_BUILD === "true" && fs.existsSync(path.join(REPO, ".medusa/server/src"))) {
    return
  }
  let last: Run | undefined
  for (let attempt = 1; attempt <= 2; attempt++) {
    last = await run("npx", ["medusa", "plugin:build"], { cwd: REPO, env: childEnv(), timeoutMs: BUILD_TIMEOUT_MS })
    if (last.code === 0) {
      return
    }
  }
  throw new Error(`\`medusa plugin:build\` failed (exit ${last!.code}):\n${tail(last!)}`)
}

/** The tarball's file list, relative to the package root (tar prefixes `package/`). */
async function listTarball(tarball: string): Promise<string[]> {
  const r = await run("tar", ["-tzf", tarball])
  if (r.code !== 0) {
    throw new Error(`tar -tzf ${tarball} failed: ${r.stderr}`)
  }
  return r.stdout.split("\n").filter((l) => l && !l.endsWith("/")).map((l) => l.replace(/^package\//, ""))
}

/** `npm pack` of the repository into .tmp/package-pack; returns the tarball's path and file list. */
async function pack(): Promise<Packed> {
  fs.rmSync(PACK_DIR, { recursive: true, force: true })
  fs.mkdirSync(PACK_DIR, { recursive: true })
  const r = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", PACK_DIR], { cwd: REPO, env: childEnv() })
  if (r.code !== 0) {
    throw new Error(`npm pack failed (exit ${r.code}):\n${tail(r)}`)
  }
  const [{ filename, size, unpackedSize }] = JSON.parse(r.stdout) as Array<{ filename: string; size: number; unpackedSize: number }>
  const tarball = path.join(PACK_DIR, path.basename(filename))
  return { tarball, files: await listTarball(tarball), size, unpackedSize }
}

type Packed = { tarball: string; files: string[]; size: number; unpackedSize: number }

/** Build + pack; rebuilds once when someone else's build emptied .medusa/server between our build and our pack. */
async function buildAndPack(): Promise<Packed> {
  for (let attempt = 1; ; attempt++) {
    await build()
    const packed = await pack()
    if (REQUIRED_FILES.every((f) => packed.files.includes(f)) || attempt === 2) {
      return packed
    }
  }
}

/**
 * A Medusa app as a user would have it, minus the download: `@medusajs/*` resolve from the repository's
 * node_modules by upward lookup. The tarball is installed first with a package.json that names only the plugin,
 * so npm installs nothing else; then the app's package.json gets the usual `@medusajs/*` entries, which the
 * `medusa` CLI looks for to accept the folder as a Medusa project.
 */
async function createPackageApp(tarball: string): Promise<void> {
  await createScratchApp(APP_DIR, { [PACKAGE]: `file:${path.relative(APP_DIR, tarball)}` }, { legacyPeerDeps: true })
  const pkg = JSON.parse(fs.readFileSync(path.join(APP_DIR, "package.json"), "utf8"))
  const medusaVersion = require("@medusajs/medusa/package.json").version as string
  pkg.dependencies = {
    "@medusajs/cli": medusaVersion,
    "@medusajs/framework": medusaVersion,
    "@medusajs/medusa": medusaVersion,
    ...pkg.dependencies,
  }
  fs.writeFileSync(path.join(APP_DIR, "package.json"), JSON.stringify(pkg, null, 2))
  // For `medusa exec`: boots the app (all modules and their loaders), then does nothing.
  fs.writeFileSync(path.join(APP_DIR, "noop.js"), "exports.default = async function noop() {}\n")
}


/** The lowest version a range admits, for the forms package.json uses: `~x.y.z`, `^x.y.z`, `>=x.y.z [<n]`, `x.y.z`. */
function lowestVersion(range: string): string {
  const m = /^(?:~|\^|>=)?\s*(\d+\.\d+\.\d+(?:-[\w.]+)?)(?:\s+<\s*\d+(?:\.\d+){0,2})?$/.exec(range.trim())
  if (!m) {
    throw new Error(`package.json peer range "${range}": this test understands only ~x.y.z, ^x.y.z, >=x.y.z [<n] and x.y.z`)
  }
  return m[1]
}

const PEERS: Record<string, string> = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).peerDependencies
/** The Medusa packages among the peers: versioned with Medusa itself (`@medusajs/ui` has its own numbers). */
const MEDUSA_PEERS = Object.keys(PEERS).filter((name) => name.startsWith("@medusajs/") && name !== "@medusajs/ui")
/** Every `@medusajs/*` peer dependency, pinned at the lowest version of its declared range. */
const LOWEST: Record<string, string> = Object.fromEntries(
  Object.entries(PEERS)
    .filter(([name]) => name.startsWith("@medusajs/"))
    .map(([name, range]) => [name, lowestVersion(range)])
)
/** The newest Medusa 2 release on npm (no previews or snapshots), asked of the registry at each run. */
const NEWEST_MEDUSA: string = (() => {
  const out = execFileSync("npm", ["view", "@medusajs/medusa", "versions", "--json"], { encoding: "utf8", timeout: 60_000 })
  const releases = (JSON.parse(out) as string[]).filter((v) => /^2\.\d+\.\d+$/.test(v))
  const key = (v: string) => v.split(".").map(Number)
  return releases.sort((x, y) => key(x)[1] - key(y)[1] || key(x)[2] - key(y)[2]).at(-1)!
})()
/** The Medusa packages at the newest release; `@medusajs/ui` at whatever its declared range gives. */
const NEWEST: Record<string, string> = {
  ...Object.fromEntries(MEDUSA_PEERS.map((name) => [name, NEWEST_MEDUSA])),
  "@medusajs/ui": PEERS["@medusajs/ui"],
}

/**
 * The stores at the two ends of the declared range, prepared in the background, one after the other: each store's
 * install (the long part; the first starts before the build), then the plugin added once packed, then a fresh
 * database migrated and seeded. The tests at the end wait for each step, and start the stores one at a time.
 */
const STORES = [new VersionStore("lowest", LOWEST), ...(NEWEST_MEDUSA === LOWEST["@medusajs/medusa"] ? [] : [new VersionStore("newest", NEWEST)])]
// For lowering the range (not run in CI): WOOWUP_PACKAGE_PROBE_MEDUSA=2.18.0 adds a store at that version, outside
// the range, where the same order must be rewarded before the range may include it.
for (const version of (process.env.WOOWUP_PACKAGE_PROBE_MEDUSA ?? "").split(",").filter(Boolean)) {
  STORES.push(new VersionStore(`probe-${version}`, { ...Object.fromEntries(MEDUSA_PEERS.map((name) => [name, version])), "@medusajs/ui": PEERS["@medusajs/ui"] }, true))
}
type StoreSteps = { installed: Promise<void>; pluginAdded: Promise<void>; seeded: Promise<SeededStore> }
const steps = new Map<VersionStore, StoreSteps>()
let packedReady: (value: { tarball: string; options: Record<string, unknown> }) => void
const packedForStores = new Promise<{ tarball: string; options: Record<string, unknown> }>((r) => (packedReady = r))

function prepareStores(): void {
  let previous: Promise<unknown> = Promise.resolve()
  for (const store of STORES) {
    const installed = previous.then(() => store.install())
    const pluginAdded = Promise.all([installed, packedForStores]).then(([, { tarball, options }]) => store.addPlugin(tarball, options))
    const seeded = pluginAdded.then(() => store.migrateAndSeed())
    // Awaited by the tests; until then a failure must not count as unhandled.
    for (const p of [installed, pluginAdded, seeded]) {
      p.catch(() => {})
    }
    steps.set(store, { installed, pluginAdded, seeded })
    previous = installed.catch(() => {})
  }
}

// What the scratch app resolves; set up in the top-level beforeAll below.
const appRequire = createRequire(path.join(APP_DIR, "package.json"))
let packed: Packed
let sandbox: any
const previousCwd = process.cwd()
const timings: Record<string, number> = {}
const started = Date.now()

// Declared before the runner: a top-level beforeAll runs before the runner's own (which reads medusa-config.ts).
beforeAll(async () => {
  // Not awaited: the stores install while the plugin builds, and migrate while the tests below run.
  prepareStores()
  let t = Date.now()
  packed = await buildAndPack()
  timings.buildAndPack = Date.now() - t
  t = Date.now()
  await createPackageApp(packed.tarball)
  timings.install = Date.now() - t

  const { startWoowupSandbox } = appRequire(`${PACKAGE}/sandbox`)
  sandbox = await startWoowupSandbox({ apiKey: API_KEY })
  const options = { apiKey: sandbox.apiKey, apiUrl: sandbox.url, timeoutMs: 2_000, maxRetries: 0 }
  writeMedusaConfig(APP_DIR, options)
  packedReady({ tarball: packed.tarball, options })
  // Apps run from their own folder; so does this one (nothing may fall back to the repository's cwd).
  process.chdir(APP_DIR)
}, 2 * BUILD_TIMEOUT_MS + 120_000)

afterAll(async () => {
  process.chdir(previousCwd)
  // Let a background step still running (after an earlier failure) finish before its database and folder go.
  for (const store of STORES) {
    await steps.get(store)?.seeded.catch(() => {})
    await store.remove()
  }
  await sandbox?.close()
  timings.total = Date.now() - started
  const stores = Object.fromEntries(STORES.map((s) => [s.label, s.timings]))
  console.log(`package test timings (ms): ${JSON.stringify({ ...timings, stores })}`)
}, 600_000)

describe("the packed tarball", () => {
  it("ships the compiled plugin, its bin, package.json and README, and no sources or tests", () => {
    const { files } = packed
    for (const file of REQUIRED_FILES) {
      expect(files).toContain(file)
    }
    expect(files.some((f) => /^readme(\.md)?$/i.test(f))).toBe(true)
    expect(files.some((f) => /^\.medusa\/server\/src\/modules\/woowup\/migrations\/Migration\w+\.js$/.test(f))).toBe(true)

    // Only the compiled plugin (JavaScript and type declarations), its bin and npm's own files; nothing that
    // the build compiles besides (the app config, scripts, test helpers), no sources, no tests.
    const allowed = (f: string) =>
      /^(package\.json|README\.md|LICEN[CS]E(\.md)?|CHANGELOG\.md)$/i.test(f) ||
      /^bin\/[\w.-]+\.js$/.test(f) ||
      /^\.medusa\/server\/src\/.+\.(js|mjs|d\.ts|json|css)$/.test(f)
    const offenders = files.filter(
      (f) =>
        !allowed(f) ||
        /(^|\/)__tests__\//.test(f) ||
        /\.(spec|test)\.(js|d\.ts)$/.test(f) ||
        /(^|\/)(fixtures|integration-tests|bench|scripts)\//.test(f) ||
        /\.snapshot-[^/]*\.json$/.test(f) ||
        /\.map$/.test(f)
    )
    expect(offenders).toEqual([])
  })

  it("stays small: what a store downloads and unpacks", () => {
    // Measured 2026-12-07: 432 KB packed, 1.67 MB unpacked (451 KB and 1.73 MB before the README moved its depth
    // to docs/, which is not shipped).
    // The bounds leave room for the features under way, and catch a folder shipped by mistake.
    expect(packed.size).toBeLessThan(700 * 1024)
    expect(packed.unpackedSize).toBeLessThan(2.5 * 1024 * 1024)
    expect(packed.files.length).toBeLessThan(600)
    timings.packedBytes = packed.size
    timings.unpackedBytes = packed.unpackedSize
  })

  it("contains every file its exports map and bin point at", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(INSTALLED, "package.json"), "utf8"))
    const targets: string[] = []
    const collect = (value: unknown) => {
      if (typeof value === "string") {
        targets.push(value.replace(/^\.\//, ""))
      } else if (value && typeof value === "object") {
        Object.values(value).forEach(collect)
      }
    }
    for (const [key, value] of Object.entries<unknown>(pkg.exports)) {
      if (!key.includes("*")) {
        collect(value)
      } else if (key.includes("modules/")) {
        // "./modules/*": the one module this plugin has.
        collect(JSON.parse(JSON.stringify(value).replace(/\*/g, "woowup")))
      }
      // "./*" maps any compiled file; nothing to enumerate.
    }
    collect(pkg.bin)
    expect(targets.length).toBeGreaterThan(3)
    expect(targets.filter((t) => !packed.files.includes(t))).toEqual([])
    expect(fs.readFileSync(path.join(INSTALLED, "bin/woowup-sandbox.js"), "utf8").startsWith("#!/usr/bin/env node")).toBe(true)
  })

  it("installs into the scratch app, which resolves the plugin from its own node_modules", () => {
    const resolved = fs.realpathSync(appRequire.resolve(`${PACKAGE}/package.json`))
    expect(resolved).toBe(path.join(fs.realpathSync(INSTALLED), "package.json"))
    // A copy, not a link back to the repository.
    expect(fs.lstatSync(INSTALLED).isSymbolicLink()).toBe(false)
    expect(fs.existsSync(path.join(INSTALLED, "src"))).toBe(false)
    expect(fs.existsSync(path.join(APP_DIR, "src"))).toBe(false)
    // The subpath exports resolve inside the installed package.
    for (const sub of ["sandbox", "workflows", "modules/woowup", ".medusa/server/src/modules/woowup"]) {
      expect(appRequire.resolve(`${PACKAGE}/${sub}`).startsWith(`${INSTALLED}${path.sep}`)).toBe(true)
    }
    expect(typeof appRequire(`${PACKAGE}/workflows`).rewardOrderWorkflow).toBe("function")
  })

  it("ships the admin extensions through ./admin: the order widget and the WoowUp page", () => {
    // `medusa plugin:build` bundles src/admin; the dashboard of the app that installs the plugin loads it.
    for (const file of [".medusa/server/src/admin/index.mjs", ".medusa/server/src/admin/index.js"]) {
      expect(packed.files).toContain(file)
    }
    const bundle = fs.readFileSync(path.join(INSTALLED, ".medusa/server/src/admin/index.mjs"), "utf8")
    expect(bundle).toContain("order.details.side.after")
    expect(bundle).toContain('"/woowup"')
    expect(bundle).toContain('label: "WoowUp"')
    expect(bundle).toContain("/admin/woowup/orders/")
    // Peer packages stay imports: the dashboard provides them.
    expect(bundle).toMatch(/from "@medusajs\/ui"/)
    expect(appRequire.resolve(`${PACKAGE}/admin`).startsWith(`${INSTALLED}${path.sep}`)).toBe(true)
  })

  it("runs the installed woowup-sandbox bin", async () => {
    const child = spawn(process.execPath, [path.join(APP_DIR, "node_modules", ".bin", "woowup-sandbox"), "--port", "0"], {
      cwd: APP_DIR,
      env: childEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    })
    try {
      let out = ""
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`woowup-sandbox printed no URL:\n${out}`)), 15_000)
        child.stdout!.on("data", (d) => {
          out += d
          const m = /API URL:\s+(http:\/\/\S+)/.exec(out)
          if (m) {
            clearTimeout(timer)
            resolve(m[1])
          }
        })
        child.stderr!.on("data", (d) => (out += d))
        child.on("exit", (code) => reject(new Error(`woowup-sandbox exited (${code}):\n${out}`)))
      })
      const res = await fetch(`${url}/multiusers/exist?email=someone%40example.com`, {
        headers: { Authorization: "Basic sandbox-api-key", Accept: "application/json" },
      })
      expect(res.status).toBeLessThan(500)
      await res.text()
    } finally {
      const exited = new Promise((r) => child.once("exit", r))
      child.kill("SIGTERM")
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))])
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGKILL")
      }
    }
  })
})

/** A storefront's project: outside the repository (nothing resolves from its node_modules), one per checkout. */
const STOREFRONT_DIR = path.join(os.tmpdir(), `woowup-package-storefront-${crypto.createHash("sha256").update(REPO).digest("hex").slice(0, 8)}`)
const TSC = path.join(REPO, "node_modules", "typescript", "bin", "tsc")

describe("the store response types, in a storefront without Medusa", () => {
  afterAll(() => fs.rmSync(STOREFRONT_DIR, { recursive: true, force: true }))

  it("declares every peer dependency optional, so installing the package brings no Medusa", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"))
    const peers = Object.keys(pkg.peerDependencies)
    expect(peers.filter((name) => pkg.peerDependenciesMeta?.[name]?.optional !== true)).toEqual([])
  })

  it("installs with a plain npm install, and the types compile with moduleResolution bundler and node", async () => {
    const r = await createScratchApp(STOREFRONT_DIR, { [PACKAGE]: `file:${packed.tarball}` }, { legacyPeerDeps: false })
    timings.storefrontInstall = r.ms
    const modules = path.join(STOREFRONT_DIR, "node_modules")
    expect(fs.existsSync(path.join(modules, PACKAGE, "package.json"))).toBe(true)
    expect(fs.existsSync(path.join(modules, "@medusajs"))).toBe(false)
    expect(fs.existsSync(path.join(modules, "@mikro-orm"))).toBe(false)

    fs.writeFileSync(
      path.join(STOREFRONT_DIR, "points.ts"),
      `import type { StoreWoowupPointsResponse, StoreWoowupPointsPreviewResponse, StoreWoowupTransaction } from "${PACKAGE}/store"

export const points: StoreWoowupPointsResponse = {
  woowup: { verified: true, points: 70, updated_at: "2026-12-07T00:00:00Z", transactions: [], limit: 20, offset: 0 },
}
export const preview: StoreWoowupPointsPreviewResponse = {
  points_preview: { points: 50, amount: 50.5, currency_code: "usd", reason: null },
}
export const kinds: StoreWoowupTransaction["kind"][] = ["earned", "taken_back", "spent", "adjusted"]
`
    )
    // The control: a wrong type must fail, or the types above could be \`any\`.
    fs.writeFileSync(
      path.join(STOREFRONT_DIR, "wrong.ts"),
      `import type { StoreWoowupPointsResponse } from "${PACKAGE}/store"
export const wrong: StoreWoowupPointsResponse["woowup"]["points"] = "seventy"
`
    )
    const tsc = async (file: string, moduleResolution: "bundler" | "node") => {
      const module = moduleResolution === "bundler" ? "esnext" : "commonjs"
      return run(process.execPath, [TSC, "--noEmit", "--strict", "--module", module, "--moduleResolution", moduleResolution, file], {
        cwd: STOREFRONT_DIR,
        env: childEnv(),
      })
    }
    for (const resolution of ["bundler", "node"] as const) {
      const ok = await tsc("points.ts", resolution)
      expect({ resolution, code: ok.code, output: tail(ok) }).toEqual({ resolution, code: 0, output: "" })
      const wrong = await tsc("wrong.ts", resolution)
      expect(wrong.code).not.toBe(0)
      expect(wrong.stdout).toMatch(/wrong\.ts.*error TS2322/)
    }
  }, 300_000)
})

medusaIntegrationTestRunner({
  cwd: APP_DIR,
  testSuite: ({ getContainer, dbConnection, dbConfig }) => {
    describe("a Medusa app with the installed plugin under `plugins`", () => {
      it("loads the woowup module from the installed package, and it reaches WoowUp", async () => {
        const service = getContainer().resolve<any>("woowup")
        const installedModule = appRequire(`${PACKAGE}/modules/woowup`)
        expect(service).toBeInstanceOf(installedModule.default.service)
        expect(await service.getOptions()).toMatchObject({ apiUrl: sandbox.url, requestsPerMinute: 140 })

        sandbox.reset()
        await expect(service.client.customerExists({ email: "package-test@example.com" })).resolves.toBe(false)
        expect(sandbox.requests.map((r: any) => `${r.method} ${r.path}`)).toContain("GET /multiusers/exist")
      })

      it("ran the plugin's migrations", async () => {
        const migrations = packed.files
          .filter((f) => /^\.medusa\/server\/src\/modules\/woowup\/migrations\/Migration\w+\.js$/.test(f))
          .map((f) => path.basename(f, ".js"))
        const { rows: applied } = await dbConnection.raw(`SELECT name FROM mikro_orm_migrations WHERE name = ANY(?)`, [migrations])
        expect(applied.map((r: { name: string }) => r.name).sort()).toEqual([...migrations].sort())
        const { rows } = await dbConnection.raw(`SELECT to_regclass('public.woowup_reward') AS t`)
        expect(rows[0].t).toBe("woowup_reward")
        const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
        const { data } = await query.graph({ entity: "woowup_reward", fields: ["id", "status"] })
        expect(data).toEqual([])
      })

      it("links orders to their reward record", async () => {
        const container = getContainer()
        const [order] = await container.resolve(Modules.ORDER).createOrders([{ currency_code: "usd", email: "ana@example.com" }])
        await container.resolve<any>("woowup").createWoowupRewards({
          order_id: order.id,
          status: "skipped",
          trigger: "order_placed",
          reason: "package test",
        })
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const { data } = await query.graph({ entity: "order", fields: ["id", "woowup_reward.*"], filters: { id: order.id } })
        expect(data[0]).toMatchObject({ id: order.id, woowup_reward: { order_id: order.id, status: "skipped", reason: "package test" } })
      })

      it("registers the plugin's subscribers", () => {
        const bus = getContainer().resolve<IEventBusModuleService & { eventToSubscribersMap: Map<string, Array<{ id: string }>> }>(
          Modules.EVENT_BUS
        )
        const ids = (event: string) => (bus.eventToSubscribersMap.get(event) ?? []).map((s) => s.id)
        expect(ids(PaymentEvents.CAPTURED)).toContain("woowup-payment-captured")
        expect(ids(OrderWorkflowEvents.PLACED)).toContain("woowup-order-placed")
      })

      it("refuses to start with a wrong option, naming it and never the API key", async () => {
        const r = await run(MEDUSA_BIN, ["exec", "./noop.js"], {
          cwd: APP_DIR,
          env: childEnv({ DATABASE_URL: dbConfig.clientUrl!, WOOWUP_PACKAGE_BAD_OPTIONS: "true", NODE_ENV: "development" }),
          timeoutMs: 90_000,
        })
        timings.badOptions = r.ms
        const output = `${r.stdout}\n${r.stderr}`
        expect(r.code).not.toBe(0)
        expect(output).toMatch(/medusa-plugin-woowup: invalid plugin options: option "requestsPerMinute"/)
        expect(output).not.toContain(API_KEY)
      })
    })
  },
})

const versions = (deps: Record<string, string>) => Object.entries(deps).map(([n, v]) => `${n}@${v}`).join(", ")

describe.each(STORES.map((store) => [store.label, versions(store.dependencies), store] as const))(
  "a store at the %s version of the declared range (%s)",
  (_label, _versions, store) => {
    afterAll(() => store.stop(), 30_000)

    it("installs the same tarball with a plain npm install, at exactly those versions", async () => {
      await steps.get(store)!.pluginAdded
      const version = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version
      const modules = path.join(store.dir, "node_modules")
      const pinned = Object.entries(store.dependencies).filter(([, v]) => /^\d+\.\d+\.\d+$/.test(v))
      expect(Object.fromEntries(pinned.map(([name]) => [name, version(path.join(modules, name))]))).toEqual(Object.fromEntries(pinned))
      // The tarball itself (a copy, not a link), using the store's Medusa: no copy of its own.
      const plugin = path.join(modules, PACKAGE)
      expect(fs.lstatSync(plugin).isSymbolicLink()).toBe(false)
      expect(version(plugin)).toBe(JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version)
      expect(fs.existsSync(path.join(plugin, "node_modules", "@medusajs"))).toBe(false)
      expect(fs.realpathSync(plugin).startsWith(`${REPO}${path.sep}`)).toBe(false)
    }, 900_000)

    it("migrates a fresh database with the store's own CLI, the plugin's migrations included", async () => {
      await steps.get(store)!.seeded
      const migrations = packed.files
        .filter((f) => /^\.medusa\/server\/src\/modules\/woowup\/migrations\/Migration\w+\.js$/.test(f))
        .map((f) => path.basename(f, ".js"))
      const client = new Client({ connectionString: store.env().DATABASE_URL })
      await client.connect()
      try {
        const { rows } = await client.query(`SELECT name FROM mikro_orm_migrations WHERE name = ANY($1)`, [migrations])
        expect(rows.map((r: { name: string }) => r.name).sort()).toEqual([...migrations].sort())
        const { rows: table } = await client.query(`SELECT to_regclass('public.woowup_reward') AS t`)
        expect(table[0].t).toBe("woowup_reward")
      } finally {
        await client.end()
      }
    }, 900_000)

    it("boots with `medusa start`, and rewards an order placed through the store API and captured through the admin API", async () => {
      const seed = await steps.get(store)!.seeded
      await store.start()
      const api = httpClient(store.url)
      const admin = await loginAdmin(api, store.admin)

      sandbox.reset()
      const { status: pluginStatus } = await request("plugin status", "get", api, "/admin/woowup/status", undefined, admin)
      expect({ connection: pluginStatus.connection?.status, apiUrl: pluginStatus.options?.apiUrl }).toEqual({ connection: "ok", apiUrl: sandbox.url })

      const t = Date.now()
      const order = await placeOrder(api, seed, { email: `buyer-${store.label}@example.com`, items: [{ variant_id: seed.variants.standard, quantity: 2 }] })
      await capturePayment(api, admin, order.id)
      let last: any
      for (;;) {
        last = (await request("order's WoowUp status", "get", api, `/admin/woowup/orders/${order.id}`, undefined, admin)).woowup
        // `order.placed` records the order skipped (nothing captured yet); the capture's event then sends it.
        if (last.reward?.status === "synced" || last.reward?.status === "failed") {
          break
        }
        if (Date.now() - t > 90_000) {
          throw new Error(`${store.label} store: ${order.id} not synced in 90 s; last: ${JSON.stringify(last.reward)}\n${store.log()}`)
        }
        await new Promise((r) => setTimeout(r, 250))
      }
      store.timings.reward = Date.now() - t
      // Two T-shirts at 25 USD: 50 points (one per unit of currency, items only), in the purchase WoowUp received.
      expect({ status: last.reward.status, reason: last.reward.reason, points: last.reward.points }).toEqual({ status: "synced", reason: null, points: 50 })
      // WoowUp holds the purchase once, whatever the number of attempts it took (each answer is logged below).
      const held = sandbox.state.purchases.filter((p: any) => String(p.invoice_number).endsWith(order.id))
      expect(held.map((p: any) => p.points)).toEqual([50])
      const posts = sandbox.requests.filter((r: any) => r.method === "POST" && r.path === "/purchases")
      console.log(`${store.label} store: POST /purchases answered ${posts.map((r: any) => r.status).join(", ")}`)
      await store.stop()
    }, 600_000)
  }
)
