import { createHash } from "node:crypto"
import { bodyHash, canonicalJson } from "../body-hash"
import {
  catalogSku,
  planCatalogProduct,
  productUpdateBody,
  storefrontProductUrl,
  unavailableProductBody,
  type CatalogProductContext,
} from "../catalog-product"
import type { CatalogVariant } from "../catalog-variant"
import { customerBodyHash } from "../customer"
import { toWoowupSku, WOOWUP_SKU_PATTERN } from "../sku"

const ctx: CatalogProductContext = { currency: "usd", storefrontUrl: "https://shop.example/products/{handle}" }

function variant(overrides: Partial<CatalogVariant> = {}): CatalogVariant {
  return {
    id: "variant_01TEE",
    sku: "TEE/BLK 42",
    title: "42 / Black",
    deleted: false,
    product_id: "prod_01TEE",
    product_title: "Tee",
    product_handle: "tee",
    product_status: "published",
    product_description: "A soft tee.",
    product_metadata: null,
    thumbnail: "https://cdn.example/tee-thumb.jpg",
    images: ["https://cdn.example/tee-front.jpg", "https://cdn.example/tee-back.jpg"],
    options: [
      { name: "Size", value: "42" },
      { name: "Color", value: "Black" },
    ],
    collection_title: "Basics",
    category_paths: [["Clothing"], ["Clothing", "Tops", "Tees"]],
    sales_channel_ids: ["sc_01"],
    manage_inventory: true,
    allow_backorder: false,
    stock: 7,
    price: 25,
    sale_price: null,
    ...overrides,
  }
}

function send(v: CatalogVariant | undefined, c: CatalogProductContext = ctx) {
  const plan = planCatalogProduct(v, c)
  if (plan.action !== "send") {
    throw new Error(`expected a send, got a skip (${plan.reason})`)
  }
  return plan
}

