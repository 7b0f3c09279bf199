import type { MedusaContainer } from "@medusajs/framework/types"
import { request, type AuthHeaders, type HttpClient } from "./http"
import type { SeededStore } from "./seed-store"
import { afterEvent } from "./woowup"

export type CatalogProduct = {
  id: string
  handle: string
  /** The variant whose SKU WoowUp rejects as it is (`<prefix>/BLK 42`), not managing inventory. */
  odd: { id: string; sku: string }
  /** The variant managing inventory (`<prefix>-WHT-42`), with `stock` units at the store's stock location. */
  stocked: { id: string; sku: string; inventory_item_id: string }
  categoryIds: { parent: string; child: string }
  collectionId: string
}

/**
 * Creates through the admin API, as a merchant would, a published product with two variants, in the store's sales
 * channel, in a category `Apparel > <prefix> Tees` and a collection, with an image; and sets the stocked variant's
 * level at the store's stock location. Waits for the plugin's subscribers of each step.
 */
export async function createCatalogProduct(
  api: HttpClient,
  admin: AuthHeaders,
  container: MedusaContainer,
  store: SeededStore,
  prefix: string,
  stock = 7
): Promise<CatalogProduct> {
  const post = (what: string, path: string, body: unknown) => request(what, "post", api, path, body, admin)
  const parent = (await post("category", "/admin/product-categories", { name: `Apparel ${prefix}`, is_active: true }))
    .product_category
  const child = (
    await post("subcategory", "/admin/product-categories", {
      name: `${prefix} Tees`,
      is_active: true,
      parent_category_id: parent.id,
    })
  ).product_category
  const collection = (await post("collection", "/admin/collections", { title: `${prefix} Collection` })).collection
  const handle = `${prefix.toLowerCase()}-tee`
  const { product } = await afterEvent(container, "product.created", () =>
    post("product", "/admin/products", {
      title: `${prefix} Tee`,
      handle,
      status: "published",
      description: "A tee for the catalog test",
      thumbnail: `https://img.example/${handle}-thumb.png`,
      images: [{ url: `https://img.example/${handle}.png` }],
      options: [{ title: "Color", values: ["Black", "White"] }],
      variants: [
        {
          title: "Black",
          sku: `${prefix}/BLK 42`,
          options: { Color: "Black" },
          manage_inventory: false,
          prices: [{ currency_code: store.currencyCode, amount: 30 }],
        },
        {
          title: "White",
          sku: `${prefix}-WHT-42`,
          options: { Color: "White" },
          manage_inventory: true,
          prices: [{ currency_code: store.currencyCode, amount: 32 }],
        },
      ],
      sales_channels: [{ id: store.salesChannelId }],
      shipping_profile_id: store.shippingProfileId,
      categories: [{ id: child.id }],
      collection_id: collection.id,
    })
  )
  const variants = (
    await request("variants", "get", api, `/admin/products/${product.id}/variants?fields=id,sku,*inventory_items`, undefined, admin)
  ).variants as Array<{ id: string; sku: string; inventory_items: Array<{ inventory_item_id: string }> }>
  const odd = variants.find((v) => v.sku === `${prefix}/BLK 42`)!
  const stocked = variants.find((v) => v.sku === `${prefix}-WHT-42`)!
  const inventory_item_id = stocked.inventory_items[0].inventory_item_id
  await afterEvent(container, "inventory-level.created", () =>
    post("stock level", `/admin/inventory-items/${inventory_item_id}/location-levels`, {
      location_id: store.stockLocationId,
      stocked_quantity: stock,
    })
  )
  return {
    id: product.id,
    handle,
    odd: { id: odd.id, sku: odd.sku },
    stocked: { id: stocked.id, sku: stocked.sku, inventory_item_id },
    categoryIds: { parent: parent.id, child: child.id },
    collectionId: collection.id,
  }
}
