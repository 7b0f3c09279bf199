import { generateEntityId } from "@medusajs/framework/utils"
import { orderIdRange, ulidTime, ulidTimeOf } from "../order-window"

describe("order id window", () => {
  it("reads the creation time back from an id Medusa generates", () => {
    const before = Date.now()
    const id = generateEntityId(undefined, "order")
    const after = Date.now()
    const at = ulidTimeOf(id)!
    expect(at).toBeGreaterThanOrEqual(before)
    expect(at).toBeLessThanOrEqual(after)
  })

  it("encodes times so that ids sort as the times do", () => {
    expect(ulidTime(0)).toBe("0000000000")
    expect(ulidTimeOf(`order_${ulidTime(1_764_158_400_123)}ABCDEFGHJKMNPQRS`)).toBe(1_764_158_400_123)
    const times = [1, 31, 32, 1_000_000, Date.now(), Date.now() + 1]
    const encoded = times.map(ulidTime)
    expect([...encoded].sort()).toEqual(encoded)
  })

  it("brackets the ids of orders made inside the window, and not those outside", () => {
    const from = new Date("2026-11-20T00:00:00Z")
    const to = new Date("2026-11-27T00:00:00Z")
    const { from_id, to_id } = orderIdRange(from, to)
    const idAt = (iso: string, random = "7ZZZZZZZZZZZZZZZ") => `order_${ulidTime(Date.parse(iso))}${random}`
    const inside = [idAt("2026-11-20T00:00:00Z", "0000000000000000"), idAt("2026-11-23T12:00:00Z"), idAt("2026-11-26T23:59:59.999Z")]
    const outside = [idAt("2026-11-19T23:59:59.999Z"), idAt("2026-11-27T00:00:00Z", "0000000000000001")]
    for (const id of inside) {
      expect(id >= from_id && id < to_id).toBe(true)
    }
    for (const id of outside) {
      expect(id >= from_id && id < to_id).toBe(false)
    }
  })

  it("is not fooled by ids that are not ULIDs", () => {
    expect(ulidTimeOf("order_123")).toBeNull()
    expect(ulidTimeOf("order_01K!ZZZZZZZZZZZZZZZZZZZZZZ")).toBeNull()
  })
})
