/**
 * Conformance of the WoowUp sandbox to /work/shared/woowup-api.md, over real HTTP, endpoint by endpoint,
 * plus its rate limit, faults, control endpoints and CLI.
 */
import { request as httpRequest } from "node:http"
import { runCli, parseCliArgs } from "../../src/sandbox/cli"
import { startWoowupSandbox, type SandboxFaults, type WoowupSandbox } from "../../src/sandbox"

jest.setTimeout(15_000)

type Answer = { status: number; headers: Headers; text: string; json: any }
type CallOptions = { body?: unknown; raw?: string; query?: Record<string, string | undefined>; headers?: Record<string, string>; signal?: AbortSignal }

let sb: WoowupSandbox

const call = async (method: string, path: string, o: CallOptions = {}, target: WoowupSandbox = sb): Promise<Answer> => {
  const qs = o.query ? `?${new URLSearchParams(o.query as Record<string, string>)}` : ""
  const res = await fetch(`${target.url}${path}${qs}`, {
    method,
    headers: { Authorization: `Basic ${target.apiKey}`, Accept: "application/json", "Content-Type": "application/json", ...o.headers },
    body: o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body)),
    signal: o.signal,
  })
  const text = await res.text()
  let json: any
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  return { status: res.status, headers: res.headers, text, json }
}

const createUser = (fields: Record<string, unknown>) => call("POST", "/users", { body: fields })

