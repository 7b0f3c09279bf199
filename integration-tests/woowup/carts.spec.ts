import { WoowupClient, WoowupError, type WoowupAbandonedCartInput } from "../../src/modules/woowup/client"
import { startWoowupSandbox, type WoowupSandbox } from "../../src/sandbox"

/**
 * The abandoned-cart call (`POST /multiusers/abandoned-cart`) through the real client against the WoowUp sandbox,
 * over real HTTP: what is stored, the `user_not_found` the feed branches on, the client's checks before sending
 * (naming the field), the sandbox's own validation, and the key never in an error.
 */

jest.setTimeout(30_000)

const API_KEY = "wu_live_CARTS_KEY_5e2c1a7b9d"

let sandbox: WoowupSandbox
const clients: WoowupClient[] = []
const logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }

function client(): WoowupClient {
  const c = new WoowupClient({
    apiKey: API_KEY,
    apiUrl: sandbox.url,
    timeoutMs: 400,
    maxRetries: 2,
    requestsPerMinute: 1_000,
    retryBaseDelayMs: 20,
    retryMaxDelayMs: 100,
    logger,
  } as any)
  clients.push(c)
  return c
}

async function failure(promise: Promise<unknown>): Promise<WoowupError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(WoowupError)
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain(API_KEY)
    return error as WoowupError
  }
  throw new Error("expected a WoowupError")
}

async function raw(path: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${sandbox.url}${path}`, {
    method: "POST",
    headers: { Authorization: `Basic ${API_KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  })
  return { status: res.status, json: await res.json() }
}

const cart = (over: Partial<WoowupAbandonedCartInput> = {}): WoowupAbandonedCartInput => ({
  email: "ana@example.com",
  external_id: "cart_01ABC",
  source: "web",
  createtime: "2026-12-07T05:00:00+00:00",
  total_price: 70,
  recover_url: "https://shop.example/cart/recover/cart_01ABC",
  products: [
    { sku: "TEE%2FBLK", quantity: 2, unit_price: 20 },
    { sku: "CAP", quantity: 1, unit_price: 40, offer_price: 30 },
  ],
  ...over,
})

beforeAll(async () => {
  sandbox = await startWoowupSandbox({ apiKey: API_KEY })
})
beforeEach(() => sandbox.reset())
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
})
afterAll(() => sandbox?.close())

describe("sendAbandonedCart", () => {
  it("refuses a customer WoowUp does not know with user_not_found, not retried", async () => {
    const error = await failure(client().sendAbandonedCart(cart()))
    expect(error.code).toBe("user_not_found")
    expect(error.retryable).toBe(false)
    expect(sandbox.requests.filter((r) => r.path === "/multiusers/abandoned-cart")).toHaveLength(1)
    expect(sandbox.state.abandonedCarts).toHaveLength(0)
  })

  it("files the cart under a known customer; the same external_id again replaces it (recovered)", async () => {
    const c = client()
    await c.createCustomer({ email: "ana@example.com" })
    await c.sendAbandonedCart(cart())
    expect(sandbox.state.abandonedCarts).toEqual([
      expect.objectContaining({ external_id: "cart_01ABC", total_price: 70, times_received: 1, products: cart().products }),
    ])
    await c.sendAbandonedCart({ ...cart(), recovered: true })
    expect(sandbox.state.abandonedCarts).toEqual([
      expect.objectContaining({ external_id: "cart_01ABC", recovered: true, times_received: 2 }),
    ])
  })

  it.each([
    ["no products", { products: [] }, /products: must hold at least one product/],
    ["a product without a valid sku", { products: [{ sku: "a b", quantity: 1, unit_price: 1 }] }, /products\[0\]\.sku: must match/],
    ["a negative total", { total_price: -1 }, /total_price/],
    ["an unknown field", { coupon: "X" } as any, /coupon|unrecognized/i],
    ["no email", { email: "" }, /email: must be a non-empty string/],
  ])("refuses %s before sending, naming the field", async (_what, over, message) => {
    const error = await failure(client().sendAbandonedCart(cart(over as Partial<WoowupAbandonedCartInput>)))
    expect(error.code).toBe("invalid_argument")
    expect(error.message).toMatch(message)
    expect(sandbox.requests).toHaveLength(0)
  })

  it("the sandbox validates what WoowUp documents as required", async () => {
    const answer = await raw("/multiusers/abandoned-cart", { external_id: "", products: [{ quantity: 1 }] })
    expect(answer.status).toBe(400)
    expect(answer.json.payload.errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^identity: one of/),
        "external_id: is required",
        "products[0].sku: is required",
      ])
    )
  })
})
