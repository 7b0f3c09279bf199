import { describeIssues, productPath, woowupProductInputSchema, woowupProductUpdateSchema } from "../schemas"

describe("product bodies and paths", () => {
  it("the path carries the SKU base64-encoded, then URL-encoded, and decodes back to it exactly", () => {
    for (const sku of ["TEE%2FBLK", "SKU-%3E%3F", "?A-1", "ñandú_1"]) {
      const segment = productPath(sku).slice("/products/".length)
      expect(segment).not.toMatch(/[+/=]/)
      expect(Buffer.from(decodeURIComponent(segment), "base64").toString("utf8")).toBe(sku)
    }
    expect(productPath("SKU-%3E%3F")).toBe("/products/U0tVLSUzRSUzRg%3D%3D")
  })

  it("the body schema takes exactly WoowUp's fields, and names the field it refuses", () => {
    const body = {
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
      offer_price: null,
      stock: 0,
      available: false,
      category: ["Clothes", "Tees"],
      specifications: [{ name: "Size", value: "L" }],
      custom_attributes: { collection: "Summer" },
    }
    expect(woowupProductInputSchema.parse(body)).toEqual(body)
    const issues = (value: unknown) => {
      const parsed = woowupProductInputSchema.safeParse(value)
      return parsed.success ? "" : describeIssues(parsed.error)
    }
    expect(issues({ ...body, sku: "-TEE" })).toMatch(/^sku: must match WoowUp's SKU rule/)
    expect(issues({ ...body, sku: "T" })).toMatch(/^sku: /)
    expect(issues({ ...body, name: "" })).toBe("name: must be a non-empty string")
    expect(issues({ ...body, stock: Number.NaN })).toMatch(/^stock: /)
    expect(issues({ ...body, offer_price: -1 })).toMatch(/^offer_price: /)
    expect(issues({ ...body, specifications: [{ name: "Size", value: 1 }] })).toMatch(/^specifications\[0\]\.value: /)
    expect(issues({ ...body, category: [["Tees"]] })).toMatch(/^category\[0\]: /)
    expect(issues({ ...body, image: "x" })).toMatch(/^body: .*image/)
    const { name: _name, ...nameless } = body
    expect(issues(nameless)).toMatch(/^name: /)
    // An update takes any of the fields, and none is required.
    expect(woowupProductUpdateSchema.parse({ stock: 3 })).toEqual({ stock: 3 })
  })
})
