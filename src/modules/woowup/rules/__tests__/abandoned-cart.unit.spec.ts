import { bodyHash, planAbandonedCart, recoveredCartBody, toWoowupSku } from ".."
import type { AbandonedCart } from "../abandoned-cart"

const cart = (over: Partial<AbandonedCart> = {}): AbandonedCart => ({
  id: "cart_01ABC",
  email: " ana@example.com ",
  currency_code: "usd",
  created_at: "2026-12-07T05:00:00.123Z",
  total: 74.5,
  items: [
    { id: "cali_1", quantity: 2, unit_price: 20, variant_id: "variant_1", variant_sku: "TEE/BLK 42" },
    { id: "cali_2", quantity: 1, unit_price: 24.999, compare_at_unit_price: 30, variant_id: "variant_2", variant_sku: null },
  ],
  ...over,
})

describe("planAbandonedCart", () => {
  it("builds exactly the documented fields, SKUs encoded as purchases and the catalog do", () => {
    const plan = planAbandonedCart(cart(), { recoverUrl: "https://shop.example/cart/recover/{cart_id}" })
    expect(plan).toEqual({
      action: "send",
      body: {
        email: "ana@example.com",
        external_id: "cart_01ABC",
        source: "web",
        createtime: "2026-12-07T05:00:00+00:00",
        total_price: 74.5,
        recover_url: "https://shop.example/cart/recover/cart_01ABC",
        products: [
          { sku: "TEE%2FBLK%2042", quantity: 2, unit_price: 20 },
          // A sale: the regular price, and what the cart asks.
          { sku: "variant_2", quantity: 1, unit_price: 30, offer_price: 25 },
        ],
      },
      body_hash: expect.any(String),
    })
    const items = cart().items!
    expect(plan.action === "send" && plan.body.products.map((p) => p.sku)).toEqual(
      items.map((i) => toWoowupSku({ id: i!.id, variant_id: i!.variant_id ?? null, variant_sku: i!.variant_sku ?? null } as any))
    )
  })

  it("leaves recover_url out without the option, and takes another source", () => {
    const plan = planAbandonedCart(cart(), { source: "app" })
    expect(plan.action === "send" && plan.body).not.toHaveProperty("recover_url")
    expect(plan.action === "send" && plan.body.source).toBe("app")
  })

  it("skips a cart without an email, and one without items", () => {
    expect(planAbandonedCart(cart({ email: null }))).toEqual({ action: "skip", reason: "no_email" })
    expect(planAbandonedCart(cart({ email: "  " }))).toEqual({ action: "skip", reason: "no_email" })
    expect(planAbandonedCart(cart({ items: [] }))).toEqual({ action: "skip", reason: "no_items" })
    expect(planAbandonedCart(cart({ items: [{ id: "x", quantity: 0, unit_price: 3 }] }))).toEqual({
      action: "skip",
      reason: "no_items",
    })
  })

  it("hashes equal carts equally, and a changed quantity differently", () => {
    const a = planAbandonedCart(cart())
    const b = planAbandonedCart(cart())
    const changed = planAbandonedCart(cart({ items: [{ id: "cali_1", quantity: 3, unit_price: 20, variant_sku: "A1" }] }))
    expect(a.action === "send" && b.action === "send" && a.body_hash === b.body_hash).toBe(true)
    expect(a.action === "send" && changed.action === "send" && a.body_hash !== changed.body_hash).toBe(true)
  })

  it("marks the same cart recovered, which hashes differently", () => {
    const plan = planAbandonedCart(cart())
    if (plan.action !== "send") throw new Error("expected a body")
    const recovered = recoveredCartBody(plan.body)
    expect(recovered).toEqual({ ...plan.body, recovered: true })
    expect(bodyHash(recovered)).not.toBe(plan.body_hash)
  })
})
