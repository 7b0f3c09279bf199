import { STOREFRONT_URL_PLACEHOLDERS, type StorefrontUrlPlaceholder } from "../options"
import type { WoowupProductInput } from "../client/schemas"
import { bodyHash } from "./body-hash"
import type { CatalogVariant } from "./catalog-variant"
import { text } from "./identity"
import { currencyDecimals, roundDecimal, toDecimal } from "./money"
import { encodeWoowupSku } from "./sku"

/** The `POST /products` body, as the client checks it (client/schemas.ts). */
export type { WoowupProductInput }

export type CatalogProductContext = {
  /** The feed's currency (`catalog.currency`, else the store's default), lower case. */
  currency: string
  /** The `storefrontUrl` option. */
  storefrontUrl?: string
  /** The `catalog.brandMetadataKey` option. */
  brandMetadataKey?: string
}

export type CatalogSkipReason =
  /** Not in Medusa (never was, or hard-deleted): what WoowUp has of it is marked unavailable by the engine. */
  | "variant_not_found"
  /** Soft-deleted (or its product is): the engine sends `unavailableProductBody(sku)` once if WoowUp has it. */
  | "variant_deleted"

export type CatalogProductPlan =
  | { action: "send"; sku: string; body: WoowupProductInput; body_hash: string; available: boolean }
  /** `sku`: the WoowUp SKU the variant had, when it is known (a deleted variant). */
  | { action: "skip"; reason: CatalogSkipReason; sku?: string }

// What Medusa's admin creates for a product made "without variants": placeholders, not the merchant's words.
const DEFAULT_OPTION_TITLE = "Default option"
const DEFAULT_OPTION_VALUE = "Default option value"
const DEFAULT_VARIANT_TITLE = "Default variant"

/**
 * The WoowUp product of one Medusa variant, and a hash of it (an unchanged product costs no call):
 * - `sku`: exactly what purchases carry for the variant (`toWoowupSku`: its SKU, else its id, encoded), so WoowUp
 *   links each purchase to its product.
 * - `name`: the product title and the variant's option values, "Shirt (S / Black)"; without options, the product
 *   title, with the variant's title in brackets when it says more.
 * - `base_sku`: the product id. Not the handle: a merchant may rename a handle, which would split the product's
 *   variants into two groups in WoowUp; the id never changes and is valid as a WoowUp SKU as it is.
 * - `price` and `offer_price` (a sale price list's price, only when lower), in the currency's decimals. A variant
 *   without a price in the feed's currency is still sent, without `price`: WoowUp needs the product to link the
 *   purchases of it (e.g. ones paid in another currency), and a missing price is better than a made-up one.
 * - `stock` only when Medusa manages the variant's inventory, never negative; 0 while the product is unpublished.
 * - `available`: published, in a sales channel, and in stock or not managing inventory (or sold on backorder,
 *   which Medusa's checkout accepts).
 * A deleted variant, or one not found, is a skip with its reason: the engine marks what WoowUp has of it with
 * {@link unavailableProductBody}.
 */
export function planCatalogProduct(variant: CatalogVariant | undefined, ctx: CatalogProductContext): CatalogProductPlan {
  if (!variant) {
    return { action: "skip", reason: "variant_not_found" }
  }
  const sku = catalogSku(variant)
  if (variant.deleted) {
    return { action: "skip", reason: "variant_deleted", sku }
  }
  const published = variant.product_status === "published"
  const stock = variant.manage_inventory && variant.stock !== null ? Math.max(0, variant.stock) : undefined
  const inStock = stock === undefined || stock > 0 || variant.allow_backorder
  const available = published && variant.sales_channel_ids.length > 0 && inStock

  const options = specifications(variant)
  const images = variant.images.filter(isWebUrl)
  const thumbnail = isWebUrl(variant.thumbnail) ? variant.thumbnail : undefined
  const decimals = currencyDecimals(ctx.currency)
  const price = money(variant.price, decimals)
  const sale = money(variant.sale_price, decimals)

  const body: WoowupProductInput = {
    sku,
    name: productName(variant, options),
    base_sku: encodeWoowupSku(variant.product_id) ?? undefined,
    base_name: text(variant.product_title) ?? undefined,
    brand: brand(variant, ctx.brandMetadataKey),
    description: text(variant.product_description) ?? undefined,
    url: ctx.storefrontUrl ? (storefrontProductUrl(ctx.storefrontUrl, variant) ?? undefined) : undefined,
    image_url: images[0] ?? thumbnail,
    thumbnail_url: thumbnail ?? images[0],
    price,
    offer_price: price !== undefined && sale !== undefined && sale < price ? sale : undefined,
    // WoowUp reads an unpublished product's stock as nothing to sell, as the Magento connector sends it.
    stock: stock === undefined ? undefined : published ? stock : 0,
    available,
    category: deepestCategory(variant.category_paths),
    specifications: options.length ? options : undefined,
  }
  for (const key of Object.keys(body) as Array<keyof WoowupProductInput>) {
    if (body[key] === undefined) {
      delete body[key]
    }
  }
  return { action: "send", sku, body, body_hash: bodyHash(body), available }
}

/** The WoowUp SKU of a variant: its SKU, else its id, encoded as purchases encode it (`toWoowupSku`). */
export function catalogSku(variant: Pick<CatalogVariant, "id" | "sku">): string {
  return encodeWoowupSku(variant.sku) ?? encodeWoowupSku(variant.id) ?? variant.id
}

