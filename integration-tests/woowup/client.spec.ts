import http from "node:http"
import type { AddressInfo } from "node:net"
import { WoowupClient, WoowupError, type WoowupClientOptions, type WoowupPurchaseInput } from "../../src/modules/woowup/client"
import { startWoowupSandbox, type SandboxRequest, type WoowupSandbox } from "../../src/sandbox"

/**
 * The WoowUp client against the WoowUp sandbox, over real HTTP on 127.0.0.1.
 * Delays are shrunk (backoff 20..100 ms, timeout 400 ms) so the whole file runs in seconds.
 */

jest.setTimeout(30_000)

const API_KEY = "wu_live_TEST_KEY_4f9c2d7e81a3"
const WRONG_KEY = "wu_live_WRONG_KEY_0b1c2d3e4f5a"
const SECRETS = [API_KEY, WRONG_KEY]

let sandbox: WoowupSandbox
const clients: WoowupClient[] = []
/** Every log line and every error of the file: checked for the key at the end. */
const logLines: Array<{ level: string; message: string }> = []
const seenErrors: WoowupError[] = []

const logger = {
  debug: (message: string) => logLines.push({ level: "debug", message }),
  info: (message: string) => logLines.push({ level: "info", message }),
  warn: (message: string) => logLines.push({ level: "warn", message }),
  error: (message: string) => logLines.push({ level: "error", message }),
}

function client(over: Partial<WoowupClientOptions> = {}): WoowupClient {
  const c = new WoowupClient({
    apiKey: API_KEY,
    apiUrl: sandbox.url,
    timeoutMs: 400,
    maxRetries: 3,
    requestsPerMinute: 1_000,
    retryBaseDelayMs: 20,
    retryMaxDelayMs: 100,
    logger,
    ...over,
  })
  clients.push(c)
  return c
}

async function failure(promise: Promise<unknown>): Promise<WoowupError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(WoowupError)
    seenErrors.push(error as WoowupError)
    return error as WoowupError
  }
  throw new Error("expected a WoowupError")
}

const apiRequests = (method?: string, path?: string): SandboxRequest[] =>
  sandbox.requests.filter((r) => (!method || r.method === method) && (!path || r.path === path))

const purchase = (invoice: string, over: Partial<WoowupPurchaseInput> = {}): WoowupPurchaseInput => ({
  email: "ana@example.com",
  invoice_number: invoice,
  purchase_detail: [{ sku: "SKU-1", quantity: 2, unit_price: 50, product_name: "Mug" }],
  prices: { gross: 100, discount: 0, shipping: 10, tax: 0, total: 100, cost: 0 },
  points: 100,
  channel: "web",
  branch_name: "Medusa",
  createtime: "2026-01-02 10:00:00",
  ...over,
})