describe("planCatalogProduct", () => {
  it("builds the whole product of a variant, keyed by the SKU its purchases carry", () => {
    const plan = send(variant())
    expect(plan.sku).toBe("TEE%2FBLK%2042")
    expect(plan.sku).toMatch(WOOWUP_SKU_PATTERN)
    expect(plan.body).toEqual({
      sku: "TEE%2FBLK%2042",
      name: "Tee (42 / Black)",
      base_sku: "prod_01TEE",
      base_name: "Tee",
      brand: "Basics",
      description: "A soft tee.",
      url: "https://shop.example/products/tee",
      image_url: "https://cdn.example/tee-front.jpg",
      thumbnail_url: "https://cdn.example/tee-thumb.jpg",
      price: 25,
      stock: 7,
      available: true,
      category: ["Clothing", "Tops", "Tees"],
      specifications: [
        { name: "Size", value: "42" },
        { name: "Color", value: "Black" },
      ],
    })
    expect(plan.available).toBe(true)
    expect(plan.body_hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it("uses the SKU a purchase of the same variant carries: its SKU, else its id", () => {
    for (const v of [variant(), variant({ sku: null }), variant({ sku: "  " }), variant({ sku: "Ñandú.1" })]) {
      const purchaseSku = toWoowupSku({ id: "ordli_01", variant_id: v.id, variant_sku: v.sku })
      expect(send(v).sku).toBe(purchaseSku)
      expect(catalogSku(v)).toBe(purchaseSku)
    }
    expect(send(variant({ sku: null })).sku).toBe("variant_01TEE")
  })

  it("sends offer_price only for a sale price lower than the price, in the currency's decimals", () => {
    expect(send(variant({ price: 25, sale_price: 19.999 })).body).toMatchObject({ price: 25, offer_price: 20 })
    expect(send(variant({ price: 25, sale_price: 25 })).body).not.toHaveProperty("offer_price")
    expect(send(variant({ price: 25, sale_price: 30 })).body).not.toHaveProperty("offer_price")
    expect(send(variant({ price: 20000.4, sale_price: 15000.6 }), { currency: "clp" }).body).toMatchObject({
      price: 20000,
      offer_price: 15001,
    })
  })

  it("sends a variant without a price in the currency, without price: WoowUp still links its purchases", () => {
    const plan = send(variant({ price: null, sale_price: null }))
    expect(plan.body).not.toHaveProperty("price")
    expect(plan.body).not.toHaveProperty("offer_price")
    expect(plan.body.name).toBe("Tee (42 / Black)")
  })

  it("sends stock only for a variant whose inventory Medusa manages, never below zero", () => {
    expect(send(variant({ manage_inventory: false, stock: 7 })).body).not.toHaveProperty("stock")
    expect(send(variant({ manage_inventory: false, stock: 0 })).body.available).toBe(true)
    expect(send(variant({ stock: -3 })).body).toMatchObject({ stock: 0, available: false })
    expect(send(variant({ stock: 0 })).body).toMatchObject({ stock: 0, available: false })
    // Sold on backorder: Medusa's checkout accepts it with no stock.
    expect(send(variant({ stock: 0, allow_backorder: true })).body).toMatchObject({ stock: 0, available: true })
    // Managed but with no inventory item: nothing says it is out of stock.
    expect(send(variant({ stock: null })).body).toMatchObject({ available: true })
    expect(send(variant({ stock: null })).body).not.toHaveProperty("stock")
  })

  it("is available only when published, in a sales channel, and in stock or not managing inventory", () => {
    expect(send(variant({ product_status: "draft" })).body).toMatchObject({ available: false, stock: 0 })
    expect(send(variant({ product_status: "proposed", manage_inventory: false })).available).toBe(false)
    expect(send(variant({ sales_channel_ids: [] })).body).toMatchObject({ available: false, stock: 7 })
    expect(send(variant({ stock: 1 })).available).toBe(true)
  })

  it("orders the options as the variant's title names them, else by option name, whatever order they come in", () => {
    const options = [
      { name: "Color", value: "Black" },
      { name: "Size", value: "42" },
    ]
    const titled = send(variant({ options, title: "42 / Black" }))
    expect(titled.body.name).toBe("Tee (42 / Black)")
    expect(send(variant({ options: [...options].reverse(), title: "42 / Black" })).body_hash).toBe(titled.body_hash)
    const untitled = send(variant({ options: [...options].reverse(), title: "Special" }))
    expect(untitled.body.name).toBe("Tee (Black / 42)")
    expect(untitled.body.specifications).toEqual(options)
  })

  it("names a variant without options by its product, with the variant's title when it says more", () => {
    expect(send(variant({ options: [], title: "Tee" })).body.name).toBe("Tee")
    expect(send(variant({ options: [], title: "Limited edition" })).body.name).toBe("Tee (Limited edition)")
    expect(send(variant({ options: [], title: null })).body.name).toBe("Tee")
    // What Medusa's admin creates for a product "without variants".
    const single = send(
      variant({ options: [{ name: "Default option", value: "Default option value" }], title: "Default variant" })
    )
    expect(single.body.name).toBe("Tee")
    expect(single.body).not.toHaveProperty("specifications")
  })

  it("takes the brand from the metadata key, else the collection", () => {
    const withBrand = variant({ product_metadata: { brand: " Acme " } })
    expect(send(withBrand, { ...ctx, brandMetadataKey: "brand" }).body.brand).toBe("Acme")
    expect(send(withBrand, ctx).body.brand).toBe("Basics")
    expect(send(variant(), { ...ctx, brandMetadataKey: "brand" }).body.brand).toBe("Basics")
    expect(send(variant({ collection_title: null })).body).not.toHaveProperty("brand")
  })

  it("sends the deepest category path, the same one whatever order they come in", () => {
    const paths = [["Sale", "Tees"], ["Clothing", "Tees"], ["Clothing"]]
    expect(send(variant({ category_paths: paths })).body.category).toEqual(["Clothing", "Tees"])
    expect(send(variant({ category_paths: [...paths].reverse() })).body.category).toEqual(["Clothing", "Tees"])
    expect(send(variant({ category_paths: [] })).body).not.toHaveProperty("category")
  })

  it("takes the image, else the thumbnail, and leaves out URLs that are not web addresses", () => {
    expect(send(variant({ images: [] })).body).toMatchObject({
      image_url: "https://cdn.example/tee-thumb.jpg",
      thumbnail_url: "https://cdn.example/tee-thumb.jpg",
    })
    expect(send(variant({ thumbnail: null })).body).toMatchObject({
      image_url: "https://cdn.example/tee-front.jpg",
      thumbnail_url: "https://cdn.example/tee-front.jpg",
    })
    const none = send(variant({ images: ["/static/tee.jpg"], thumbnail: "data:image/png;base64,AA" })).body
    expect(none).not.toHaveProperty("image_url")
    expect(none).not.toHaveProperty("thumbnail_url")
  })

  it("sends no url without a storefrontUrl, or when the template needs a value the variant lacks", () => {
    expect(send(variant(), { currency: "usd" }).body).not.toHaveProperty("url")
    expect(send(variant({ sku: null }), { currency: "usd", storefrontUrl: "https://s.example/p?sku={sku}" }).body).not.toHaveProperty("url")
  })

  it("skips a variant not found, and a deleted one with its SKU, for the engine to mark unavailable", () => {
    expect(planCatalogProduct(undefined, ctx)).toEqual({ action: "skip", reason: "variant_not_found" })
    expect(planCatalogProduct(variant({ deleted: true }), ctx)).toEqual({
      action: "skip",
      reason: "variant_deleted",
      sku: "TEE%2FBLK%2042",
    })
  })

  it("hashes equal bodies equally and any change differently", () => {
    const a = send(variant())
    expect(send(variant()).body_hash).toBe(a.body_hash)
    expect(send(variant({ product_title: "Tee 2" })).body_hash).not.toBe(a.body_hash)
    expect(send(variant({ stock: 6 })).body_hash).not.toBe(a.body_hash)
    expect(send(variant({ price: 24 })).body_hash).not.toBe(a.body_hash)
    expect(a.body_hash).toBe(bodyHash(a.body))
  })
})

describe("unavailableProductBody", () => {
  it("says the product is gone: not available, nothing in stock", () => {
    expect(unavailableProductBody("TEE%2FBLK%2042")).toEqual({ sku: "TEE%2FBLK%2042", available: false, stock: 0 })
  })
})

describe("productUpdateBody", () => {
  it("clears on PUT what the plan no longer sends: an ended sale's offer_price, a removed brand", () => {
    const onSale = send(variant({ sale_price: 19 })).body
    expect(onSale.offer_price).toBe(19)
    const ended = send(variant({ sale_price: null, collection_title: null })).body
    const update = productUpdateBody(ended)
    expect(update).toMatchObject({ ...ended, offer_price: null, brand: null })
    expect(update).not.toHaveProperty("custom_attributes")
    expect(productUpdateBody(onSale)).toEqual({ ...onSale })
  })
})

describe("storefrontProductUrl", () => {
  const v = { id: "variant_1", sku: "TEE/BLK 42", product_id: "prod_1", product_handle: "tee" }

  it("fills every placeholder, URL-encoded", () => {
    expect(storefrontProductUrl("https://s.example/{handle}/{product_id}?v={variant_id}&sku={sku}", v)).toBe(
      "https://s.example/tee/prod_1?v=variant_1&sku=TEE%2FBLK%2042"
    )
  })

  it("gives null when a placeholder has no value", () => {
    expect(storefrontProductUrl("https://s.example/{handle}", { ...v, product_handle: null })).toBeNull()
    expect(storefrontProductUrl("https://s.example/catalog", { ...v, product_handle: null })).toBe("https://s.example/catalog")
  })
})

describe("bodyHash", () => {
  it("sorts keys at every depth and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } })).toBe('{"a":{"d":[2,{"e":0,"f":1}]},"b":1}')
    expect(bodyHash({ a: 1, b: [1, 2] })).toBe(bodyHash({ b: [1, 2], a: 1 }))
    expect(bodyHash({ a: 1, b: [1, 2] })).not.toBe(bodyHash({ a: 1, b: [2, 1] }))
  })

  it("gives a customer body the hash it always had (hashes already stored stay valid)", () => {
    // The hash of this body as the customer sync computed it before the shared helper.
    const before = createHash("sha256").update('{"email":"a@b.co","first_name":"Ana","telephone":"1"}').digest("hex")
    expect(customerBodyHash({ telephone: "1", first_name: "Ana", email: "a@b.co" })).toBe(before)
    expect(customerBodyHash({ email: "a@b.co", first_name: "Ana", telephone: "1" })).toBe(before)
  })
})
