import http from "node:http"
import type { AddressInfo } from "node:net"
import {
  WoowupClient,
  WoowupError,
  productPath,
  type WoowupClientOptions,
  type WoowupProductInput,
} from "../../src/modules/woowup/client"
import { startWoowupSandbox, type SandboxRequest, type WoowupSandbox } from "../../src/sandbox"

/**
 * The catalog calls (`POST /products`, `PUT /products/{sku}`, `GET /products`) through the real client against the
 * WoowUp sandbox, over real HTTP: what is stored, the duplicate and unknown-SKU answers the engine branches on, the
 * sandbox's validation, the SKU's encoding in the path, answers the client cannot use, and the background share.
 */

jest.setTimeout(30_000)

const API_KEY = "wu_live_PRODUCTS_KEY_7d1e4a9b2c"

let sandbox: WoowupSandbox
const clients: WoowupClient[] = []
const logLines: string[] = []
const seenErrors: WoowupError[] = []
const logger = {
  debug: (m: string) => logLines.push(m),
  info: (m: string) => logLines.push(m),
  warn: (m: string) => logLines.push(m),
  error: (m: string) => logLines.push(m),
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

/** A raw call to the sandbox, for what the client would refuse before sending. */
async function raw(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { Authorization: `Basic ${API_KEY}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, json: await res.json() }
}

const tee = (over: Partial<WoowupProductInput> = {}): WoowupProductInput => ({
  sku: "TEE%2FBLK",
  name: "Tee / Black",
  base_sku: "TEE",
  base_name: "Tee",
  brand: "Acme",
  description: "A tee",
  url: "https://shop.example/products/tee",
  image_url: "https://cdn.example/tee.png",
  thumbnail_url: "https://cdn.example/tee-thumb.png",
  price: 20,
  offer_price: 15,
  stock: 7,
  available: true,
  category: ["Clothes", "Tees"],
  specifications: [{ name: "Color", value: "Black" }],
  custom_attributes: { collection: "Summer" },
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
  sandbox = await startWoowupSandbox({ apiKey: API_KEY })
})
beforeEach(() => sandbox.reset())
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
})
afterAll(() => sandbox?.close())

describe("products: create, find, update", () => {
  it("createProduct stores every documented field; findProduct reads it back; an unknown SKU is null", async () => {
    const c = client()
    const echo = await c.createProduct(tee())
    expect(echo).toMatchObject({ sku: "TEE%2FBLK", name: "Tee / Black", price: 20, stock: 7, available: true })
    expect(sandbox.state.products).toHaveLength(1)
    expect(sandbox.state.products[0]).toMatchObject(tee())
    expect(apiRequests("POST", "/products").map((r) => [r.status, r.body])).toEqual([[201, tee()]])

    expect(await c.findProduct("TEE%2FBLK")).toMatchObject({ sku: "TEE%2FBLK", offer_price: 15 })
    expect(await c.findProduct("TEE%2FWHT")).toBeNull()
    expect(apiRequests("GET", "/products").map((r) => r.query.sku)).toEqual(["TEE%2FBLK", "TEE%2FWHT"])
  })

  it("a duplicate POST is product_exists, not retried, and the product is there once: the engine PUTs instead", async () => {
    const c = client()
    await c.createProduct(tee())
    const error = await failure(c.createProduct(tee({ name: "Tee / Black v2" })))
    expect(error).toMatchObject({ code: "product_exists", status: 409, retryable: false, attempts: 1 })
    expect(apiRequests("POST", "/products").map((r) => r.status)).toEqual([201, 409])
    expect(sandbox.state.products).toHaveLength(1)
    expect(sandbox.state.products[0].name).toBe("Tee / Black")
  })

  it("updateProduct replaces the fields given, keeps the others, and a null clears one (a sale that ended)", async () => {
    const c = client()
    await c.createProduct(tee())
    const echo = await c.updateProduct("TEE%2FBLK", { name: "Tee / Black (L)", price: 22, offer_price: null, stock: 0 })
    expect(echo).toMatchObject({ sku: "TEE%2FBLK", name: "Tee / Black (L)", price: 22, stock: 0, brand: "Acme" })
    const stored = sandbox.state.products[0]
    expect(stored).toMatchObject({ name: "Tee / Black (L)", price: 22, stock: 0, brand: "Acme", category: ["Clothes", "Tees"] })
    expect(stored).not.toHaveProperty("offer_price")
    expect(sandbox.state.products).toHaveLength(1)
    expect(apiRequests("PUT").map((r) => [r.path, r.status])).toEqual([["/products/VEVFJTJGQkxL", 200]])
  })

  it("PUT on an unknown SKU: product_not_found (404), not retried, nothing created: the engine POSTs instead", async () => {
    const c = client()
    const error = await failure(c.updateProduct("TEE%2FBLK", { price: 22 }))
    expect(error).toMatchObject({ code: "product_not_found", status: 404, retryable: false, attempts: 1 })
    expect(sandbox.state.products).toHaveLength(0)
    // The engine's reaction converges: create, then later updates land.
    await c.createProduct(tee())
    await c.updateProduct("TEE%2FBLK", { price: 22 })
    expect(sandbox.state.products[0].price).toBe(22)
  })

  it("PUT on an unknown SKU with putCreatesProducts (the other reading): a whole product is created, a partial one refused", async () => {
    sandbox.setFaults({ putCreatesProducts: true })
    const c = client()
    const partial = await failure(c.updateProduct("TEE%2FBLK", { price: 22 }))
    expect(partial).toMatchObject({ code: "bad_request", status: 400, retryable: false })
    expect(partial.details).toEqual(["name: is required"])
    const { sku: _sku, ...rest } = tee()
    expect(await c.updateProduct("TEE%2FBLK", rest)).toMatchObject({ sku: "TEE%2FBLK", name: "Tee / Black" })
    expect(sandbox.state.products.map((p) => p.sku)).toEqual(["TEE%2FBLK"])
    expect(apiRequests("PUT").map((r) => r.status)).toEqual([400, 201])
  })
})

describe("products: the SKU in the path", () => {
  it("is base64-encoded, then URL-encoded, and reaches WoowUp unchanged (a % in it stays a %)", async () => {
    const c = client()
    // base64 of this one ends in "==", which must travel as %3D%3D.
    for (const sku of ["TEE%2FBLK", "SKU-%3E%3F"]) {
      await c.createProduct(tee({ sku }))
      await c.updateProduct(sku, { stock: 3 })
    }
    expect(productPath("TEE%2FBLK")).toBe("/products/VEVFJTJGQkxL")
    expect(productPath("SKU-%3E%3F")).toBe("/products/U0tVLSUzRSUzRg%3D%3D")
    expect(apiRequests("PUT").map((r) => [r.path, r.status])).toEqual([
      ["/products/VEVFJTJGQkxL", 200],
      ["/products/U0tVLSUzRSUzRg%3D%3D", 200],
    ])
    expect(sandbox.state.products.map((p) => [p.sku, p.stock])).toEqual([
      ["TEE%2FBLK", 3],
      ["SKU-%3E%3F", 3],
    ])
  })

  it("the sandbox refuses a path that is not base64 of a valid SKU, and a body whose sku is another", async () => {
    await client().createProduct(tee())
    const plain = await raw("PUT", "/products/TEE%252FBLK", { price: 1 })
    expect(plain.status).toBe(400)
    expect(plain.json.payload.errors[0]).toMatch(/^sku \(path\)/)
    const other = await raw("PUT", "/products/VEVFJTJGQkxL", { sku: "TEE%2FWHT", price: 1 })
    expect(other.status).toBe(400)
    expect(other.json.payload.errors[0]).toMatch(/^sku: /)
    expect(sandbox.state.products[0].price).toBe(20)
  })
})

describe("products: validation", () => {
  it("the sandbox answers 400 bad_request naming every field it refuses", async () => {
    const answer = await raw("POST", "/products", {
      sku: "-TEE",
      price: "20",
      offer_price: true,
      stock: "7",
      available: "yes",
      brand: 3,
      category: "Tees",
      specifications: [{ name: "Color" }],
      custom_attributes: [],
    })
    expect(answer.status).toBe(400)
    expect(answer.json.code).toBe("bad_request")
    expect(answer.json.payload.errors).toEqual([
      'sku: "-TEE" must match ^[^-][a-zA-Z0-9_%-]+$',
      "name: is required",
      "brand: must be a string",
      "price: must be a number",
      "offer_price: must be a number",
      "stock: must be a number",
      "available: must be a boolean",
      "category: must be an array of strings",
      "specifications[0]: must be {name, value} strings",
      "custom_attributes: must be an object",
    ])
    expect((await raw("POST", "/products", { name: "No SKU" })).json.payload.errors).toEqual(["sku: is required"])
    expect((await raw("POST", "/products", { sku: "TEE/BLK", name: "Tee" })).json.payload.errors[0]).toMatch(/^sku: /)
    expect(sandbox.state.products).toHaveLength(0)
  })

  it("the sandbox's 400 reaches the caller as bad_request with its reasons, not retried", async () => {
    // The client checks bodies itself; a field it lets through and WoowUp refuses still comes back named.
    sandbox.setFaults({ script: [{ method: "POST", path: "/products", fault: 400 }] })
    const error = await failure(client().createProduct(tee()))
    expect(error).toMatchObject({ code: "bad_request", status: 400, retryable: false, attempts: 1 })
    expect(error.details?.length).toBe(1)
  })

  it("the client refuses a body off the schema before sending, naming the field", async () => {
    const c = client()
    const cases: Array<[Promise<unknown>, RegExp]> = [
      [c.createProduct(tee({ sku: "TEE/BLK" })), /^sku: must match WoowUp's SKU rule/],
      [c.createProduct(tee({ name: " " })), /^name: must be a non-empty string/],
      [c.createProduct(tee({ price: -1 })), /^price: /],
      [c.createProduct(tee({ specifications: [{ name: "Color" } as never] })), /^specifications\[0\]\.value: /],
      [c.createProduct({ ...tee(), colour: "Black" } as never), /^body: .*colour/],
      [c.updateProduct("TEE/BLK", { price: 1 }), /^sku: must match/],
      [c.updateProduct("TEE%2FBLK", { sku: "TEE%2FWHT" }), /^sku: the body's sku must be the one in the path/],
      [c.updateProduct("TEE%2FBLK", {}), /^body: at least one field/],
      [c.updateProduct("TEE%2FBLK", { available: "yes" as never }), /^available: /],
    ]
    for (const [call, detail] of cases) {
      const error = await failure(call)
      expect(error).toMatchObject({ code: "invalid_argument", retryable: false, attempts: 0 })
      expect(error.message.split("): ")[1]).toMatch(detail)
    }
    expect(sandbox.requests).toHaveLength(0)
  })
})

describe("products: answers the client cannot use, lost answers, auth and the rate limit", () => {
  it("a 200 that is not an envelope is invalid_response (retryable), retried; an ok without code likewise", async () => {
    sandbox.setFaults({ script: [{ method: "POST", path: "/products", fault: "garbage" }, { method: "POST", path: "/products", fault: "no-code" }] })
    const c = client()
    expect(await c.createProduct(tee())).toMatchObject({ sku: "TEE%2FBLK" })
    expect(apiRequests("POST", "/products").map((r) => r.status)).toEqual([200, 200, 201])

    sandbox.setFaults({ script: [{ method: "GET", path: "/products", fault: "garbage", times: 5 }] })
    const error = await failure(c.findProduct("TEE%2FBLK", { maxRetries: 1 }))
    expect(error).toMatchObject({ code: "invalid_response", retryable: true, attempts: 2 })
  })

  it("an ok envelope whose payload is not a product list: unexpected_payload on a read, null on a write", async () => {
    const server = http.createServer((req, res) => {
      req.resume()
      const payload = req.method === "GET" ? { products: "soon" } : "stored"
      res.writeHead(200, { "content-type": "application/json" })
      res.end(JSON.stringify({ code: "ok", message: "ok", payload }))
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    try {
      const c = client({ apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/apiv3` })
      const error = await failure(c.findProduct("TEE%2FBLK"))
      expect(error).toMatchObject({ code: "unexpected_payload", retryable: false, attempts: 1 })
      expect(await c.createProduct(tee())).toBeNull()
      expect(await c.updateProduct("TEE%2FBLK", { stock: 1 })).toBeNull()
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it("other shapes WoowUp may use: a duplicate as internal_error 'ya existe' is product_exists (not retried), one product for a list", async () => {
    const seen: string[] = []
    const server = http.createServer((req, res) => {
      req.resume()
      seen.push(`${req.method} ${req.url}`)
      const [status, body] =
        req.method === "GET"
          ? [200, { code: "ok", message: "ok", payload: { sku: "TEE%2FBLK", name: "Tee", price: "20.5", available: 1 } }]
          : seen.length === 1
            ? [500, { code: "internal_error", message: "El producto ya existe", payload: null }]
            : [400, { code: "bad_request", message: "duplicate specification name", payload: { errors: ["specifications: duplicate name"] } }]
      res.writeHead(status, { "content-type": "application/json" })
      res.end(JSON.stringify(body))
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    try {
      const c = client({ apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/apiv3` })
      expect(await failure(c.createProduct(tee()))).toMatchObject({ code: "product_exists", status: 500, retryable: false, attempts: 1 })
      // A 400 that happens to say "duplicate" is still the caller's mistake, not an existing product.
      expect(await failure(c.createProduct(tee()))).toMatchObject({ code: "bad_request", attempts: 1 })
      expect(await c.findProduct("TEE%2FBLK")).toMatchObject({ sku: "TEE%2FBLK", price: 20.5, available: true })
      expect(seen).toEqual(["POST /apiv3/products", "POST /apiv3/products", "GET /apiv3/products?sku=TEE%252FBLK"])
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it("a create whose answer is lost after it was stored: the retry answers product_exists; the PUT that follows converges", async () => {
    sandbox.setFaults({ script: [{ method: "POST", path: "/products", fault: "drop-after-store" }] })
    const c = client()
    const error = await failure(c.createProduct(tee()))
    expect(error).toMatchObject({ code: "product_exists", retryable: false, attempts: 2 })
    expect(await c.updateProduct("TEE%2FBLK", { name: "Tee / Black" })).toMatchObject({ sku: "TEE%2FBLK" })
    expect(sandbox.state.products).toHaveLength(1)
    expect(apiRequests().map((r) => `${r.method} ${r.status}`)).toEqual(["POST dropped", "POST 409", "PUT 200"])
  })

  it("a wrong key is forbidden; the sandbox's 429 and 503 on product calls are retried", async () => {
    const wrong = await failure(client({ apiKey: "wu_live_WRONG_0000000000" }).createProduct(tee()))
    expect(wrong).toMatchObject({ code: "forbidden", status: 403, attempts: 1 })
    sandbox.setFaults({
      retryAfterSeconds: 0,
      script: [
        { method: "POST", path: "/products", fault: 429 },
        { method: "POST", path: "/products", fault: 503 },
        { method: "PUT", path: productPath("TEE%2FBLK"), fault: 500 },
      ],
    })
    const c = client()
    await c.createProduct(tee())
    await c.updateProduct("TEE%2FBLK", { stock: 2 })
    expect(apiRequests().map((r) => `${r.method} ${r.status}`)).toEqual([
      "POST 403",
      "POST 429",
      "POST 503",
      "POST 201",
      "PUT 500",
      "PUT 200",
    ])
    expect(sandbox.state.products[0].stock).toBe(2)
  })

  it("GET /products filters by sku and available and pages like the other lists", async () => {
    const c = client()
    for (let i = 0; i < 5; i++) await c.createProduct(tee({ sku: `TEE-${i}`, available: i % 2 === 0 }))
    const all = await raw("GET", "/products?limit=2&page=1")
    expect(all.json.payload.map((p: { sku: string }) => p.sku)).toEqual(["TEE-2", "TEE-3"])
    const off = await raw("GET", "/products?available=false")
    expect(off.json.payload.map((p: { sku: string }) => p.sku)).toEqual(["TEE-1", "TEE-3"])
    expect((await raw("GET", "/products?available=maybe")).json.payload.errors).toEqual(["available: must be true or false"])
  })
})

describe("products: the background share", () => {
  it("a backlog of product calls keeps to half the window; purchases and customer calls go first, in the first window", async () => {
    const windowMs = 1_000
    const own = await startWoowupSandbox({ apiKey: API_KEY, requestsPerMinute: 8, rateLimitWindowMs: windowMs })
    try {
      // 8 a window, products at most 4 of them (half); no pacing, so only the share and the order count.
      const c = client({ apiUrl: own.url, requestsPerMinute: 8, rateLimitWindowMs: windowMs, rateLimitPaceMs: 0 })
      const started = Date.now()
      const backfill = Array.from({ length: 10 }, (_, i) => c.createProduct(tee({ sku: `TEE-${i}` })))
      await new Promise((r) => setTimeout(r, 20))
      await c.createCustomer({ email: "ana@example.com" })
      const purchase = await c.createPurchase({
        email: "ana@example.com",
        invoice_number: "o-1",
        purchase_detail: [{ sku: "TEE-0", quantity: 1, unit_price: 20 }],
        prices: { gross: 20, total: 20 },
      })
      const liveDone = Date.now() - started
      await Promise.all(backfill)
      expect(purchase.outcome).toBe("created")
      expect(liveDone).toBeLessThan(windowMs)
      const productTimes = own.requests.filter((r) => r.path === "/products").map((r) => r.time)
      expect(productTimes).toHaveLength(10)
      expect(maxInWindow(productTimes, windowMs)).toBeLessThanOrEqual(4)
      expect(maxInWindow(own.requests.map((r) => r.time), windowMs)).toBeLessThanOrEqual(8)
      expect(own.requests.every((r) => r.status === 201)).toBe(true)
      expect(own.state.products).toHaveLength(10)
    } finally {
      await own.close()
    }
  })
})

describe("products: the API key never leaks", () => {
  it("is in no error and no log line", () => {
    expect(seenErrors.length).toBeGreaterThan(15)
    for (const error of seenErrors) {
      expect(JSON.stringify(error.toJSON())).not.toContain(API_KEY)
      expect(error.message).not.toContain(API_KEY)
    }
    for (const line of logLines) expect(line).not.toContain(API_KEY)
  })
})