/**
 * What WoowUp is sent, once, for a product it has whose variant is gone from Medusa (deleted, or its SKU changed):
 * not available, nothing in stock, as WoowUp's Magento connector marks a vanished product.
 */
export function unavailableProductBody(sku: string): Pick<WoowupProductInput, "sku" | "available" | "stock"> {
  return { sku, available: false, stock: 0 }
}

/** `PUT /products/{sku}` form of a product: a field set to `null` clears WoowUp's value. */
export type WoowupProductUpdate = Partial<WoowupProductInput>

// The fields the plan sets when it has a value and leaves out otherwise. Not `custom_attributes`: the plan never
// sends it, so whatever the merchant keeps there in WoowUp is left alone.
const CLEARABLE_FIELDS = [
  "base_sku",
  "base_name",
  "brand",
  "description",
  "url",
  "image_url",
  "thumbnail_url",
  "price",
  "offer_price",
  "stock",
  "category",
  "specifications",
] as const satisfies ReadonlyArray<keyof WoowupProductInput>

/**
 * A planned body as an update: on `PUT`, a field left out keeps WoowUp's old value, so a sale that ended would
 * keep its `offer_price` there (and a removed brand, image or category its old one). Every field the plan can set
 * and did not is sent as `null`. Use the plain body for `POST` (a new product has nothing to clear).
 */
export function productUpdateBody(body: WoowupProductInput): WoowupProductUpdate {
  const update: WoowupProductUpdate = { ...body }
  for (const key of CLEARABLE_FIELDS) {
    if (update[key] === undefined) {
      update[key] = null
    }
  }
  return update
}

/**
 * The product page of a variant from the `storefrontUrl` template, each placeholder's value URL-encoded. Null when
 * the template uses a placeholder the variant has no value for (e.g. `{sku}` of a variant without SKU): no link
 * beats a broken one.
 */
export function storefrontProductUrl(
  template: string,
  variant: Pick<CatalogVariant, "id" | "sku" | "product_id" | "product_handle">
): string | null {
  const values: Record<StorefrontUrlPlaceholder, string | null> = {
    handle: text(variant.product_handle),
    product_id: text(variant.product_id),
    variant_id: text(variant.id),
    sku: text(variant.sku),
  }
  let missing = false
  const url = template.replace(/\{([^{}]*)\}/g, (whole, name: string) => {
    if (!(STOREFRONT_URL_PLACEHOLDERS as readonly string[]).includes(name)) {
      return whole
    }
    const value = values[name as StorefrontUrlPlaceholder]
    if (value === null) {
      missing = true
      return whole
    }
    return encodeURIComponent(value)
  })
  return missing ? null : url
}

/**
 * The variant's options, in a stable order: Medusa keeps no order of a product's options (Query returns them in
 * any order), and a changing order would change the body and cost a call. So: in the order the variant's title
 * names their values (the admin titles a variant "42 / Black" from its options), the rest by option name.
 */
function specifications(variant: CatalogVariant): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = []
  for (const option of variant.options) {
    const name = text(option.name)
    const value = text(option.value)
    if (!name || !value || (name === DEFAULT_OPTION_TITLE && value === DEFAULT_OPTION_VALUE)) {
      continue
    }
    out.push({ name, value })
  }
  const words = (variant.title ?? "").split("/").map((w) => w.trim())
  const place = (value: string) => (words.includes(value) ? words.indexOf(value) : words.length)
  return out.sort((a, b) => place(a.value) - place(b.value) || compare(a.name, b.name) || compare(a.value, b.value))
}

function productName(variant: CatalogVariant, options: Array<{ name: string; value: string }>): string {
  const product = text(variant.product_title)
  const title = text(variant.title)
  const base = product ?? title ?? text(variant.sku) ?? variant.id
  if (options.length) {
    return `${base} (${options.map((o) => o.value).join(" / ")})`
  }
  if (product && title && title !== DEFAULT_VARIANT_TITLE && title.toLowerCase() !== product.toLowerCase()) {
    return `${product} (${title})`
  }
  return base
}

function brand(variant: CatalogVariant, metadataKey: string | undefined): string | undefined {
  const fromMetadata = metadataKey ? text(variant.product_metadata?.[metadataKey]) : null
  return fromMetadata ?? text(variant.collection_title) ?? undefined
}

/** The deepest of the product's category paths (ties: the first in alphabetical order, so the choice is stable). */
function deepestCategory(paths: string[][]): string[] | undefined {
  const sorted = paths
    .filter((p) => p.length)
    .sort((a, b) => b.length - a.length || compare(a.join("\u0000"), b.join("\u0000")))
  return sorted[0]
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function money(value: number | null, decimals: number): number | undefined {
  const amount = toDecimal(value)
  return amount && amount.gte(0) ? roundDecimal(amount, decimals).toNumber() : undefined
}

// WoowUp shows images in its campaigns: a relative or non-web URL would be a broken image there.
function isWebUrl(value: string | null | undefined): value is string {
  if (!value) {
    return false
  }
  try {
    const url = new URL(value)
    return url.protocol === "https:" || url.protocol === "http:"
  } catch {
    return false
  }
}