/** Max number of `times` inside any half-open window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let max = 0
  for (let lo = 0, hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] >= windowMs) lo++
    max = Math.max(max, hi - lo + 1)
  }
  return max
}

beforeAll(async () => {
  sandbox = await startWoowupSandbox({ port: 0, apiKey: API_KEY })
})

beforeEach(() => {
  sandbox.reset()
})

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
})

afterAll(async () => {
  await sandbox?.close()
})

describe("WoowupClient: the happy path", () => {
  it("creates, finds and updates customers, purchases and points", async () => {
    const c = client()
    const ana = { email: "ana@example.com" }

    expect(await c.customerExists(ana)).toBe(false)
    expect(await c.findCustomer(ana)).toBeNull()
    const created = await c.createCustomer({ ...ana, first_name: "Ana", last_name: "Pérez", country: "ARG" })
    expect(created).toMatchObject({ email: "ana@example.com", first_name: "Ana", points: 0 })
    expect(created?.service_uid).toEqual(expect.any(String))
    expect(await c.customerExists(ana)).toBe(true)
    expect(await c.updateCustomer({ ...ana, first_name: "Ana María" })).toMatchObject({ first_name: "Ana María" })
    expect(await c.findCustomer(ana)).toMatchObject({ first_name: "Ana María", last_name: "Pérez" })

    const first = await c.createPurchase(purchase("medusa-order_1"))
    expect(first).toEqual({ outcome: "created", purchase: expect.objectContaining({ invoice_number: "medusa-order_1" }) })
    expect(first.outcome === "created" && first.purchase?.id).toEqual(expect.any(String))
    expect(await c.createPurchase(purchase("medusa-order_1"))).toEqual({ outcome: "duplicate" })
    expect(sandbox.state.purchases).toHaveLength(1)

    expect(await c.findPurchase("medusa-order_1")).toMatchObject({ invoice_number: "medusa-order_1", points: 100 })
    expect(await c.findPurchase("medusa-order_404")).toBeNull()
    expect(await c.updatePurchase({ ...purchase("medusa-order_1"), branch_name: "Outlet" })).toMatchObject({
      branch_name: "Outlet",
    })

    const added = await c.addPoints({ ...ana, points: 25, concept: "gift", description: "medusa:tok_1" })
    expect(added?.transaction).toMatchObject({ points: 25, concept: "gift", description: "medusa:tok_1" })
    await c.addPoints({ ...ana, points: -10, concept: "purchase", description: "medusa:tok_2" })
    expect((await c.findCustomer(ana))?.points).toBe(115)

    const page0 = await c.listTransactions(ana, { page: 0, limit: 2 })
    const page1 = await c.listTransactions(ana, { page: 1, limit: 2 })
    const page2 = await c.listTransactions(ana, { page: 2, limit: 2 })
    expect(page0.length + page1.length).toBe(3) // the purchase's 100 points, +25, -10
    expect(page2).toEqual([])
    expect([...page0, ...page1].map((t) => t.points).sort((a, b) => a - b)).toEqual([-10, 25, 100])
    expect(await c.listTransactions(ana, { from: "2000-01-01", to: "2000-12-31" })).toEqual([])

    // Requests carry the headers WoowUp wants (the sandbox refuses anything else with 403), and no query leaks.
    expect(apiRequests().every((r) => r.status !== 403)).toBe(true)
  })

  it("refuses calls without an identity before sending anything", async () => {
    const c = client()
    const error = await failure(c.findCustomer({}))
    expect(error).toMatchObject({ code: "invalid_argument", retryable: false, attempts: 0 })
    expect((await failure(c.addPoints({ email: "a@b.co", points: 1.5, concept: "gift" }))).code).toBe("invalid_argument")
    expect((await failure(c.listTransactions({ email: "a@b.co" }, { limit: 500 }))).code).toBe("invalid_argument")
    expect(sandbox.requests).toHaveLength(0)
  })
})

describe("WoowupClient: WoowUp's error codes", () => {
  it("forbidden (a wrong key): not retried, logged loudly, key nowhere", async () => {
    const c = client({ apiKey: WRONG_KEY })
    const error = await failure(c.customerExists({ email: "ana@example.com" }))
    expect(error).toMatchObject({ code: "forbidden", status: 403, retryable: false, attempts: 1, path: "/multiusers/exist" })
    expect(apiRequests()).toHaveLength(1)
    expect(logLines.some((l) => l.level === "error" && /apiKey/.test(l.message))).toBe(true)
  })

  it("bad_request: not retried, with WoowUp's reasons", async () => {
    const c = client()
    await c.createCustomer({ email: "ana@example.com" })
    sandbox.requests.length = 0
    const error = await failure(
      c.createPurchase(purchase("o-1", { purchase_detail: [{ sku: "bad sku/1", quantity: 1, unit_price: 1 }] }))
    )
    expect(error).toMatchObject({ code: "bad_request", status: 400, retryable: false, attempts: 1, outcomeUnknown: false })
    expect(error.details?.[0]).toMatch(/purchase_detail\[0\]\.sku/)
    expect(apiRequests("POST", "/purchases")).toHaveLength(1)
  })

  it("user_not_found on a purchase: thrown, not retried, so the caller can create the customer and send again", async () => {
    const c = client()
    const error = await failure(c.createPurchase(purchase("o-2", { email: "nobody@example.com" })))
    expect(error).toMatchObject({ code: "user_not_found", status: 404, retryable: false, attempts: 1 })
    expect(apiRequests()).toHaveLength(1)

    await c.createCustomer({ email: "nobody@example.com" })
    expect((await c.createPurchase(purchase("o-2", { email: "nobody@example.com" }))).outcome).toBe("created")
  })

  it("duplicated_purchase_number is a result, not an error", async () => {
    const c = client()
    await c.createCustomer({ email: "ana@example.com" })
    await c.createPurchase(purchase("o-3"))
    expect(await c.createPurchase(purchase("o-3"))).toEqual({ outcome: "duplicate" })
    expect(apiRequests("POST", "/purchases").map((r) => r.status)).toEqual([201, 409])
  })

  it('"usuario existente" (internal_error on POST /users) becomes customer_exists, not retried', async () => {
    const c = client()
    await c.createCustomer({ email: "ana@example.com" })
    const error = await failure(c.createCustomer({ email: "ana@example.com" }))
    expect(error).toMatchObject({ code: "customer_exists", status: 500, retryable: false, attempts: 1 })
    expect(apiRequests("POST", "/users")).toHaveLength(2)
  })

  it("an unknown purchase on update: WoowUp's not_found, not retried", async () => {
    const error = await failure(client().updatePurchase(purchase("o-missing")))
    expect(error).toMatchObject({ code: "not_found", status: 404, retryable: false, attempts: 1 })
  })

  it.each([
    [401, "unauthorized"],
    [403, "forbidden"],
    [404, "not_found"],
    [409, "conflict"],
    [410, "account_deleted"],
    [422, "error"],
  ])("an injected %s (%s) is never retried", async (status, code) => {
    sandbox.setFaults({ script: [{ fault: status, times: 5 }] })
    const error = await failure(client().customerExists({ email: "ana@example.com" }))
    expect(error).toMatchObject({ code, status, retryable: false, attempts: 1 })
    expect(apiRequests()).toHaveLength(1)
  })

  it("500 internal_error: retried, up to the bound", async () => {
    sandbox.setFaults({ script: [{ fault: 500, times: 10 }] })
    const error = await failure(client({ maxRetries: 2 }).customerExists({ email: "ana@example.com" }))
    expect(error).toMatchObject({ code: "internal_error", status: 500, retryable: true, attempts: 3 })
    expect(apiRequests().map((r) => r.status)).toEqual([500, 500, 500])
  })
})

describe("WoowupClient: retries", () => {
  it("429: waits Retry-After, then succeeds", async () => {
    const c = client({ retryMaxDelayMs: 50 })
    sandbox.setFaults({ retryAfterSeconds: 1, script: [{ fault: 429 }] })
    const started = Date.now()
    expect(await c.customerExists({ email: "ana@example.com" })).toBe(false)
    const elapsed = Date.now() - started
    expect(elapsed).toBeGreaterThanOrEqual(1_000)
    expect(elapsed).toBeLessThan(1_800)
    const [first, second] = apiRequests()
    expect([first.status, second.status]).toEqual([429, 200])
    expect(second.time - first.time).toBeGreaterThanOrEqual(1_000)
    expect(logLines.some((l) => l.level === "warn" && /Retry-After/.test(l.message))).toBe(true)
  })

  it("429 from the sandbox's own rate limit (another process on the account): Retry-After honoured", async () => {
    const own = await startWoowupSandbox({ apiKey: API_KEY, requestsPerMinute: 2, rateLimitWindowMs: 1_200 })
    try {
      const c = client({ apiUrl: own.url })
      const started = Date.now()
      const results = await Promise.all([0, 1, 2].map(() => c.customerExists({ email: "ana@example.com" })))
      expect(results).toEqual([false, false, false])
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000)
      const statuses = own.requests.map((r) => r.status)
      expect(statuses.filter((s) => s === 429)).toHaveLength(1)
      expect(statuses.filter((s) => s === 200)).toHaveLength(3)
    } finally {
      await own.close()
    }
  })

  it("429 with a Retry-After longer than the client sleeps: fails at once with retryAfterMs", async () => {
    sandbox.setFaults({ retryAfterSeconds: 600, script: [{ fault: 429 }] })
    const started = Date.now()
    const error = await failure(client().customerExists({ email: "ana@example.com" }))
    expect(Date.now() - started).toBeLessThan(500)
    expect(error).toMatchObject({ code: "too_many_request", status: 429, retryable: true, retryAfterMs: 600_000, attempts: 1 })
  })

  it("429s stop at the bound", async () => {
    sandbox.setFaults({ retryAfterSeconds: 0, script: [{ fault: 429, times: 10 }] })
    const error = await failure(client({ maxRetries: 2 }).customerExists({ email: "ana@example.com" }))
    expect(error).toMatchObject({ code: "too_many_request", retryable: true, attempts: 3 })
    expect(apiRequests()).toHaveLength(3)
  })

  it.each([502, 503, 504])("%s (an HTML page) then success", async (status) => {
    sandbox.setFaults({ script: [{ fault: status }] })
    expect(await client().customerExists({ email: "ana@example.com" })).toBe(false)
    expect(apiRequests().map((r) => r.status)).toEqual([status, 200])
  })

  it("503 until the bound: retryable http_503, a short message without the page", async () => {
    sandbox.setFaults({ script: [{ fault: 503, times: 10 }] })
    const firstLine = logLines.length
    const c = client({ maxRetries: 3 })
    const started = Date.now()
    const error = await failure(c.customerExists({ email: "ana@example.com" }))
    const elapsed = Date.now() - started
    expect(error).toMatchObject({ code: "http_503", status: 503, retryable: true, attempts: 4 })
    expect(error.message).toBe(
      'WoowUp GET /multiusers/exist failed (HTTP 503, http_503, 4 attempts): HTML page "503 Service Temporarily Unavailable"'
    )
    expect(apiRequests()).toHaveLength(4)
    // Backoff 20 ms doubling, capped at 100 ms, equal jitter: 3 waits of [10,20) + [20,40) + [40,80) ms.
    expect(elapsed).toBeGreaterThanOrEqual(70)
    expect(elapsed).toBeLessThan(1_500)
    expect(logLines.slice(firstLine).filter((l) => l.level === "warn" && /http_503/.test(l.message))).toHaveLength(3)
  })

  it("a hang hits the client timeout and is retried", async () => {
    sandbox.setFaults({ script: [{ fault: "hang" }] })
    const started = Date.now()
    expect(await client({ timeoutMs: 300 }).customerExists({ email: "ana@example.com" })).toBe(false)
    const elapsed = Date.now() - started
    expect(elapsed).toBeGreaterThanOrEqual(300)
    expect(elapsed).toBeLessThan(1_000)
    expect(apiRequests().map((r) => r.status).sort()).toEqual([200, "hang"].sort())
  })

  it("hangs until the bound: timeout, each attempt cut at timeoutMs", async () => {
    sandbox.setFaults({ script: [{ fault: "hang", times: 10 }] })
    const started = Date.now()
    const error = await failure(client({ timeoutMs: 200, maxRetries: 2 }).customerExists({ email: "ana@example.com" }))
    const elapsed = Date.now() - started
    expect(error).toMatchObject({ code: "timeout", retryable: true, attempts: 3, status: undefined })
    expect(elapsed).toBeGreaterThanOrEqual(600)
    expect(elapsed).toBeLessThan(600 + 2 * 100 + 400)
    expect(apiRequests().filter((r) => r.status === "hang")).toHaveLength(3)
  })

  it.each(["garbage", "no-code"] as const)("a 200 %s answer: retryable invalid_response", async (fault) => {
    sandbox.setFaults({ script: [{ fault, times: 10 }] })
    const error = await failure(client({ maxRetries: 1 }).customerExists({ email: "ana@example.com" }))
    expect(error).toMatchObject({ code: "invalid_response", status: 200, retryable: true, attempts: 2 })
    expect(apiRequests()).toHaveLength(2)

    sandbox.reset()
    sandbox.setFaults({ script: [{ fault }] })
    expect(await client().customerExists({ email: "ana@example.com" })).toBe(false)
    expect(apiRequests().map((r) => r.status)).toEqual([200, 200])
  })

  it("connection refused: network_error, retried", async () => {
    const gone = await startWoowupSandbox({ apiKey: API_KEY })
    const url = gone.url
    await gone.close()
    const error = await failure(client({ apiUrl: url, maxRetries: 2 }).customerExists({ email: "ana@example.com" }))
    expect(error).toMatchObject({ code: "network_error", retryable: true, attempts: 3 })
    expect(error.message).toMatch(/ECONNREFUSED/)
  })

  it("a purchase whose answer is lost after it was stored: re-sent, and reported as a duplicate", async () => {
    const c = client()
    await c.createCustomer({ email: "ana@example.com" })
    sandbox.setFaults({ script: [{ method: "POST", path: "/purchases", fault: "drop-after-store" }] })
    expect(await c.createPurchase(purchase("o-drop"))).toEqual({ outcome: "duplicate" })
    expect(apiRequests("POST", "/purchases").map((r) => r.status)).toEqual(["dropped", 409])
    expect(sandbox.state.purchases).toHaveLength(1)
  })

  it("points whose answer is lost are never sent twice: outcomeUnknown", async () => {
    const c = client()
    await c.createCustomer({ email: "ana@example.com" })
    sandbox.setFaults({ script: [{ method: "POST", path: "/multiusers/points", fault: "drop-after-store" }] })
    const error = await failure(c.addPoints({ email: "ana@example.com", points: -30, concept: "purchase", description: "tok_9" }))
    expect(error).toMatchObject({ code: "network_error", retryable: true, outcomeUnknown: true, attempts: 1 })
    expect(apiRequests("POST", "/multiusers/points")).toHaveLength(1)
    expect(sandbox.state.transactions.filter((t) => t.description === "tok_9")).toHaveLength(1)
    // What the caller does next: look for its token before sending again.
    const txs = await c.listTransactions({ email: "ana@example.com" })
    expect(txs.some((t) => t.description === "tok_9")).toBe(true)
  })

  it("points are not re-sent after a 503, but are after a 429", async () => {
    const c = client()
    await c.createCustomer({ email: "ana@example.com" })
    sandbox.setFaults({ script: [{ path: "/multiusers/points", fault: 503 }] })
    const error = await failure(c.addPoints({ email: "ana@example.com", points: 5, concept: "gift" }))
    expect(error).toMatchObject({ code: "http_503", retryable: true, outcomeUnknown: true, attempts: 1 })

    sandbox.setFaults({ retryAfterSeconds: 0, script: [{ path: "/multiusers/points", fault: 429 }] })
    await c.addPoints({ email: "ana@example.com", points: 5, concept: "gift" })
    expect(apiRequests("POST", "/multiusers/points").map((r) => r.status)).toEqual([503, 429, 200])
  })
})

describe("WoowupClient: rate limiter", () => {
  it("never lets more than N requests into any window (counted from the sandbox's log)", async () => {
    const limit = 4
    const windowMs = 1_000
    const own = await startWoowupSandbox({ apiKey: API_KEY, requestsPerMinute: limit, rateLimitWindowMs: windowMs })
    try {
      const c = client({ apiUrl: own.url, requestsPerMinute: limit, rateLimitWindowMs: windowMs })
      const started = Date.now()
      const n = 13
      const results = await Promise.all(Array.from({ length: n }, (_, i) => c.customerExists({ email: `c${i}@example.com` })))
      const elapsed = Date.now() - started
      expect(results).toEqual(Array(n).fill(false))
      const times = own.requests.map((r) => r.time)
      expect(own.requests.every((r) => r.status === 200)).toBe(true) // no 429: the sandbox agrees
      expect(times).toHaveLength(n)
      expect(maxInWindow(times, windowMs)).toBeLessThanOrEqual(limit)
      // 13 requests at 4 per window: 4 batches, each a window after the answers of the one before.
      expect(elapsed).toBeGreaterThanOrEqual(3 * windowMs)
      expect(elapsed).toBeLessThan(3 * windowMs + 1_000)
    } finally {
      await own.close()
    }
  })

  it("storefront reads keep to their share of the window and go after orders; orders never wait behind them", async () => {
    const windowMs = 1_000
    const own = await startWoowupSandbox({ apiKey: API_KEY, requestsPerMinute: 8, rateLimitWindowMs: windowMs })
    try {
      // 8 a window, storefront at most 2 of them (a quarter); no pacing, so only the share and the order count.
      const c = client({ apiUrl: own.url, requestsPerMinute: 8, rateLimitWindowMs: windowMs, rateLimitPaceMs: 0 })
      const started = Date.now()
      const reads = Array.from({ length: 6 }, (_, i) => c.findCustomer({ email: `r${i}@example.com` }, { priority: "storefront" }))
      await new Promise((r) => setTimeout(r, 20))
      const orders = Array.from({ length: 4 }, (_, i) => c.customerExists({ email: `o${i}@example.com` }, { priority: "orders" }))
      await Promise.all(orders)
      const ordersDone = Date.now() - started
      await Promise.all(reads)
      const times = (email: string) => own.requests.filter((r) => r.query.email?.startsWith(email)).map((r) => r.time)
      // The orders went in the first window, beside the two reads the share allows.
      expect(ordersDone).toBeLessThan(windowMs)
      expect(maxInWindow(times("r"), windowMs)).toBeLessThanOrEqual(2)
      expect(maxInWindow(own.requests.map((r) => r.time), windowMs)).toBeLessThanOrEqual(8)
      expect(own.requests.every((r) => r.status === 200 || r.status === 404)).toBe(true)
    } finally {
      await own.close()
    }
  })

  it("close() rejects calls waiting for the limiter", async () => {
    const c = client({ requestsPerMinute: 1, rateLimitWindowMs: 60_000 })
    await c.customerExists({ email: "ana@example.com" })
    const waiting = failure(c.customerExists({ email: "ana@example.com" }))
    await new Promise((r) => setTimeout(r, 20))
    await c.close()
    expect(await waiting).toMatchObject({ code: "client_closed", retryable: true })
    expect(apiRequests()).toHaveLength(1)
  })
})

describe("WoowupClient: under a backlog", () => {
  it("an attempt's timeout starts when it has a connection: a backlog on few connections does not time out", async () => {
    // 24 calls at once on 2 connections, WoowUp answering in 300 ms: the last ones wait 3.3 s for a connection,
    // past the 2.5 s timeout. Counted from the send, no attempt comes near it.
    sandbox.setFaults({ latencyMs: 300 })
    const c = client({ connections: 2, timeoutMs: 2_500, maxRetries: 0, requestsPerMinute: 100_000 })
    const results = await Promise.allSettled(
      Array.from({ length: 24 }, (_, i) => c.customerExists({ email: `c${i}@example.com` }))
    )
    const failed = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[]
    failed.forEach((r) => seenErrors.push(r.reason))
    expect(failed.map((r) => (r.reason as WoowupError).code)).toEqual([])
    expect(apiRequests()).toHaveLength(24)
    // Never more than 2 at the server at once.
    const spans = apiRequests().map((r) => [r.time, r.time + r.durationMs])
    const most = Math.max(...spans.map(([t]) => spans.filter(([a, b]) => a <= t && t < b).length))
    expect(most).toBeLessThanOrEqual(2)
  })

  it("a 429 whose Retry-After is longer than the client waits pauses every call for that long", async () => {
    sandbox.setFaults({ retryAfterSeconds: 120, script: [{ fault: 429 }] })
    const c = client()
    const error = await failure(c.customerExists({ email: "ana@example.com" }))
    expect(error).toMatchObject({ status: 429, retryAfterMs: 120_000, attempts: 1 })
    const pausedUntil = Date.parse(c.usage().paused_until ?? "")
    expect(pausedUntil - Date.now()).toBeGreaterThan(110_000)
    // The rest of the backlog waits instead of hitting WoowUp; the callers can give up.
    const controller = new AbortController()
    const backlog = Array.from({ length: 10 }, (_, i) =>
      failure(c.customerExists({ email: `c${i}@example.com` }, { signal: controller.signal }))
    )
    await new Promise((r) => setTimeout(r, 300))
    controller.abort()
    for (const e of await Promise.all(backlog)) expect(e).toMatchObject({ code: "aborted", attempts: 0 })
    expect(apiRequests()).toHaveLength(1)
  })

  it("a 429 without Retry-After pauses every call for the default, whether or not the call retries", async () => {
    let hits = 0
    const server = http.createServer((_req, res) => {
      hits++
      res.writeHead(hits === 1 ? 429 : 200, { "content-type": "application/json" })
      res.end(JSON.stringify(hits === 1 ? { code: "too_many_request", message: "slow down" } : { code: "ok", payload: { exist: false } }))
    })
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
    try {
      const { port } = server.address() as AddressInfo
      const c = client({ apiUrl: `http://127.0.0.1:${port}/apiv3`, maxRetries: 0, defaultRetryAfterMs: 1_000 })
      expect(await failure(c.customerExists({ email: "ana@example.com" }))).toMatchObject({ status: 429, attempts: 1 })
      expect(c.usage().paused_until).not.toBeNull()
      const started = Date.now()
      expect(await c.customerExists({ email: "ana@example.com" })).toBe(false)
      expect(Date.now() - started).toBeGreaterThanOrEqual(900)
      expect(hits).toBe(2)
      expect(logLines.some((l) => l.level === "warn" && /no Retry-After/.test(l.message))).toBe(true)
    } finally {
      await new Promise((r) => server.close(r))
    }
  })
})

describe("WoowupClient: per-call options and usage", () => {
  it("a signal that aborts while the call waits for the limiter: aborted, retryable, nothing sent", async () => {
    const c = client({ requestsPerMinute: 1, rateLimitWindowMs: 60_000 })
    await c.customerExists({ email: "ana@example.com" })
    const controller = new AbortController()
    const waiting = failure(c.addPoints({ email: "ana@example.com", points: 1, concept: "gift" }, { signal: controller.signal }))
    await new Promise((r) => setTimeout(r, 20))
    controller.abort()
    expect(await waiting).toMatchObject({ code: "aborted", retryable: true, outcomeUnknown: false, attempts: 0 })
    expect(apiRequests()).toHaveLength(1)
    // An already aborted signal: nothing is even queued.
    const error = await failure(c.findCustomer({ email: "ana@example.com" }, { signal: AbortSignal.abort() }))
    expect(error).toMatchObject({ code: "aborted", attempts: 0 })
  })

  it("a signal that aborts between retries stops the retries", async () => {
    sandbox.setFaults({ script: [{ fault: 503, times: 10 }] })
    const controller = new AbortController()
    const c = client({ retryBaseDelayMs: 5_000, retryMaxDelayMs: 5_000 })
    const pending = failure(c.customerExists({ email: "ana@example.com" }, { signal: controller.signal }))
    while (apiRequests().length === 0) await new Promise((r) => setTimeout(r, 10))
    await new Promise((r) => setTimeout(r, 50))
    controller.abort()
    expect(await pending).toMatchObject({ code: "aborted", retryable: true, outcomeUnknown: false, attempts: 1 })
    expect(apiRequests()).toHaveLength(1)
  })

  it("beforeSend runs as each attempt leaves; unless it says yes, nothing is sent", async () => {
    const c = client()
    await c.createCustomer({ email: "ana@example.com" })
    const points = { email: "ana@example.com", points: 5, concept: "gift" }
    const checks: number[] = []
    // A 429 first: the retry is a second departure, checked again.
    sandbox.setFaults({ retryAfterSeconds: 0, script: [{ path: "/multiusers/points", fault: 429 }] })
    await c.addPoints(points, { beforeSend: async () => (checks.push(apiRequests("POST", "/multiusers/points").length), true) })
    expect(checks).toEqual([0, 1])

    for (const no of [async () => false, async () => Promise.reject(new Error("database away"))]) {
      const error = await failure(c.addPoints(points, { beforeSend: no }))
      expect(error).toMatchObject({ code: "aborted", retryable: true, outcomeUnknown: false, attempts: 0 })
      expect(error.message).toMatch(/beforeSend/)
    }
    expect(apiRequests("POST", "/multiusers/points").map((r) => r.status)).toEqual([429, 200])
  })

  it("a request on the wire is not cut by the signal: it completes", async () => {
    const c = client({ timeoutMs: 5_000 })
    await c.createCustomer({ email: "ana@example.com" })
    sandbox.setFaults({ latencyMs: 400 })
    const controller = new AbortController()
    const pending = c.addPoints({ email: "ana@example.com", points: 3, concept: "gift" }, { signal: controller.signal })
    // Sent at once (nothing else is waiting), answered 400 ms later: the abort comes while it is on the wire.
    await new Promise((r) => setTimeout(r, 100))
    controller.abort()
    expect(await pending).toMatchObject({ transaction: expect.objectContaining({ points: 3 }) })
    expect(sandbox.state.customers[0].points).toBe(3)
  })

  it("timeoutMs and maxRetries per call override the client's", async () => {
    sandbox.setFaults({ script: [{ fault: "hang", times: 10 }] })
    const c = client({ timeoutMs: 20_000, maxRetries: 5 })
    const started = Date.now()
    const error = await failure(c.customerExists({ email: "ana@example.com" }, { timeoutMs: 200, maxRetries: 0 }))
    expect(error).toMatchObject({ code: "timeout", attempts: 1 })
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(apiRequests()).toHaveLength(1)

    sandbox.reset()
    sandbox.setFaults({ script: [{ fault: 503, times: 10 }] })
    const retried = await failure(client({ maxRetries: 0 }).customerExists({ email: "ana@example.com" }, { maxRetries: 2 }))
    expect(retried).toMatchObject({ code: "http_503", attempts: 3 })
    expect((await failure(c.customerExists({ email: "a@b.co" }, { timeoutMs: -1 }))).code).toBe("invalid_argument")
  })

  it("usage() counts the requests of the current window", async () => {
    const c = client({ requestsPerMinute: 50, rateLimitWindowMs: 60_000 })
    expect(c.usage()).toEqual({ used: 0, limit: 50, windowMs: 60_000, paused_until: null, source: "memory" })
    await c.customerExists({ email: "ana@example.com" })
    await c.findCustomer({ email: "ana@example.com" })
    expect(c.usage()).toMatchObject({ used: 2, limit: 50, paused_until: null, source: "memory" })
  })
})

describe("WoowupClient: the API key never leaks", () => {
  it("is in no error message, no toJSON(), no log line", () => {
    expect(seenErrors.length).toBeGreaterThan(20)
    expect(logLines.length).toBeGreaterThan(50)
    for (const error of seenErrors) {
      for (const secret of SECRETS) {
        expect(error.message).not.toContain(secret)
        expect(JSON.stringify(error)).not.toContain(secret)
        expect(JSON.stringify(error.toJSON())).not.toContain(secret)
        expect(error.stack ?? "").not.toContain(secret)
      }
      expect(error.message.length).toBeLessThan(400)
      expect(error.path).not.toContain("?")
    }
    for (const line of logLines) {
      for (const secret of SECRETS) expect(line.message).not.toContain(secret)
      // Nor personal data: identities travel in the query or the body, neither of which is logged.
      expect(line.message).not.toMatch(/@example\.com/)
    }
  })
})