const item = (over: Record<string, unknown> = {}) => ({ sku: "SKU-1", quantity: 2, unit_price: 10.5, product_name: "Shirt", ...over })
const purchase = (over: Record<string, unknown> = {}) => ({
  email: "ana@example.com",
  invoice_number: "INV-1",
  purchase_detail: [item()],
  prices: { gross: 21, discount: 0, shipping: 5, tax: 0, total: 21, cost: 0 },
  channel: "web",
  branch_name: "Medusa",
  createtime: "2026-11-25 15:19:21",
  approvedtime: "2026-11-25T15:19:21+00:00",
  payment: [{ type: "credit", brand: "visa", total: 26, installments: 1 }],
  points: 21,
  ...over,
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Polls until `check` holds (the server sees a client's abort a moment after the client does). */
const eventually = async (check: () => boolean, ms = 2000) => {
  const end = Date.now() + ms
  while (!check() && Date.now() < end) await sleep(10)
  return check()
}

beforeAll(async () => {
  sb = await startWoowupSandbox()
})
afterAll(() => sb.close())
beforeEach(() => sb.reset())

describe("auth and envelope", () => {
  it("answers 403 forbidden without the raw key as Basic, and ok with it", async () => {
    const path = "/multiusers/exist"
    const query = { email: "x@example.com" }
    const none = await call("GET", path, { query, headers: { Authorization: "" } })
    const wrong = await call("GET", path, { query, headers: { Authorization: "Basic nope" } })
    const base64 = await call("GET", path, { query, headers: { Authorization: `Basic ${Buffer.from(sb.apiKey).toString("base64")}` } })
    const legacy = await call("GET", path, { query, headers: { Authorization: "", Apikey: sb.apiKey } })
    for (const a of [none, wrong, base64, legacy]) {
      expect(a.status).toBe(403)
      expect(a.json.code).toBe("forbidden")
    }
    const good = await call("GET", path, { query })
    expect(good.status).toBe(200)
    expect(good.json).toEqual({ payload: { exist: false }, message: "ok", code: "ok", time: expect.stringMatching(/^\d+ms$/) })
    expect(sb.requests.map((r) => r.status)).toEqual([403, 403, 403, 403, 200])
  })

  it("carries the x-rate-limit headers on every API answer, 403s included", async () => {
    const denied = await call("GET", "/multiusers/exist", { query: { email: "a@b.co" }, headers: { Authorization: "Basic x" } })
    const first = await call("GET", "/multiusers/exist", { query: { email: "a@b.co" } })
    const second = await call("GET", "/multiusers/exist", { query: { email: "a@b.co" } })
    expect(denied.headers.get("x-rate-limit-limit")).toBe("140")
    expect(denied.headers.get("x-rate-limit-remaining")).toBe("140") // 403s take no slot
    expect(first.headers.get("x-rate-limit-remaining")).toBe("139")
    expect(second.headers.get("x-rate-limit-remaining")).toBe("138")
    expect(Number(second.headers.get("x-rate-limit-reset"))).toBeGreaterThanOrEqual(1)
  })

  it("answers unknown paths 404 not_found and wrong methods 405, and logs them", async () => {
    expect((await call("GET", "/nope")).json.code).toBe("not_found")
    const wrongMethod = await call("DELETE", "/purchases")
    expect(wrongMethod.status).toBe(405)
    expect(sb.requests.map((r) => [r.method, r.path, r.status])).toEqual([["GET", "/nope", 404], ["DELETE", "/purchases", 405]])
    // Outside /apiv3 and /__sandbox: not an API request, not logged.
    expect((await fetch(sb.url.replace("/apiv3", "/other"))).status).toBe(404)
    expect(sb.requests).toHaveLength(2)
  })
})

describe("customers", () => {
  it("POST /users creates a customer with a generated service_uid and 0 points (201)", async () => {
    const a = await createUser({ email: "Ana@Example.com", first_name: "Ana", country: "ARG", birthdate: "1990-02-28", tags: ["vip"], mailing_enabled: true, custom_attributes: { size: "M" }, points: 500, concept: "x" })
    expect(a.status).toBe(201)
    expect(a.json.payload).not.toHaveProperty("concept") // undocumented fields are not kept; points start at 0
    expect(a.json.code).toBe("ok")
    expect(a.json.payload).toMatchObject({ email: "Ana@Example.com", first_name: "Ana", country: "ARG", points: 0, service_uid: expect.stringMatching(/^[0-9a-f]{32}$/) })
    const b = await createUser({ service_uid: "given-uid" })
    expect(b.json.payload.service_uid).toBe("given-uid")
    expect(sb.state.customers).toHaveLength(2)
  })

  it("POST /users refuses an existing identity with 500 internal_error 'usuario existente' (emails case-insensitively)", async () => {
    await createUser({ email: "ana@example.com", document: "123" })
    for (const again of [{ email: "ANA@example.COM" }, { document: "123", email: "other@example.com" }]) {
      const a = await createUser(again)
      expect(a.status).toBe(500)
      expect(a.json).toMatchObject({ code: "internal_error", message: "usuario existente" })
    }
    expect(sb.state.customers).toHaveLength(1)
  })

  it.each([
    [{ first_name: "No identity" }, "identity"],
    [{ email: "not-an-email" }, "email"],
    [{ email: "a@b.co", country: "AR" }, "country"],
    [{ email: "a@b.co", country: "arg" }, "country"],
    [{ email: "a@b.co", birthdate: "1990-02-30" }, "birthdate"],
    [{ email: "a@b.co", birthdate: "30/01/1990" }, "birthdate"],
    [{ email: "a@b.co", first_name: 5 }, "first_name"],
    [{ email: "a@b.co", custom_attributes: [] }, "custom_attributes"],
    [{ telephone: 5491155555555 }, "telephone"],
  ])("POST /users %j → 400 bad_request naming %s", async (body, field) => {
    const a = await createUser(body)
    expect(a.status).toBe(400)
    expect(a.json.code).toBe("bad_request")
    expect(a.json.payload.errors.some((e: string) => e.startsWith(`${field}:`))).toBe(true)
    expect(sb.state.customers).toHaveLength(0)
  })

  it("GET /multiusers/exist and /find match any identity field; find answers 404 user_not_found", async () => {
    const uid = (await createUser({ email: "ana@example.com", document: "30111222", telephone: "+5491155550000" })).json.payload.service_uid
    for (const query of [{ email: "ANA@EXAMPLE.COM" }, { document: "30111222" }, { telephone: "+5491155550000" }, { service_uid: uid }, { email: "nobody@x.co", document: "30111222" }]) {
      expect((await call("GET", "/multiusers/exist", { query })).json.payload).toEqual({ exist: true })
      const found = await call("GET", "/multiusers/find", { query })
      expect(found.status).toBe(200)
      expect(found.json.payload).toMatchObject({ service_uid: uid, email: "ana@example.com", points: 0 })
    }
    expect((await call("GET", "/multiusers/exist", { query: { email: "nobody@x.co" } })).json.payload).toEqual({ exist: false })
    const missing = await call("GET", "/multiusers/find", { query: { document: "999" } })
    expect(missing.status).toBe(404)
    expect(missing.json.code).toBe("user_not_found")
    const noIdentity = await call("GET", "/multiusers/find", { query: { first_name: "Ana" } })
    expect(noIdentity.status).toBe(400)
    expect(noIdentity.json.code).toBe("bad_request")
  })

  it("PUT /multiusers updates the matched customer, 404 user_not_found when unknown, 500 on an identity taken", async () => {
    const uid = (await createUser({ email: "ana@example.com" })).json.payload.service_uid
    await createUser({ email: "bob@example.com" })
    const updated = await call("PUT", "/multiusers", { body: { service_uid: uid, first_name: "Ana María", city: "Rosario", points: 999 } })
    expect(updated.status).toBe(200)
    expect(updated.json.payload).toMatchObject({ service_uid: uid, first_name: "Ana María", city: "Rosario", points: 0 })
    expect((await call("PUT", "/multiusers", { body: { email: "zed@example.com", first_name: "Z" } })).json.code).toBe("user_not_found")
    const clash = await call("PUT", "/multiusers", { body: { service_uid: uid, email: "BOB@example.com" } })
    expect(clash.json).toMatchObject({ code: "internal_error", message: "usuario existente" })
    expect((await call("PUT", "/multiusers", { body: { email: "ana@example.com", country: "Argentina" } })).status).toBe(400)
  })
})

// WoowUp finds a customer by any of its identifiers: a phone shared by a household belongs to the first who gave it.
describe("customers matched on any identifier (shared phones)", () => {
  const phone = "+5491155550000"
  let first: string

  beforeEach(async () => {
    first = (await createUser({ email: "ana@example.com", telephone: phone, first_name: "Ana" })).json.payload.service_uid
  })

  it("POST /users conflicts when any identifier in the body belongs to another customer; without it, it creates", async () => {
    const clash = await createUser({ email: "bob@example.com", telephone: phone, first_name: "Bob" })
    expect(clash.status).toBe(500)
    expect(clash.json).toMatchObject({ code: "internal_error", message: "usuario existente" })
    expect(sb.state.customers).toHaveLength(1)

    const created = await createUser({ email: "bob@example.com", first_name: "Bob", city: "Rosario" })
    expect(created.status).toBe(201)
    expect(created.json.payload).toMatchObject({ email: "bob@example.com", first_name: "Bob", city: "Rosario" })
    expect(created.json.payload).not.toHaveProperty("telephone")
    expect(created.json.payload.service_uid).not.toBe(first)
  })

  it("a purchase is attributed to the customer its identity fields match, whoever else shares data", async () => {
    const bob = (await createUser({ email: "bob@example.com" })).json.payload.service_uid
    const byEmail = await call("POST", "/purchases", { body: purchase({ email: "bob@example.com", invoice_number: "B-1", points: 7 }) })
    expect(byEmail.json.payload.service_uid).toBe(bob)
    // An unknown email beside a known phone: the phone's owner gets it. The plugin never sends a second identifier.
    const byPhone = await call("POST", "/purchases", { body: purchase({ email: "nobody@example.com", telephone: phone, invoice_number: "X-1", points: 3 }) })
    expect(byPhone.json.payload.service_uid).toBe(first)
    // Identifiers of two customers: the first created of them.
    const both = await call("POST", "/purchases", { body: purchase({ email: "bob@example.com", telephone: phone, invoice_number: "X-2", points: 1 }) })
    expect(both.json.payload.service_uid).toBe(first)
    expect(sb.state.customers.find((c) => c.service_uid === bob)?.points).toBe(7)
    expect(sb.state.customers.find((c) => c.service_uid === first)?.points).toBe(4)
  })

  it("points calls and reads follow the same matching", async () => {
    const bob = (await createUser({ email: "bob@example.com" })).json.payload.service_uid
    const add = await call("POST", "/multiusers/points", { body: { email: "bob@example.com", points: 5, concept: "gift" } })
    expect(add.json.payload).toMatchObject({ service_uid: bob, points: 5 })
    expect((await call("GET", "/multiusers/find", { query: { telephone: phone } })).json.payload.service_uid).toBe(first)
    expect((await call("GET", "/multiusers/find", { query: { email: "bob@example.com" } })).json.payload.service_uid).toBe(bob)
    const txs = await call("GET", "/multiusers/transactions", { query: { telephone: phone } })
    expect(txs.json.payload).toEqual([])
  })
})

describe("POST /purchases", () => {
  beforeEach(async () => {
    await createUser({ email: "ana@example.com" })
  })

  it("stores the purchase (201, payload echoes it with an id) and credits its points at once", async () => {
    const a = await call("POST", "/purchases", { body: purchase() })
    expect(a.status).toBe(201)
    expect(a.json.code).toBe("ok")
    expect(a.json.payload).toMatchObject({ ...purchase(), id: expect.any(String) })
    expect(sb.state.purchases).toHaveLength(1)
    const customer = sb.state.customers[0]
    expect(customer.points).toBe(21)
    expect(sb.state.transactions).toEqual([
      { id: expect.any(String), service_uid: customer.service_uid, points: 21, concept: "purchase", description: "INV-1", createtime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) },
    ])
  })

  it("credits nothing when points is left out or 0, and accepts a purchase without prices", async () => {
    const { points: _p, prices: _pr, ...noPoints } = purchase()
    expect((await call("POST", "/purchases", { body: noPoints })).status).toBe(201)
    expect((await call("POST", "/purchases", { body: purchase({ invoice_number: "INV-2", points: 0 }) })).status).toBe(201)
    expect(sb.state.customers[0].points).toBe(0)
    expect(sb.state.transactions).toHaveLength(0)
  })

  it.each(["AB", "a1", "SKU-1", "x%2Fy", "A_b-c%", "9-"])("accepts the SKU %j", async (sku) => {
    expect((await call("POST", "/purchases", { body: purchase({ purchase_detail: [item({ sku })] }) })).status).toBe(201)
  })

  it.each(["-AB", "A", "", "A.B", "A/B", "A B", "CAMISÁ", "ab\n", 123])("refuses the SKU %j naming purchase_detail[1].sku", async (sku) => {
    const a = await call("POST", "/purchases", { body: purchase({ purchase_detail: [item(), item({ sku })] }) })
    expect(a.status).toBe(400)
    expect(a.json.code).toBe("bad_request")
    expect(a.json.payload.errors).toEqual([expect.stringMatching(/^purchase_detail\[1\]\.sku: /)])
    expect(sb.state.purchases).toHaveLength(0)
  })

  it.each([
    [{ purchase_detail: [item({ quantity: 1.5 })] }, "purchase_detail[0].quantity"],
    [{ purchase_detail: [item({ quantity: "2" })] }, "purchase_detail[0].quantity"],
    [{ purchase_detail: [item({ unit_price: "10.5" })] }, "purchase_detail[0].unit_price"],
    [{ purchase_detail: [{ sku: "AB", quantity: 1 }] }, "purchase_detail[0].unit_price"],
    [{ purchase_detail: [] }, "purchase_detail"],
    [{ purchase_detail: undefined }, "purchase_detail"],
    [{ invoice_number: "" }, "invoice_number"],
    [{ invoice_number: 42 }, "invoice_number"],
    [{ email: undefined }, "identity"],
    [{ prices: { total: "21" } }, "prices.total"],
    [{ prices: 21 }, "prices"],
    [{ points: 2.5 }, "points"],
    [{ createtime: "2026-11-25" }, "createtime"],
    [{ createtime: "2026-11-25T15:19:21" }, "createtime"],
    [{ approvedtime: "2026-13-01 00:00:00" }, "approvedtime"],
    [{ payment: [{ type: "bitcoin" }] }, "payment[0].type"],
  ])("refuses %j with an error naming %s", async (over, field) => {
    const a = await call("POST", "/purchases", { body: purchase(over) })
    expect(a.status).toBe(400)
    expect(a.json.payload.errors.some((e: string) => e.startsWith(`${field}: `))).toBe(true)
  })

  it("accepts both date forms and lists every error at once", async () => {
    expect((await call("POST", "/purchases", { body: purchase({ createtime: "2026-11-25T12:19:21-03:00", approvedtime: "2026-11-25T15:19:21Z" }) })).status).toBe(201)
    const a = await call("POST", "/purchases", { body: purchase({ invoice_number: "", points: "x", purchase_detail: [item({ sku: "-x", quantity: 0.5 })] }) })
    expect(a.json.payload.errors).toHaveLength(4)
  })

  it("checks validation, then duplicated_purchase_number (409), then user_not_found (404)", async () => {
    await call("POST", "/purchases", { body: purchase() })
    const invalidDuplicate = await call("POST", "/purchases", { body: purchase({ purchase_detail: [item({ sku: "-" })] }) })
    expect(invalidDuplicate.json.code).toBe("bad_request")
    const duplicateOfUnknown = await call("POST", "/purchases", { body: purchase({ email: "nobody@example.com" }) })
    expect(duplicateOfUnknown.status).toBe(409)
    expect(duplicateOfUnknown.json.code).toBe("duplicated_purchase_number")
    const unknown = await call("POST", "/purchases", { body: purchase({ email: "nobody@example.com", invoice_number: "INV-2" }) })
    expect(unknown.status).toBe(404)
    expect(unknown.json.code).toBe("user_not_found")
    expect(sb.state.purchases).toHaveLength(1)
    expect(sb.state.customers[0].points).toBe(21) // the duplicate credited nothing
  })

  it("refuses a body over maxBodyBytes, invalid JSON and non-object bodies with 400", async () => {
    const big = purchase({ purchase_detail: Array.from({ length: 3000 }, (_, i) => item({ sku: `SKU-${i}`, product_name: "x".repeat(80) })) })
    const tooBig = await call("POST", "/purchases", { body: big })
    expect(JSON.stringify(big).length).toBeGreaterThan(256 * 1024)
    expect(tooBig.status).toBe(400)
    expect(tooBig.json.payload.errors[0]).toMatch(/^body: \d+ bytes is over the 262144 bytes limit$/)
    expect(sb.requests.at(-1)!.body).toBeUndefined()
    const invalid = await call("POST", "/purchases", { raw: '{"email": "ana@example.com",' })
    expect(invalid.status).toBe(400)
    expect(invalid.json.payload.errors).toEqual(["body: invalid JSON"])
    expect(sb.requests.at(-1)!.body).toBe('{"email": "ana@example.com",')
    for (const raw of ["", "null", "42", '"text"', "[]", '{"__proto__": {"polluted": true}}']) {
      const a = await call("POST", "/purchases", { raw })
      expect(a.status).toBe(400)
    }
    expect(({} as any).polluted).toBeUndefined()
    expect(sb.state.purchases).toHaveLength(0)
  })
})

describe("PUT, GET and bulk /purchases", () => {
  beforeEach(async () => {
    await createUser({ email: "ana@example.com" })
    await createUser({ email: "bob@example.com" })
  })

  it("PUT /purchases updates by invoice_number (points stay credited once) and answers 404 not_found when absent", async () => {
    const created = (await call("POST", "/purchases", { body: purchase() })).json.payload
    const a = await call("PUT", "/purchases", { body: { invoice_number: "INV-1", branch_name: "Centro", points: 500 } })
    expect(a.status).toBe(200)
    expect(a.json.payload).toMatchObject({ id: created.id, branch_name: "Centro", points: 21 })
    expect(sb.state.customers[0].points).toBe(21)
    const missing = await call("PUT", "/purchases", { body: { invoice_number: "INV-404", branch_name: "x" } })
    expect(missing.status).toBe(404)
    expect(missing.json.code).toBe("not_found")
    expect((await call("PUT", "/purchases", { body: { branch_name: "x" } })).status).toBe(400)
  })

  it("GET /purchases?invoice_number= answers an array", async () => {
    await call("POST", "/purchases", { body: purchase() })
    await call("POST", "/purchases", { body: purchase({ invoice_number: "INV-2", email: "bob@example.com" }) })
    const one = await call("GET", "/purchases", { query: { invoice_number: "INV-2" } })
    expect(one.json.payload).toEqual([expect.objectContaining({ invoice_number: "INV-2" })])
    expect((await call("GET", "/purchases", { query: { invoice_number: "INV-9" } })).json.payload).toEqual([])
    expect((await call("GET", "/purchases", { query: { email: "ana@example.com" } })).json.payload.map((p: any) => p.invoice_number)).toEqual(["INV-1"])
  })

  it("POST /purchases/bulk validates each item like a single one and answers per item", async () => {
    const a = await call("POST", "/purchases/bulk", {
      body: [purchase(), purchase({ invoice_number: "INV-2", purchase_detail: [item({ sku: "a.b" })] }), purchase(), purchase({ invoice_number: "INV-3", email: "zed@example.com" }), purchase({ invoice_number: "INV-4", email: "bob@example.com", points: 4 })],
    })
    expect(a.status).toBe(200)
    expect(a.json.payload.map((r: any) => [r.index, r.invoice_number, r.status, r.code])).toEqual([
      [0, "INV-1", 201, "ok"],
      [1, "INV-2", 400, "bad_request"],
      [2, "INV-1", 409, "duplicated_purchase_number"],
      [3, "INV-3", 404, "user_not_found"],
      [4, "INV-4", 201, "ok"],
    ])
    expect(a.json.payload[1].payload.errors[0]).toMatch(/^purchase_detail\[0\]\.sku: /)
    expect(sb.state.purchases.map((p) => p.invoice_number)).toEqual(["INV-1", "INV-4"])
    expect(sb.state.customers.map((c) => c.points)).toEqual([21, 4])
    expect((await call("POST", "/purchases/bulk", { body: purchase() })).status).toBe(400)
    expect((await call("POST", "/purchases/bulk", { body: [] })).status).toBe(400)
  })
})

describe("points and transactions", () => {
  let uid: string
  beforeEach(async () => {
    uid = (await createUser({ email: "ana@example.com" })).json.payload.service_uid
  })

  it("POST /multiusers/points adds and subtracts, recording a transaction", async () => {
    const add = await call("POST", "/multiusers/points", { body: { email: "ana@example.com", points: 100, concept: "gift", description: "welcome" } })
    expect(add.status).toBe(200)
    expect(add.json.payload).toMatchObject({ service_uid: uid, points: 100, transaction: { points: 100, concept: "gift", description: "welcome" } })
    const sub = await call("POST", "/multiusers/points", { body: { service_uid: uid, points: -30, concept: "cancel_invoice", description: "token-1" } })
    expect(sub.json.payload.points).toBe(70)
    expect(sb.state.customers[0].points).toBe(70)
    expect(sb.state.transactions.map((t) => t.points)).toEqual([100, -30])
  })

  it.each([
    [{ email: "ana@example.com", points: 0, concept: "gift" }, "points"],
    [{ email: "ana@example.com", points: 1.5, concept: "gift" }, "points"],
    [{ email: "ana@example.com", points: "5", concept: "gift" }, "points"],
    [{ email: "ana@example.com", points: 5, concept: "" }, "concept"],
    [{ email: "ana@example.com", points: 5 }, "concept"],
    [{ email: "ana@example.com", points: 5, concept: "gift", description: 7 }, "description"],
    [{ points: 5, concept: "gift" }, "identity"],
  ])("POST /multiusers/points refuses %j naming %s", async (body, field) => {
    const a = await call("POST", "/multiusers/points", { body })
    expect(a.status).toBe(400)
    expect(a.json.payload.errors.some((e: string) => e.startsWith(`${field}: `))).toBe(true)
    expect(sb.state.transactions).toHaveLength(0)
  })

  it("POST /multiusers/points answers 404 user_not_found for an unknown customer", async () => {
    const a = await call("POST", "/multiusers/points", { body: { email: "zed@example.com", points: 5, concept: "gift" } })
    expect(a.status).toBe(404)
    expect(a.json.code).toBe("user_not_found")
  })

  it("GET /multiusers/transactions lists newest first, paged (page 0-based, limit default 25, max 100)", async () => {
    for (let i = 1; i <= 130; i++) sb.state.transactions.push({ id: `t${i}`, service_uid: uid, points: i, concept: "gift", createtime: "2026-01-01 00:00:00" })
    sb.state.transactions.push({ id: "other", service_uid: "someone-else", points: 1, concept: "gift", createtime: "2026-01-02 00:00:00" })
    await call("POST", "/multiusers/points", { body: { email: "ana@example.com", points: 7, concept: "gift", description: "newest" } })
    const first = await call("GET", "/multiusers/transactions", { query: { email: "ana@example.com" } })
    expect(first.json.payload).toHaveLength(25)
    expect(first.json.payload[0].description).toBe("newest")
    expect(first.json.payload[1].id).toBe("t130")
    const second = await call("GET", "/multiusers/transactions", { query: { email: "ana@example.com", page: "1", limit: "10" } })
    expect(second.json.payload.map((t: any) => t.id)).toEqual(Array.from({ length: 10 }, (_, i) => `t${121 - i}`)) // [newest, t130, t129, ...]: items 10-19
    expect((await call("GET", "/multiusers/transactions", { query: { email: "ana@example.com", limit: "500" } })).json.payload).toHaveLength(100)
    expect((await call("GET", "/multiusers/transactions", { query: { email: "ana@example.com", page: "1", limit: "100" } })).json.payload).toHaveLength(31)
    expect((await call("GET", "/multiusers/transactions", { query: { email: "ana@example.com", page: "2", limit: "100" } })).json.payload).toEqual([])
    for (const bad of [{ page: "-1" }, { limit: "0" }, { page: "one" }]) {
      expect((await call("GET", "/multiusers/transactions", { query: { email: "ana@example.com", ...bad } })).status).toBe(400)
    }
  })

  it("GET /multiusers/transactions filters by from/to and answers 404 for an unknown customer", async () => {
    sb.state.transactions.push(
      { id: "jan", service_uid: uid, points: 1, concept: "gift", createtime: "2026-01-15 10:00:00" },
      { id: "feb", service_uid: uid, points: 2, concept: "gift", createtime: "2026-02-15 23:59:59" },
      { id: "mar", service_uid: uid, points: 3, concept: "gift", createtime: "2026-03-15 00:00:00" }
    )
    const ids = async (query: Record<string, string>) =>
      (await call("GET", "/multiusers/transactions", { query: { service_uid: uid, ...query } })).json.payload.map((t: any) => t.id)
    expect(await ids({ from: "2026-02-01" })).toEqual(["mar", "feb"])
    expect(await ids({ to: "2026-02-15" })).toEqual(["feb", "jan"])
    expect(await ids({ from: "2026-02-01", to: "2026-02-28" })).toEqual(["feb"])
    expect(await ids({ from: "2026-01-15 10:00:01" })).toEqual(["mar", "feb"])
    expect((await call("GET", "/multiusers/transactions", { query: { service_uid: uid, from: "yesterday" } })).status).toBe(400)
    const unknown = await call("GET", "/multiusers/transactions", { query: { email: "zed@example.com" } })
    expect(unknown.status).toBe(404)
    expect(unknown.json.code).toBe("user_not_found")
  })

  it("reads zone-less query dates as local time at zonelessUtcOffsetHours, and dates with an offset as they say", async () => {
    sb.state.transactions.push({ id: "noon", service_uid: uid, points: 1, concept: "gift", createtime: "2026-02-15 12:00:00" })
    const ids = async (from: string) =>
      (await call("GET", "/multiusers/transactions", { query: { service_uid: uid, from } })).json.payload.map((t: any) => t.id)
    sb.setFaults({ zonelessUtcOffsetHours: -3 })
    // 11:00 in Buenos Aires is 14:00 UTC: after the transaction.
    expect(await ids("2026-02-15 11:00:00")).toEqual([])
    expect(await ids("2026-02-15T11:00:00+00:00")).toEqual(["noon"])
    sb.setFaults({})
    expect(await ids("2026-02-15 11:00:00")).toEqual(["noon"])
  })

  it("answers at most pageCap items a page, whatever limit asks", async () => {
    for (let i = 0; i < 12; i++) {
      sb.state.transactions.push({ id: `t${i}`, service_uid: uid, points: 1, concept: "gift", createtime: `2026-03-01 00:00:${String(i).padStart(2, "0")}` })
    }
    sb.setFaults({ pageCap: 5 })
    const page = async (n: number) =>
      (await call("GET", "/multiusers/transactions", { query: { service_uid: uid, limit: "100", page: String(n) } })).json.payload.length
    expect([await page(0), await page(1), await page(2), await page(3)]).toEqual([5, 5, 2, 0])
    expect((await call("GET", "/purchases", { query: { limit: "100" } })).status).toBe(200)
  })

  it("GET /purchases pages too", async () => {
    for (let i = 0; i < 30; i++) await call("POST", "/purchases", { body: purchase({ invoice_number: `P-${i}` }) })
    expect((await call("GET", "/purchases")).json.payload).toHaveLength(25)
    expect((await call("GET", "/purchases", { query: { page: "1" } })).json.payload.map((p: any) => p.invoice_number)).toEqual(["P-25", "P-26", "P-27", "P-28", "P-29"])
  })
})

describe("rate limit", () => {
  const N = 5
  const WINDOW = 600
  let limited: WoowupSandbox
  beforeAll(async () => {
    limited = await startWoowupSandbox({ requestsPerMinute: N, rateLimitWindowMs: WINDOW, apiKey: "k2" })
  })
  afterAll(() => limited.close())
  beforeEach(() => limited.reset())

  const exist = () => call("GET", "/multiusers/exist", { query: { email: "a@b.co" } }, limited)

  /** From the log: the most accepted requests (not 429, not 403) inside any window. */
  const maxInAnyWindow = () => {
    const times = limited.requests.filter((r) => r.status !== 429 && r.status !== 403).map((r) => r.time).sort((a, b) => a - b)
    let max = 0
    for (let i = 0; i < times.length; i++) max = Math.max(max, times.filter((t) => t >= times[i] && t < times[i] + WINDOW).length)
    return max
  }

  it("accepts N per window, refuses the rest with 429 too_many_request and Retry-After, without taking slots", async () => {
    const burst = await Promise.all(Array.from({ length: 12 }, exist))
    const statuses = burst.map((a) => a.status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(N)
    expect(statuses.filter((s) => s === 429)).toHaveLength(12 - N)
    const refused = burst.find((a) => a.status === 429)!
    expect(refused.json.code).toBe("too_many_request")
    expect(refused.headers.get("retry-after")).toBe("1") // whole seconds, at least 1
    expect(refused.headers.get("x-rate-limit-remaining")).toBe("0")
    expect(burst.filter((a) => a.status === 200).map((a) => a.headers.get("x-rate-limit-remaining")).sort()).toEqual(["0", "1", "2", "3", "4"])
    expect(limited.requests).toHaveLength(12) // 429s are logged

    // Keep knocking for a while: refused requests must not push the window forward.
    const end = Date.now() + WINDOW * 2.5
    while (Date.now() < end) {
      await exist()
      await sleep(20)
    }
    expect(maxInAnyWindow()).toBe(N)
    const accepted = limited.requests.filter((r) => r.status === 200).length
    expect(accepted).toBeGreaterThanOrEqual(2 * N) // slots did free up: 429s took none
    expect(accepted).toBeLessThanOrEqual(4 * N)
  })

  it("Retry-After counts whole seconds until a slot frees", async () => {
    const slow = await startWoowupSandbox({ requestsPerMinute: 2, rateLimitWindowMs: 2500 })
    try {
      await call("GET", "/multiusers/exist", { query: { email: "a@b.co" } }, slow)
      await call("GET", "/multiusers/exist", { query: { email: "a@b.co" } }, slow)
      const refused = await call("GET", "/multiusers/exist", { query: { email: "a@b.co" } }, slow)
      expect(refused.status).toBe(429)
      expect(refused.headers.get("retry-after")).toBe("3")
      expect(refused.headers.get("x-rate-limit-reset")).toBe("3")
    } finally {
      await slow.close()
    }
  })

  it("orders auth, then faults, then the rate limit: 403 and injected faults take no slot", async () => {
    limited.setFaults({ script: [{ fault: 503, times: 3 }] })
    const denied = await call("GET", "/multiusers/exist", { query: { email: "a@b.co" }, headers: { Authorization: "Basic bad" } }, limited)
    expect(denied.status).toBe(403) // auth first: the scripted fault is not consumed
    for (let i = 0; i < 3; i++) expect((await exist()).status).toBe(503)
    const after = await Promise.all(Array.from({ length: N + 1 }, exist))
    expect(after.map((a) => a.status).sort()).toEqual([...Array(N).fill(200), 429])
    // A fault is injected even when the window is full (faults come before the rate limit).
    limited.setFaults({ script: [{ fault: 500 }] })
    expect((await exist()).status).toBe(500)
    expect((await exist()).status).toBe(429)
  })
})

describe("faults", () => {
  beforeEach(async () => {
    await createUser({ email: "ana@example.com" })
    sb.requests.length = 0
  })
  const find = (signal?: AbortSignal) => call("GET", "/multiusers/find", { query: { email: "ana@example.com" }, signal })

  it("500 → JSON internal_error; 502/503/504 → an HTML gateway page; 429 → Retry-After retryAfterSeconds", async () => {
    sb.setFaults({ retryAfterSeconds: 7, script: [{ fault: 500 }, { fault: 502 }, { fault: 503, path: "/multiusers/find" }, { fault: 504, method: "get" }, { fault: 429 }] })
    const e500 = await find()
    expect(e500.status).toBe(500)
    expect(e500.json.code).toBe("internal_error")
    for (const status of [502, 503, 504]) {
      const a = await find()
      expect(a.status).toBe(status)
      expect(a.headers.get("content-type")).toMatch(/^text\/html/)
      expect(a.json).toBeUndefined()
      expect(a.text).toContain(`<h1>${status}`)
    }
    const e429 = await find()
    expect(e429.status).toBe(429)
    expect(e429.json.code).toBe("too_many_request")
    expect(e429.headers.get("retry-after")).toBe("7")
    expect((await find()).status).toBe(200) // the script is used up
    expect(sb.requests.map((r) => r.fault)).toEqual([500, 502, 503, 504, 429, undefined])
  })

  it("script steps match method and path, first match wins, and apply `times` times", async () => {
    sb.setFaults({ script: [{ method: "POST", path: "/purchases", fault: 503, times: 2 }, { path: "/multiusers/exist", fault: 500 }, { fault: 502 }] })
    expect((await call("GET", "/multiusers/exist", { query: { email: "a@b.co" } })).status).toBe(500)
    expect((await call("GET", "/multiusers/exist", { query: { email: "a@b.co" } })).status).toBe(502)
    expect((await find()).status).toBe(200)
    expect((await call("POST", "/purchases", { body: purchase() })).status).toBe(503)
    expect((await call("POST", "/purchases", { body: purchase() })).status).toBe(503)
    expect((await call("POST", "/purchases", { body: purchase() })).status).toBe(201)
    expect(sb.state.purchases).toHaveLength(1)
  })

  it('"garbage" answers 200 with a body that is not JSON; "no-code" answers 200 JSON without code', async () => {
    sb.setFaults({ script: [{ fault: "garbage" }, { fault: "no-code" }] })
    const garbage = await find()
    expect(garbage.status).toBe(200)
    expect(() => JSON.parse(garbage.text)).toThrow()
    const noCode = await find()
    expect(noCode.status).toBe(200)
    expect(noCode.json).toBeDefined()
    expect(noCode.json).not.toHaveProperty("code")
  })

  it('"hang" never answers: the client\'s timeout fires, and the log shows "hang"', async () => {
    sb.setFaults({ script: [{ fault: "hang" }] })
    const started = Date.now()
    await expect(find(AbortSignal.timeout(150))).rejects.toThrow()
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    expect((await find()).status).toBe(200)
    expect(sb.requests[0]).toMatchObject({ status: "hang", fault: "hang", path: "/multiusers/find" })
    // Updated when the client gave up.
    expect(await eventually(() => sb.requests[0].durationMs >= 140)).toBe(true)
  })

  it("close() destroys hanging sockets", async () => {
    const own = await startWoowupSandbox({ faults: { hangRate: 1 } })
    const pending = call("GET", "/multiusers/exist", { query: { email: "a@b.co" } }, own)
    const settled = pending.then(() => "answered", () => "failed")
    await sleep(50)
    expect(own.requests.map((r) => r.status)).toEqual(["hang"])
    await own.close()
    expect(await settled).toBe("failed")
  })

  it('"drop-after-store" stores the purchase and credits points, then drops the socket; a re-send is a duplicate', async () => {
    sb.setFaults({ script: [{ method: "POST", path: "/purchases", fault: "drop-after-store" }] })
    await expect(call("POST", "/purchases", { body: purchase() })).rejects.toThrow()
    expect(sb.state.purchases).toHaveLength(1)
    expect(sb.state.customers[0].points).toBe(21)
    expect(sb.requests[0]).toMatchObject({ status: "dropped", fault: "drop-after-store" })
    const resend = await call("POST", "/purchases", { body: purchase() })
    expect(resend.json.code).toBe("duplicated_purchase_number")
    expect(sb.state.customers[0].points).toBe(21)
  })

  it('"drop-after-store" on points records the transaction; on a request with no effect it just drops', async () => {
    sb.setFaults({ script: [{ fault: "drop-after-store", times: 2 }] })
    await expect(call("POST", "/multiusers/points", { body: { email: "ana@example.com", points: -5, concept: "cancel", description: "tok-1" } })).rejects.toThrow()
    expect(sb.state.transactions.map((t) => t.description)).toEqual(["tok-1"])
    await expect(find()).rejects.toThrow()
    expect(sb.requests.map((r) => r.status)).toEqual(["dropped", "dropped"])
    const history = await call("GET", "/multiusers/transactions", { query: { email: "ana@example.com" } })
    expect(history.json.payload[0]).toMatchObject({ points: -5, description: "tok-1" })
  })

  it("random faults: errorRate 1 uses errorStatuses, dropAfterStoreRate only hits storing requests, hangRate 1 hangs all", async () => {
    sb.setFaults({ errorRate: 1, errorStatuses: [503] })
    for (let i = 0; i < 3; i++) expect((await find()).status).toBe(503)
    sb.setFaults({ errorRate: 1 })
    const statuses = new Set<number>()
    for (let i = 0; i < 30; i++) statuses.add((await find()).status)
    expect([...statuses].sort()).toEqual([500, 502, 503])
    sb.setFaults({ dropAfterStoreRate: 1 })
    expect((await find()).status).toBe(200)
    await expect(call("POST", "/purchases", { body: purchase() })).rejects.toThrow()
    expect(sb.state.purchases).toHaveLength(1)
    sb.setFaults({ hangRate: 1 })
    await expect(find(AbortSignal.timeout(50))).rejects.toThrow()
    sb.setFaults({ errorRate: 0 })
    expect((await find()).status).toBe(200)
  })

  it("latencyMs delays every answer, faults and 403s included", async () => {
    sb.setFaults({ latencyMs: 120, script: [{ fault: 500 }] })
    for (const send of [() => find(), () => find(), () => call("GET", "/multiusers/find", { headers: { Authorization: "" } })]) {
      const started = Date.now()
      await send()
      expect(Date.now() - started).toBeGreaterThanOrEqual(115)
    }
    expect(sb.requests.map((r) => r.status)).toEqual([500, 200, 403])
    expect(sb.requests.every((r) => r.durationMs >= 115)).toBe(true)
  })

  it("setFaults refuses invalid faults and replaces (does not merge)", () => {
    expect(() => sb.setFaults({ errorRate: 2 })).toThrow(TypeError)
    expect(() => sb.setFaults({ script: [{ fault: "explode" as never }] })).toThrow(/script\[0\]\.fault/)
    expect(() => sb.setFaults({ errorStatuses: [] })).toThrow(/errorStatuses/)
    expect(() => sb.setFaults({ pageCap: 0 })).toThrow(/pageCap/)
    expect(() => sb.setFaults({ zonelessUtcOffsetHours: -13 })).toThrow(/zonelessUtcOffsetHours/)
  })
})

describe("control endpoints", () => {
  it("GET state and requests, POST faults (replaces; 400 when invalid) and reset; no auth, not logged", async () => {
    await createUser({ email: "ana@example.com" })
    const state = await (await fetch(`${sb.controlUrl}/state`)).json()
    expect(state.customers.map((c: any) => c.email)).toEqual(["ana@example.com"])
    const requests = await (await fetch(`${sb.controlUrl}/requests`)).json()
    expect(requests).toEqual([expect.objectContaining({ method: "POST", path: "/users", status: 201, body: { email: "ana@example.com" } })])

    const faults: SandboxFaults = { script: [{ path: "/multiusers/exist", fault: 502, times: 2 }] }
    const set = await fetch(`${sb.controlUrl}/faults`, { method: "POST", body: JSON.stringify(faults) })
    expect(set.status).toBe(200)
    expect((await call("GET", "/multiusers/exist", { query: { email: "a@b.co" } })).status).toBe(502)
    await fetch(`${sb.controlUrl}/faults`, { method: "POST", body: JSON.stringify({ latencyMs: 0 }) })
    expect((await call("GET", "/multiusers/exist", { query: { email: "a@b.co" } })).status).toBe(200) // replaced, not merged
    const invalid = await fetch(`${sb.controlUrl}/faults`, { method: "POST", body: JSON.stringify({ hangRate: "all" }) })
    expect(invalid.status).toBe(400)
    expect((await invalid.json()).error).toMatch(/hangRate/)
    expect((await fetch(`${sb.controlUrl}/faults`, { method: "POST", body: "{nope" })).status).toBe(400)

    expect(sb.requests).toHaveLength(3) // control requests are not logged
    const reset = await fetch(`${sb.controlUrl}/reset`, { method: "POST" })
    expect(reset.status).toBe(200)
    expect(sb.state).toEqual({ customers: [], purchases: [], transactions: [], products: [], abandonedCarts: [], branches: [], integrationStats: [] })
    expect(sb.requests).toEqual([])
    expect((await fetch(`${sb.controlUrl}/nope`)).status).toBe(404)
  })

  it("answer only a loopback Host, and refuse cross-site browser requests (DNS rebinding, a page posting to 127.0.0.1)", async () => {
    const control = (method: string, path: string, headers: Record<string, string>) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const url = new URL(`${sb.controlUrl}${path}`)
        const req = httpRequest(
          { host: url.hostname, port: url.port, path: url.pathname, method, headers: { "content-type": "application/json", ...headers } },
          (res) => {
            let body = ""
            res.on("data", (c) => (body += c))
            res.on("end", () => resolve({ status: res.statusCode!, body }))
          }
        )
        req.on("error", reject)
        req.end(method === "POST" ? JSON.stringify({ errorRate: 1 }) : undefined)
      })
    const port = new URL(sb.controlUrl).port
    for (const host of ["evil.example.com", `evil.example.com:${port}`, `127.0.0.1.nip.io:${port}`, "192.168.1.20"]) {
      const refused = await control("POST", "/faults", { host })
      expect([host, refused.status]).toEqual([host, 403])
      expect(JSON.parse(refused.body).error).toMatch(/loopback Host/)
    }
    const fromPage = await control("POST", "/faults", { host: `127.0.0.1:${port}`, origin: "https://evil.example.com" })
    expect(fromPage.status).toBe(403)
    expect(JSON.parse(fromPage.body).error).toMatch(/Origin/)
    const crossSite = await control("GET", "/state", { host: `localhost:${port}`, "sec-fetch-site": "cross-site" })
    expect(crossSite.status).toBe(403)
    // Nothing was changed by the refused requests.
    expect((await call("GET", "/multiusers/exist", { query: { email: "a@b.co" } })).status).toBe(200)

    const allowed: Array<Record<string, string>> = [
      { host: `127.0.0.1:${port}` },
      { host: `localhost:${port}` },
      { host: `localhost:${port}`, origin: `http://localhost:5173`, "sec-fetch-site": "same-site" },
    ]
    for (const headers of allowed) {
      expect([headers, (await control("GET", "/faults", headers)).status]).toEqual([headers, 200])
    }
  })

  it("keeps the request log bounded: the latest maxLoggedRequests", async () => {
    const own = await startWoowupSandbox({ maxLoggedRequests: 5 })
    try {
      for (let i = 0; i < 12; i++) {
        await call("GET", "/multiusers/exist", { query: { email: `n${i}@b.co` } }, own)
      }
      expect(own.requests.map((r) => r.query.email)).toEqual(["n7@b.co", "n8@b.co", "n9@b.co", "n10@b.co", "n11@b.co"])
      await expect(startWoowupSandbox({ maxLoggedRequests: 0 })).rejects.toThrow(/maxLoggedRequests/)
    } finally {
      await own.close()
    }
  })

  it("reset() clears the rate window and faults too", async () => {
    const own = await startWoowupSandbox({ requestsPerMinute: 2, faults: { script: [{ fault: 500, path: "/users", times: 5 }] } })
    const exist = () => call("GET", "/multiusers/exist", { query: { email: "a@b.co" } }, own)
    try {
      expect((await call("POST", "/users", { body: { email: "a@b.co" } }, own)).status).toBe(500)
      expect([(await exist()).status, (await exist()).status, (await exist()).status]).toEqual([200, 200, 429])
      own.reset()
      expect((await call("POST", "/users", { body: { email: "a@b.co" } }, own)).status).toBe(201)
      expect([(await exist()).status, (await exist()).status]).toEqual([200, 429])
    } finally {
      await own.close()
    }
  })
})

describe("robustness", () => {
  it("survives hostile input on every endpoint and answers only designed statuses", async () => {
    const own = await startWoowupSandbox({ requestsPerMinute: 10_000 })
    const bodies = ["", "null", "[1,2]", '{"email":{"$ne":null}}', '{"email":["a@b.co"]}', "\u0000\uffff", "9".repeat(400), '{"purchase_detail":[null,1,"x",{"sku":{}}],"invoice_number":{}}', '{"points":1e400,"concept":"x","email":"a@b.co"}']
    const paths = ["/multiusers/exist", "/multiusers/find", "/users", "/multiusers", "/purchases", "/purchases/bulk", "/multiusers/points", "/multiusers/transactions",
      "/products", "/products/VEVFJTJGQkxL", "/products/%E0%A4%A", "/products/%00", "/products/@@@"]
    for (const path of paths) {
      for (const method of ["GET", "POST", "PUT"]) {
        for (const raw of bodies) {
          const a = await call(method, path, { raw: method === "GET" ? undefined : raw, query: { email: "%", page: "1e3", limit: "NaN", from: "\u0000" } }, own)
          // 201: POST /users of {"email":"a@b.co", ...} is a valid customer; 500 only as "usuario existente".
          expect([200, 201, 400, 404, 405, 500]).toContain(a.status)
          if (a.status === 500) expect(a.json.message).toBe("usuario existente")
          expect(a.json.code).toBeDefined()
        }
      }
    }
    // Malformed HTTP on a raw socket does not take the server down.
    const net = await import("node:net")
    const { port } = new URL(own.url)
    await new Promise<void>((resolve) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => socket.end("GARBAGE / HTTP/9.9\r\n\r\n"))
      socket.on("close", () => resolve())
      socket.on("error", () => resolve())
      socket.resume()
    })
    expect((await call("GET", "/multiusers/exist", { query: { email: "a@b.co" } }, own)).status).toBe(200)
    expect(own.requests.some((r) => typeof r.status === "number" && r.status === 201)).toBe(true)
    await own.close()
  })

  it("never logs the API key", async () => {
    await call("GET", "/multiusers/exist", { query: { email: "a@b.co" } })
    await call("GET", "/multiusers/exist", { query: { email: "a@b.co" }, headers: { Authorization: "Basic wrong-key" } })
    const log = JSON.stringify(sb.requests)
    expect(log).not.toContain(sb.apiKey)
    expect(log).not.toContain("wrong-key")
  })
})

