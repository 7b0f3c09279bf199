import { readFileSync } from "fs"
import { join } from "path"
import { ORDER_FIELDS } from "../order-fields"

// The installed order module is the final word on field names: read its GraphQL schema and its list of
// total fields (the ones that make it compute totals).
const orderDist = join(process.cwd(), "node_modules/@medusajs/order/dist")
const schema = readFileSync(join(orderDist, "schema/index.js"), "utf8")
const service = readFileSync(join(orderDist, "services/order-module-service.js"), "utf8")
// The per-line totals of quantities that `decorateCartTotals` adds to each item (`"detail.x_quantity": "x_total"`).
const cartTotals = readFileSync(join(process.cwd(), "node_modules/@medusajs/utils/dist/totals/cart/index.js"), "utf8")
const quantityTotals = new Set([...cartTotals.matchAll(/"detail\.\w+_quantity": "(\w+)"/g)].map((m) => m[1]))

function typeFields(type: string): Set<string> {
  const match = new RegExp(`type ${type} \\{([\\s\\S]*?)\\n\\}`).exec(schema)
  if (!match) {
    throw new Error(`type ${type} not found in the order schema`)
  }
  return new Set([...match[1].matchAll(/^\s*(\w+)\s*:/gm)].map((m) => m[1]))
}

describe("ORDER_FIELDS", () => {
  it("has no duplicates", () => {
    expect(new Set(ORDER_FIELDS).size).toBe(ORDER_FIELDS.length)
  })

  it("asks only for order fields that the order module knows", () => {
    const order = typeFields("Order")
    for (const field of ORDER_FIELDS.filter((f) => !f.includes("."))) {
      expect([field, order.has(field)]).toEqual([field, true])
    }
  })

  it("asks only for line item fields that exist (links and relations aside), or totals Medusa computes on them", () => {
    const item = typeFields("OrderLineItem")
    expect([...quantityTotals]).toEqual(expect.arrayContaining(["return_received_total", "return_dismissed_total"]))
    for (const field of ORDER_FIELDS.filter((f) => /^items\.\w+$/.test(f))) {
      const name = field.slice("items.".length)
      expect([name, item.has(name) || quantityTotals.has(name)]).toEqual([name, true])
    }
  })

  it("asks only for order item quantities that exist", () => {
    const detail = typeFields("OrderItem")
    for (const field of ORDER_FIELDS.filter((f) => f.startsWith("items.detail."))) {
      const name = field.slice("items.detail.".length)
      expect([name, detail.has(name)]).toEqual([name, true])
    }
  })

  it("asks for computed totals only by names that make the order module compute them", () => {
    const list = /shouldIncludeTotals\(config\) \{\s*const totalFields = \[([\s\S]*?)\]/.exec(service)![1]
    const totalFields = new Set([...list.matchAll(/"(\w+)"/g)].map((m) => m[1]))
    const asked = ORDER_FIELDS.filter((f) => !f.includes(".") && /total/.test(f))
    expect(asked.length).toBeGreaterThan(5)
    for (const field of asked) {
      expect([field, totalFields.has(field)]).toEqual([field, true])
    }
  })

  it("includes what the rules read", () => {
    expect(ORDER_FIELDS).toEqual(
      expect.arrayContaining([
        "item_total",
        "item_tax_total",
        "item_subtotal",
        "shipping_total",
        "shipping_tax_total",
        "tax_total",
        "total",
        "items.variant.options.option.title",
        "payment_collections.payments.captures.amount",
        "payment_collections.payments.captures.created_at",
        "customer.metadata",
      ])
    )
  })
})
