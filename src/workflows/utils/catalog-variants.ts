import type { MedusaContainer, RemoteQueryFunction } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, QueryContext } from "@medusajs/framework/utils"
import {
  catalogPrices,
  categoryPaths,
  variantStock,
  type CatalogCategory,
  type CatalogVariant,
} from "../../modules/woowup/rules/catalog-variant"
import { idPages as pages, uniqueIds as unique } from "./catalog-variant-ids"

// The event helpers live with their own file; re-exported so the feed imports one module.
export * from "./catalog-variant-ids"

// What `container.resolve(QUERY)` gives.
type Query = Omit<RemoteQueryFunction, symbol>

/** What the catalog feed reads of a variant (`query.graph({ entity: "product_variant" })`). */
export const CATALOG_VARIANT_FIELDS = [
  "id",
  "sku",
  "title",
  "thumbnail",
  "manage_inventory",
  "allow_backorder",
  "images.url",
  "images.rank",
  "options.value",
  "options.option.title",
  "product.id",
  "product.title",
  "product.handle",
  "product.status",
  "product.description",
  "product.metadata",
  "product.thumbnail",
  "product.images.url",
  "product.images.rank",
  "product.collection.title",
  "product.categories.id",
  "product.categories.name",
  "product.categories.mpath",
  "product.categories.is_internal",
  "product.categories.is_active",
  "product.sales_channels.id",
  "inventory_items.required_quantity",
  "inventory_items.inventory.location_levels.stocked_quantity",
  "inventory_items.inventory.location_levels.reserved_quantity",
  // Medusa's own price calculation, as the storefront asks for it (with a currency context).
  "calculated_price.calculated_amount",
  "calculated_price.original_amount",
  "calculated_price.currency_code",
  "calculated_price.calculated_price.price_list_type",
  // The stored prices: the fallback when no price applies without a region (e.g. region prices only).
  "prices.amount",
  "prices.currency_code",
  "prices.price_list_id",
  "prices.min_quantity",
  "prices.rules_count",
]

// A soft-deleted variant keeps its row: what the engine needs to mark its WoowUp product unavailable.
const DELETED_VARIANT_FIELDS = ["id", "sku", "title", "product_id", "deleted_at", "product.id", "product.title", "product.handle"]

/**
 * The catalog feed's view of the given variants, in `currency`, by variant id. A variant Medusa no longer has as
 * live (soft-deleted, or its product is) comes back with `deleted: true`; one with no row at all is absent from
 * the map (`planCatalogProduct(undefined)`).
 *
 * @example
 * const variants = await loadCatalogVariants(container, ["variant_01..."], "usd")
 * const plan = planCatalogProduct(variants.get("variant_01..."), { currency: "usd", storefrontUrl })
 */
export async function loadCatalogVariants(
  container: MedusaContainer,
  variantIds: string[],
  currency: string
): Promise<Map<string, CatalogVariant>> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const code = currency.toLowerCase()
  const out = new Map<string, CatalogVariant>()
  for (const ids of pages(unique(variantIds))) {
    const { data } = await query.graph({
      entity: "product_variant",
      fields: CATALOG_VARIANT_FIELDS,
      filters: { id: ids },
      context: { calculated_price: QueryContext({ currency_code: code }) },
    })
    const rows = (data as any[]).filter((row) => row?.product)
    const categories = await categoriesOnPaths(query, rows)
    for (const row of rows) {
      out.set(row.id, toCatalogVariant(row, code, categories))
    }
    const gone = ids.filter((id) => !out.has(id))
    if (gone.length) {
      for (const row of await deletedVariants(query, gone)) {
        out.set(row.id, row)
      }
    }
  }
  return out
}

