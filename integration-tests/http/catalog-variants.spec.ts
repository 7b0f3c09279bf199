/**
 * The catalog feed's body: what `loadCatalogVariants` reads of a real Medusa catalog, built through the admin API
 * (categories, a collection, a sales channel, stock at a location with a reservation, prices in two currencies, a
 * sale price list), and what `planCatalogProduct` makes of it. Real app, real Postgres.
 */
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { planCatalogProduct } from "../../src/modules/woowup/rules/catalog-product"
import { toWoowupSku } from "../../src/modules/woowup/rules/sku"
import {
  defaultCatalogCurrency,
  loadCatalogVariants,
  variantIdsOfInventoryItems,
  variantIdsOfInventoryLevels,
  variantIdsOfPriceLists,
  variantIdsOfPrices,
  variantIdsOfProducts,
  variantIdsOfReservations,
} from "../../src/workflows/utils/catalog-variants"
import { adminHeaders, request, type AuthHeaders } from "../helpers"
import { useWoowupSandbox } from "../helpers/woowup"

useWoowupSandbox()

const STOREFRONT = "https://shop.example/products/{handle}"

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let admin: AuthHeaders
    let productId: string
    let odd: string // "TEE/BLK 42": prices only, no inventory
    let stocked: string // "TEE-BLK-44": manages inventory, 10 stocked, 3 reserved
    let inventoryItemId: string
    let levelId: string
    let reservationId: string
    let priceListId: string
    let storeId: string

    const post = <T = any>(step: string, url: string, body: unknown) => request<T>(step, "post", api, url, body, admin)
    const del = async (url: string) => {
      try {
        await api.delete(url, admin)
      } catch (err: any) {
        throw new Error(`DELETE ${url} failed (${err?.response?.status}): ${JSON.stringify(err?.response?.data)}`)
      }
    }

    beforeAll(async () => {
      admin = await adminHeaders(getContainer())

      const { stores } = await request("stores", "get", api, "/admin/stores", undefined, admin)
      storeId = stores[0].id
      await post("store currencies", `/admin/stores/${storeId}`, {
        supported_currencies: [
          { currency_code: "usd", is_default: true },
          { currency_code: "eur" },
        ],
      })

      const { product_category: clothing } = await post("category", "/admin/product-categories", {
        name: "Clothing",
        is_active: true,
      })
      const { product_category: tees } = await post("subcategory", "/admin/product-categories", {
        name: "Tees",
        is_active: true,
        parent_category_id: clothing.id,
      })
      const { collection } = await post("collection", "/admin/collections", { title: "Basics" })
      const { sales_channel: channel } = await post("sales channel", "/admin/sales-channels", { name: "Webshop" })
      const { stock_location: location } = await post("stock location", "/admin/stock-locations", { name: "Warehouse" })

      const { product } = await post("product", "/admin/products", {
        title: "Tee",
        handle: "woowup-tee",
        status: "published",
        description: "A soft tee.",
        thumbnail: "https://cdn.example/tee-thumb.jpg",
        images: [{ url: "https://cdn.example/tee-front.jpg" }, { url: "https://cdn.example/tee-back.jpg" }],
        collection_id: collection.id,
        categories: [{ id: tees.id }],
        sales_channels: [{ id: channel.id }],
        metadata: { brand: "Acme" },
        options: [
          { title: "Size", values: ["42", "44"] },
          { title: "Color", values: ["Black"] },
        ],
        variants: [
          {
            title: "42 / Black",
            sku: "TEE/BLK 42",
            options: { Size: "42", Color: "Black" },
            manage_inventory: false,
            prices: [
              { currency_code: "usd", amount: 25 },
              { currency_code: "eur", amount: 23 },
            ],
          },
          {
            title: "44 / Black",
            sku: "TEE-BLK-44",
            options: { Size: "44", Color: "Black" },
            manage_inventory: true,
            prices: [
              { currency_code: "usd", amount: 27 },
              { currency_code: "eur", amount: 24.5 },
            ],
          },
        ],
      })
      productId = product.id
      odd = product.variants.find((v: any) => v.sku === "TEE/BLK 42").id
      stocked = product.variants.find((v: any) => v.sku === "TEE-BLK-44").id

      // Medusa made the inventory item of the variant that manages inventory.
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data: links } = await query.graph({
        entity: "product_variant_inventory_items",
        fields: ["inventory_item_id"],
        filters: { variant_id: stocked },
      })
      inventoryItemId = links[0].inventory_item_id
      const { inventory_item } = await post("stock level", `/admin/inventory-items/${inventoryItemId}/location-levels`, {
        location_id: location.id,
        stocked_quantity: 10,
      })
      levelId = inventory_item.location_levels.find((l: any) => l.location_id === location.id).id
      const { reservation } = await post("reservation", "/admin/reservations", {
        inventory_item_id: inventoryItemId,
        location_id: location.id,
        quantity: 3,
      })
      reservationId = reservation.id

      const { price_list } = await post("sale", "/admin/price-lists", {
        title: "Summer sale",
        description: "Tees on sale",
        type: "sale",
        status: "active",
        prices: [{ variant_id: odd, currency_code: "usd", amount: 19.99 }],
      })
      priceListId = price_list.id
    })

    it("reads the store's default currency", async () => {
      expect(await defaultCatalogCurrency(getContainer())).toBe("usd")
    })

    it("gives each variant the body WoowUp gets, keyed by the SKU its purchases carry", async () => {
      const variants = await loadCatalogVariants(getContainer(), [odd, stocked], "usd")
      const ctx = { currency: "usd", storefrontUrl: STOREFRONT, brandMetadataKey: "brand" }

      const first = planCatalogProduct(variants.get(odd), ctx)
      expect(first).toMatchObject({ action: "send", sku: "TEE%2FBLK%2042", available: true })
      expect(first.action === "send" && first.sku).toBe(toWoowupSku({ id: "ordli_x", variant_id: odd, variant_sku: "TEE/BLK 42" }))
      expect(first.action === "send" && first.body).toEqual({
        sku: "TEE%2FBLK%2042",
        name: "Tee (42 / Black)",
        base_sku: productId,
        base_name: "Tee",
        brand: "Acme",
        description: "A soft tee.",
        url: "https://shop.example/products/woowup-tee",
        image_url: "https://cdn.example/tee-front.jpg",
        thumbnail_url: "https://cdn.example/tee-thumb.jpg",
        price: 25,
        offer_price: 19.99,
        available: true,
        category: ["Clothing", "Tees"],
        specifications: [
          { name: "Size", value: "42" },
          { name: "Color", value: "Black" },
        ],
      })

      const second = planCatalogProduct(variants.get(stocked), ctx)
      expect(second.action === "send" && second.body).toMatchObject({
        sku: "TEE-BLK-44",
        name: "Tee (44 / Black)",
        price: 27,
        stock: 7,
        available: true,
      })
      expect(second.action === "send" && second.body).not.toHaveProperty("offer_price")

      // Without the metadata key: the collection is the brand.
      const byCollection = planCatalogProduct(variants.get(odd), { currency: "usd" })
      expect(byCollection.action === "send" && byCollection.body.brand).toBe("Basics")
      expect(byCollection.action === "send" && byCollection.body).not.toHaveProperty("url")
    })

    it("prices in the feed's currency: the sale is only in USD", async () => {
      const variants = await loadCatalogVariants(getContainer(), [odd, stocked], "EUR")
      expect(variants.get(odd)).toMatchObject({ price: 23, sale_price: null })
      expect(variants.get(stocked)).toMatchObject({ price: 24.5, sale_price: null, stock: 7 })
      const plan = planCatalogProduct(variants.get(odd), { currency: "eur" })
      expect(plan.action === "send" && plan.body).toMatchObject({ price: 23 })
      expect(plan.action === "send" && plan.body).not.toHaveProperty("offer_price")
    })

    it("finds the variants an event names: by product, inventory item, level, reservation, price and price list", async () => {
      expect((await variantIdsOfProducts(getContainer(), [productId])).sort()).toEqual([odd, stocked].sort())
      expect(await variantIdsOfInventoryItems(getContainer(), [inventoryItemId])).toEqual([stocked])
      expect(await variantIdsOfInventoryLevels(getContainer(), [levelId])).toEqual([stocked])
      expect(await variantIdsOfReservations(getContainer(), [reservationId])).toEqual([stocked])
      expect(await variantIdsOfPriceLists(getContainer(), [priceListId])).toEqual([odd])
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data: prices } = await query.graph({ entity: "price", fields: ["id", "currency_code", "price_list_id"], filters: { currency_code: "eur" } })
      const eurPrices = prices.filter((p: any) => !p.price_list_id).map((p: any) => p.id)
      expect(eurPrices).toHaveLength(2)
      expect((await variantIdsOfPrices(getContainer(), eurPrices)).sort()).toEqual([odd, stocked].sort())
    })

    it("unpublishing: not available, no stock", async () => {
      await post("unpublish", `/admin/products/${productId}`, { status: "draft" })
      const variants = await loadCatalogVariants(getContainer(), [stocked], "usd")
      const plan = planCatalogProduct(variants.get(stocked), { currency: "usd" })
      expect(plan.action === "send" && plan.body).toMatchObject({ sku: "TEE-BLK-44", available: false, stock: 0 })
      await post("publish", `/admin/products/${productId}`, { status: "published" })
    })

    it("a deleted variant comes back deleted, with its SKU; one never seen is not found", async () => {
      // Medusa keeps a variant whose stock is reserved: the reservation goes first, as a merchant would cancel it.
      await del(`/admin/reservations/${reservationId}`)
      // The reservation is gone: its 3 units are back in stock.
      expect((await loadCatalogVariants(getContainer(), [stocked], "usd")).get(stocked)?.stock).toBe(10)
      await del(`/admin/products/${productId}/variants/${stocked}`)
      const variants = await loadCatalogVariants(getContainer(), [odd, stocked, "variant_none"], "usd")
      expect(variants.get(odd)?.deleted).toBe(false)
      expect(variants.get(stocked)).toMatchObject({ id: stocked, sku: "TEE-BLK-44", deleted: true, product_id: productId })
      expect(planCatalogProduct(variants.get(stocked), { currency: "usd" })).toEqual({
        action: "skip",
        reason: "variant_deleted",
        sku: "TEE-BLK-44",
      })
      expect(variants.has("variant_none")).toBe(false)
      expect(planCatalogProduct(variants.get("variant_none"), { currency: "usd" })).toEqual({
        action: "skip",
        reason: "variant_not_found",
      })
      // A live product's deleted variant is named by its own event, not by the product's.
      expect(await variantIdsOfProducts(getContainer(), [productId])).toEqual([odd])
    })

    it("a deleted product names all its variants, each deleted", async () => {
      // A product of its own: Medusa 2.21.2 refused to delete the tee ("cannot remove inventory item(s) since they
      // have reservations"), even with its reservation deleted and its stock back at 10.
      const { product } = await post("mug", "/admin/products", {
        title: "Mug",
        status: "published",
        options: [{ title: "Color", values: ["White", "Blue"] }],
        variants: ["White", "Blue"].map((color) => ({
          title: color,
          sku: `MUG ${color}`,
          options: { Color: color },
          manage_inventory: false,
          prices: [{ currency_code: "usd", amount: 9 }],
        })),
      })
      const mugs: string[] = product.variants.map((v: any) => v.id).sort()
      await del(`/admin/products/${product.id}`)
      expect((await variantIdsOfProducts(getContainer(), [product.id])).sort()).toEqual(mugs)
      const variants = await loadCatalogVariants(getContainer(), mugs, "usd")
      expect(mugs.map((id) => variants.get(id)?.deleted)).toEqual([true, true])
      expect(mugs.map((id) => planCatalogProduct(variants.get(id), { currency: "usd" })).map((p) => p.action === "skip" && p.sku).sort()).toEqual([
        "MUG%20Blue",
        "MUG%20White",
      ])
    })

    it("reads another default currency when the store changes it", async () => {
      await post("store currencies", `/admin/stores/${storeId}`, {
        supported_currencies: [{ currency_code: "usd" }, { currency_code: "eur", is_default: true }],
      })
      expect(await defaultCatalogCurrency(getContainer())).toBe("eur")
    })
  },
})