describe("CLI", () => {
  it("parses --port, --api-key, --rpm and refuses the rest", () => {
    expect(parseCliArgs([])).toEqual({ port: 8787 })
    expect(parseCliArgs(["--port", "0", "--api-key=K", "--rpm", "30"])).toEqual({ port: 0, apiKey: "K", requestsPerMinute: 30 })
    expect(() => parseCliArgs(["--rpm", "0"])).toThrow(/--rpm/)
    expect(() => parseCliArgs(["--port"])).toThrow(/--port needs a value/)
    expect(() => parseCliArgs(["--verbose"])).toThrow(/unknown argument/)
  })

  it("starts the sandbox, prints its URL and key, and stops on SIGINT/SIGTERM", async () => {
    const out: string[] = []
    const handlers: Partial<Record<NodeJS.Signals, () => void>> = {}
    const running = await runCli(["--port", "0", "--api-key", "cli-key", "--rpm", "3"], {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      onSignal: (signal, stop) => (handlers[signal] = stop),
    })
    expect(running).toBeDefined()
    expect(out.join("\n")).toContain(running!.url)
    expect(out.join("\n")).toContain("cli-key")
    const a = await call("GET", "/multiusers/exist", { query: { email: "a@b.co" } }, running!)
    expect(a.headers.get("x-rate-limit-limit")).toBe("3")
    expect(Object.keys(handlers).sort()).toEqual(["SIGINT", "SIGTERM"])
    handlers.SIGINT!()
    await sleep(50)
    expect(out).toContain("woowup-sandbox: stopped")
    await expect(fetch(running!.url)).rejects.toThrow()
  })
})
