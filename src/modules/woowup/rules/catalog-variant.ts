import { MathBN } from "@medusajs/framework/utils"
import { decimalOr, roundToInteger, toDecimal } from "./money"

/**
 * One product variant as the catalog feed sees it: what `loadCatalogVariants` reads of Medusa (product, options,
 * images, categories, collection, sales channels, inventory, prices in the feed's currency), flattened so the
 * planning rule stays pure.
 */
export type CatalogVariant = {
  id: string
  sku: string | null
  title: string | null
  /** The variant, or its product, is soft-deleted: WoowUp gets it once as unavailable. */
  deleted: boolean
  product_id: string
  product_title: string | null
  product_handle: string | null
  /** `published`, `draft`, `proposed` or `rejected`. */
  product_status: string | null
  product_description: string | null
  product_metadata: Record<string, unknown> | null
  /** The variant's own thumbnail, else the product's. */
  thumbnail: string | null
  /** Image URLs, the variant's own first (by rank), then the product's (by rank). */
  images: string[]
  /** The variant's option values, in no set order (Medusa keeps none): the plan orders them. */
  options: Array<{ name: string; value: string }>
  collection_title: string | null
  /** Each category's path of names, root first (e.g. `["Clothing", "T-Shirts"]`). */
  category_paths: string[][]
  sales_channel_ids: string[]
  manage_inventory: boolean
  allow_backorder: boolean
  /** Units that can be sold now over every location (stocked minus reserved), null without an inventory item. */
  stock: number | null
  /** The regular price in the feed's currency, in its main unit (Medusa 2 stores 25 for 25.00); null: none. */
  price: number | null
  /** The price of a sale price list that applies now, when lower than `price`; else null. */
  sale_price: number | null
}

/** One inventory item of a variant, as Query gives `product_variant.inventory_items`. */
export type CatalogInventoryLink = {
  required_quantity?: unknown
  inventory?: {
    location_levels?: Array<{ stocked_quantity?: unknown; reserved_quantity?: unknown } | null> | null
  } | null
} | null

/**
 * Units of the variant that can be sold now, the way Medusa counts a variant's availability
 * (`getTotalVariantAvailability`): per inventory item, stocked minus reserved summed over every location, divided
 * by the quantity one unit of the variant takes (a kit takes several), rounded down; the least over its items.
 * Null when the variant has no inventory item. May be negative (more reserved than stocked): the plan clamps it.
 */
export function variantStock(links: CatalogInventoryLink[] | null | undefined): number | null {
  const counts: number[] = []
  for (const link of links ?? []) {
    if (!link) {
      continue
    }
    let available = MathBN.convert(0)
    for (const level of link.inventory?.location_levels ?? []) {
      if (!level) {
        continue
      }
      available = available.plus(decimalOr(level.stocked_quantity).minus(decimalOr(level.reserved_quantity)))
    }
    const required = toDecimal(link.required_quantity)
    const per = required && required.gt(0) ? required : MathBN.convert(1)
    counts.push(roundToInteger(available.dividedBy(per), "floor").toNumber())
  }
  return counts.length ? Math.min(...counts) : null
}

/** `calculated_price` of a variant, as Query computes it with a `QueryContext({ currency_code })`. */
export type CatalogCalculatedPrice = {
  calculated_amount?: unknown
  original_amount?: unknown
  currency_code?: string | null
  calculated_price?: { price_list_type?: string | null } | null
} | null

/** A variant's stored price (`product_variant.prices`). */
export type CatalogStoredPrice = {
  amount?: unknown
  currency_code?: string | null
  price_list_id?: string | null
  min_quantity?: unknown
  rules_count?: unknown
} | null

/**
 * The regular and sale price of a variant in `currency`, from Medusa's own price calculation: `original_amount` is
 * the regular price (an override price list's when one applies), and `calculated_amount` the lowest price a shopper
 * pays now; it is a sale only when it comes from a price list of type `sale` and is lower.
 *
 * Without a calculated price (the variant's prices in that currency all carry rules, such as a region's), the
 * plain stored price in the currency: one outside price lists and quantity tiers, the one with the fewest rules.
 */
export function catalogPrices(
  calculated: CatalogCalculatedPrice | undefined,
  prices: CatalogStoredPrice[] | null | undefined,
  currency: string
): { price: number | null; sale_price: number | null } {
  const code = currency.toLowerCase()
  const calculatedAmount = toDecimal(calculated?.calculated_amount)
  const sameCurrency = !calculated?.currency_code || calculated.currency_code.toLowerCase() === code
  if (calculated && calculatedAmount && sameCurrency) {
    const original = toDecimal(calculated.original_amount) ?? calculatedAmount
    const isSale = calculated.calculated_price?.price_list_type === "sale" && calculatedAmount.lt(original)
    return { price: original.toNumber(), sale_price: isSale ? calculatedAmount.toNumber() : null }
  }
  const plain = (prices ?? [])
    .filter((p): p is NonNullable<CatalogStoredPrice> => !!p && (p.currency_code ?? "").toLowerCase() === code)
    .filter((p) => !p.price_list_id && !(toDecimal(p.min_quantity)?.gt(1) ?? false) && toDecimal(p.amount) !== null)
    .sort((a, b) => (toDecimal(a.rules_count)?.toNumber() ?? 0) - (toDecimal(b.rules_count)?.toNumber() ?? 0))
  const amount = plain.length ? toDecimal(plain[0].amount) : null
  return { price: amount ? amount.toNumber() : null, sale_price: null }
}

/** A product category with its `mpath` (the ids from the root down to it, dot-separated). */
export type CatalogCategory = {
  id: string
  name?: string | null
  mpath?: string | null
  is_internal?: boolean | null
  is_active?: boolean | null
} | null

/**
 * Each of a product's categories as its path of names, root first, from the categories' `mpath` and the names of
 * every category on those paths. Internal and inactive categories, and paths through them, are left out, as the
 * storefront leaves them out.
 */
export function categoryPaths(
  productCategories: CatalogCategory[] | null | undefined,
  byId: Map<string, NonNullable<CatalogCategory>>
): string[][] {
  const paths: string[][] = []
  for (const category of productCategories ?? []) {
    if (!category) {
      continue
    }
    const ids = (category.mpath ?? category.id).split(".").filter(Boolean)
    const names: string[] = []
    for (const id of ids) {
      const node = id === category.id ? { ...byId.get(id), ...category } : byId.get(id)
      const name = node?.name?.trim()
      if (!node || !name || node.is_internal || node.is_active === false) {
        names.length = 0
        break
      }
      names.push(name)
    }
    if (names.length) {
      paths.push(names)
    }
  }
  return paths
}