/** The store's default currency, lower case: the feed's currency when `catalog.currency` is not set. */
export async function defaultCatalogCurrency(container: MedusaContainer): Promise<string> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "store",
    fields: ["id", "supported_currencies.currency_code", "supported_currencies.is_default"],
  })
  for (const store of data as any[]) {
    const currency = (store?.supported_currencies ?? []).find((c: any) => c?.is_default)?.currency_code
    if (typeof currency === "string" && currency) {
      return currency.toLowerCase()
    }
  }
  throw new MedusaError(
    MedusaError.Types.INVALID_DATA,
    "medusa-plugin-woowup: the store has no default currency; set the catalog.currency option"
  )
}

function toCatalogVariant(row: any, currency: string, categories: Map<string, NonNullable<CatalogCategory>>): CatalogVariant {
  const product = row.product
  const options = (row.options ?? [])
    .filter((o: any) => o?.option?.title && o.value !== undefined && o.value !== null)
    .map((o: any) => ({ name: String(o.option.title), value: String(o.value) }))
  const { price, sale_price } = catalogPrices(row.calculated_price, row.prices, currency)
  return {
    id: row.id,
    sku: row.sku ?? null,
    title: row.title ?? null,
    deleted: false,
    product_id: product.id,
    product_title: product.title ?? null,
    product_handle: product.handle ?? null,
    product_status: product.status ?? null,
    product_description: product.description ?? null,
    product_metadata: product.metadata ?? null,
    thumbnail: row.thumbnail ?? product.thumbnail ?? null,
    images: [...byRank(row.images), ...byRank(product.images)].filter((url, i, all) => all.indexOf(url) === i),
    options,
    collection_title: product.collection?.title ?? null,
    category_paths: categoryPaths(product.categories, categories),
    sales_channel_ids: (product.sales_channels ?? []).map((sc: any) => sc?.id).filter(Boolean),
    manage_inventory: !!row.manage_inventory,
    allow_backorder: !!row.allow_backorder,
    stock: variantStock(row.inventory_items),
    price,
    sale_price,
  }
}

async function deletedVariants(query: Query, ids: string[]): Promise<CatalogVariant[]> {
  // Only the variant's own fields: with `withDeleted`, relations would bring back deleted prices and images too.
  const { data } = await query.graph({
    entity: "product_variant",
    fields: DELETED_VARIANT_FIELDS,
    filters: { id: ids },
    withDeleted: true,
  })
  return (data as any[])
    .filter((row) => row?.id)
    .map((row) => ({
      id: row.id,
      sku: row.sku ?? null,
      title: row.title ?? null,
      deleted: true,
      product_id: row.product?.id ?? row.product_id,
      product_title: row.product?.title ?? null,
      product_handle: row.product?.handle ?? null,
      product_status: null,
      product_description: null,
      product_metadata: null,
      thumbnail: null,
      images: [],
      options: [],
      collection_title: null,
      category_paths: [],
      sales_channel_ids: [],
      manage_inventory: false,
      allow_backorder: false,
      stock: null,
      price: null,
      sale_price: null,
    }))
}

/** Every category on the paths of the variants' categories (their `mpath`), to name each path from its root. */
async function categoriesOnPaths(
  query: Query,
  rows: any[]
): Promise<Map<string, NonNullable<CatalogCategory>>> {
  const ids = unique(
    rows.flatMap((row) => (row.product.categories ?? []).flatMap((c: any) => String(c?.mpath ?? c?.id ?? "").split(".")))
  ).filter(Boolean)
  const byId = new Map<string, NonNullable<CatalogCategory>>()
  for (const page of pages(ids)) {
    const { data } = await query.graph({
      entity: "product_category",
      fields: ["id", "name", "mpath", "is_internal", "is_active"],
      filters: { id: page },
    })
    for (const category of data as any[]) {
      byId.set(category.id, category)
    }
  }
  return byId
}

function byRank(images: any[] | null | undefined): string[] {
  return [...(images ?? [])]
    .filter((i) => typeof i?.url === "string" && i.url)
    .sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0))
    .map((i) => i.url)
}
