/**
 * The storefront never takes the account's limit from purchases, and the plugin's inputs and secrets hold (issue
 * 17): a flood of storefront reads while an order is captured, the admin list's bad inputs, the secrets probes.
 * Real app, real orders captured through the admin API, the WoowUp sandbox over HTTP (with 100 ms of latency for
 * the flood), and real `medusa exec` start-ups for the options that must stop one.
 */
import { spawn } from "node:child_process"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { inspect } from "node:util"
import type { IEventBusModuleService } from "@medusajs/framework/types"
import { Modules, OrderWorkflowEvents } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import {
  adminHeaders,
  capturePayment,
  loginOrRegisterCustomer,
  placeOrder,
  proveIdentity,
  seedStore,
  storeHeaders,
  type AuthHeaders,
  type CustomerInput,
  type SeededStore,
} from "../helpers"
import { REPO, medusaEnv } from "../helpers/medusa-process"
import { EVENT_WAIT_MS, purchaseRequests, useWoowupSandbox, waitForReward } from "../helpers/woowup"
import { WOOWUP_MODULE, type WoowupModuleService } from "../../src/modules/woowup"

jest.setTimeout(240_000)

const CACHE_SECONDS = 60
const woowup = useWoowupSandbox({ storeCacheSeconds: CACHE_SECONDS })

let people = 0
const person = (name: string): CustomerInput => ({
  email: `${name}-${++people}@example.com`,
  password: "secret-123",
  first_name: name,
  last_name: "Test",
})

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let admin: AuthHeaders

    beforeAll(async () => {
      store = await seedStore(getContainer())
      admin = await adminHeaders(getContainer())
    })

    afterEach(() => woowup.sandbox.setFaults({}))

    const bus = () => getContainer().resolve<IEventBusModuleService>(Modules.EVENT_BUS)
    const sandboxPost = (p: string, body: unknown) =>
      fetch(`${woowup.sandbox.url}${p}`, {
        method: "POST",
        headers: { authorization: `Basic ${woowup.sandbox.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      })

    describe("a storefront flood while an order is captured", () => {
      it("records the purchase within two seconds of the capture; each reader costs one WoowUp read per cache period", async () => {
        // Ten readers, each with movements in WoowUp and a proven identity.
        const readers = []
        for (let i = 0; i < 10; i++) {
          const reader = person(`reader${i}`)
          const { id, token } = await loginOrRegisterCustomer(api, store, reader)
          await proveIdentity(getContainer(), id)
          await sandboxPost("/users", { email: reader.email })
          for (let g = 1; g <= 3; g++) {
            await sandboxPost("/multiusers/points", { email: reader.email, points: g, concept: "gift", description: `gift ${g}` })
          }
          readers.push({ email: reader.email, token })
        }
        // A returning buyer, known to WoowUp: the purchase is one call.
        const buyer = person("buyer")
        await sandboxPost("/users", { email: buyer.email })
        const placed = TestEventUtils.waitSubscribersExecution(OrderWorkflowEvents.PLACED, bus(), { timeout: EVENT_WAIT_MS })
        const order = await placeOrder(api, store, { customer: buyer, items: [{ variant_id: store.variants.standard, quantity: 2 }] })
        await placed
        woowup.sandbox.requests.length = 0
        woowup.sandbox.setFaults({ latencyMs: 100 })

        // 100 reads at once, every one a different page of its reader's movements, and the capture among them.
        const reads = readers.flatMap(({ token }) =>
          Array.from({ length: 10 }, (_, page) =>
            api
              .get(`/store/customers/me/woowup?limit=1&offset=${page}`, { ...storeHeaders(store, token), validateStatus: () => true } as any)
              .then((res: { status: number; data: any }) => ({ status: res.status as number, body: res.data }))
          )
        )
        // Let the reads reach the app first: the purchase must overtake them, not come before them.
        await new Promise((r) => setTimeout(r, 150))
        const asked = Date.now()
        const payment = await capturePayment(api, admin, order.id)
        // The capture is the moment Medusa recorded it; the admin's request itself waits its turn on a busy server.
        const capturedAt = new Date((payment as { captured_at?: string }).captured_at!).getTime()
        expect(Number.isFinite(capturedAt)).toBe(true)
        const reward = await waitForReward(getContainer(), order.id, (r) => r.status === "synced")
        const answers = await Promise.all(reads)

        const [purchase] = purchaseRequests(woowup.sandbox, reward.invoice_number!)
        const captureToWoowup = purchase.time - capturedAt
        process.stdout.write(
          `capture -> WoowUp under a flood of 100 reads: ${captureToWoowup} ms (the admin's capture request took ${capturedAt - asked} ms to be recorded)\n`
        )
        // What WoowUp saw around the capture, for a failure to explain itself.
        const around = woowup.sandbox.requests
          .filter((r) => r.time >= capturedAt - 2_000 && r.time <= purchase.time)
          .map((r) => `${r.method} ${r.path} at ${r.time - capturedAt} ms`)
        process.stdout.write(`WoowUp calls from 2 s before the capture to the purchase: ${around.join("; ")}\n`)
        expect(captureToWoowup).toBeLessThan(2_000)
        expect(purchaseRequests(woowup.sandbox, reward.invoice_number!)).toHaveLength(1)

        // Each reader: at most one find and one page of transactions, whatever the pages asked.
        const reads_ = woowup.sandbox.requests.filter((r) => r.method === "GET" && r.path.startsWith("/multiusers/"))
        for (const { email } of readers) {
          const theirs = reads_.filter((r) => r.query.email === email).map((r) => r.path)
          expect([email, theirs.filter((p) => p === "/multiusers/find").length <= 1]).toEqual([email, true])
          expect([email, theirs.filter((p) => p === "/multiusers/transactions").length <= 1]).toEqual([email, true])
        }
        // Answered from the cache, or with a clear answer of the store's own; never a 500.
        expect(answers.every((a) => [200, 429, 503].includes(a.status))).toBe(true)
        const served = answers.filter((a) => a.status === 200)
        expect(served.length).toBeGreaterThan(0)
        for (const a of served) {
          expect(a.body.woowup.transactions.length).toBeLessThanOrEqual(1)
        }
        for (const a of answers.filter((x) => x.status !== 200)) {
          expect(a.body.type).toMatch(/^(too_many_requests|woowup_unavailable|woowup_busy)$/)
        }
      })
    })

    describe("GET /admin/woowup/rewards input", () => {
      const list = (query: string) => api.get(`/admin/woowup/rewards${query}`, { ...admin, validateStatus: () => true } as any)

      it.each([
        ["?limit=-1", "limit"],
        ["?limit=abc", "limit"],
        ["?offset=-5", "offset"],
        ["?order=password", "order"],
        ["?order=-nope", "order"],
        ["?created_at[$gte]=yesterday", "created_at"],
        ["?created_at=2026-13-45", "created_at"],
        ["?created_at[$foo]=2026-01-01", "created_at"],
        ["?status=lost", "status"],
        ["?fields=secret_column", "secret_column"],
      ])("answers 400 to %s, naming %s", async (query, field) => {
        const res = await list(query)
        expect(res.status).toBe(400)
        expect(res.data.message).toContain(field)
      })

      it("caps limit at 100, and still takes what is right", async () => {
        const res = await list("?limit=5000&offset=0&order=created_at&created_at[$gte]=2026-01-01&created_at[$lte]=2099-01-01T00:00:00Z")
        expect(res.status).toBe(200)
        expect(res.data).toMatchObject({ limit: 100, offset: 0 })
      })
    })

    describe("secrets", () => {
      it("the module service shows no API key to util.inspect or JSON.stringify; the status page shows no credentials", async () => {
        const service = getContainer().resolve<WoowupModuleService>(WOOWUP_MODULE)
        const key = woowup.sandbox.apiKey
        expect(inspect(service, { depth: 6, showHidden: true, getters: true })).not.toContain(key)
        expect(inspect(service.client, { depth: 6, showHidden: true })).not.toContain(key)
        let json = ""
        try {
          json = JSON.stringify(service)
        } catch (e) {
          // A circular structure: nothing was written out, so nothing leaked; the error says so, without the key.
          json = String(e)
        }
        expect(json).not.toContain(key)
        expect(JSON.stringify(await service.getOptions())).not.toContain(key)

        const { data } = await api.get("/admin/woowup/status", admin)
        expect(data.status.options.apiUrl).toBe(woowup.sandbox.url)
        expect(JSON.stringify(data)).not.toContain(key)
      })

      it.each([
        ["an http: apiUrl to a host that is not loopback", "http://api.woowup.example/apiv3"],
        ["credentials in apiUrl", "https://merchant:pw-hunter2@api.woowup.example/apiv3"],
      ])("%s stops start-up with a message that names apiUrl, and never the URL's secrets or the key", async (_what, apiUrl) => {
        const output = await bootWithOptions({ apiKey: "k-never-shown-123", apiUrl })
        expect(output.code).not.toBe(0)
        expect(output.text).toMatch(/invalid plugin options: option "apiUrl" must be an https: URL/)
        expect(output.text).not.toContain("pw-hunter2")
        expect(output.text).not.toContain("k-never-shown-123")
      })
    })
  },
})

/** `medusa exec` of a script that does nothing, in this repository's app, with these plugin options: a real start-up. */
async function bootWithOptions(options: { apiKey: string; apiUrl: string }): Promise<{ code: number | null; text: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "woowup-boot-"))
  const script = path.join(dir, "noop.js")
  fs.writeFileSync(script, "exports.default = async () => {}\n")
  const { DB_USERNAME = "postgres", DB_PASSWORD = "postgres", DB_HOST = "localhost", DB_PORT = "5432" } = process.env
  const child = spawn(process.execPath, [path.join(REPO, "node_modules", "@medusajs", "cli", "cli.js"), "exec", script], {
    cwd: REPO,
    env: medusaEnv({
      DATABASE_URL: `postgres://${DB_USERNAME}:${DB_PASSWORD}@${DB_HOST}:${DB_PORT}/postgres`,
      WOOWUP_API_KEY: options.apiKey,
      WOOWUP_API_URL: options.apiUrl,
      WOOWUP_OPTIONS: undefined,
    }),
  })
  let text = ""
  child.stdout.on("data", (c) => (text += c))
  child.stderr.on("data", (c) => (text += c))
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve))
  fs.rmSync(dir, { recursive: true, force: true })
  return { code, text }
}
