import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

/**
 * From what a Medusa event names (a product, an inventory item or level, a reservation, a price, a price list) to
 * the product variants whose WoowUp product it may change: what the catalog feed's subscribers re-plan.
 */

/** Ids read per query. */
const IDS_PER_QUERY = 100

/**
 * The variants of the given products, for `product.*` events. A deleted product's variants are included (they are
 * soft-deleted with it): each is sent once as unavailable. A live product's deleted variants are not: their own
 * `product-variant.deleted` event names them.
 */
export async function variantIdsOfProducts(container: MedusaContainer, productIds: string[]): Promise<string[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const out: string[] = []
  for (const ids of idPages(uniqueIds(productIds))) {
    const { data } = await query.graph({
      entity: "product",
      fields: ["id", "deleted_at", "variants.id", "variants.deleted_at"],
      filters: { id: ids },
      withDeleted: true,
    })
    for (const product of data as any[]) {
      for (const variant of product?.variants ?? []) {
        if (variant?.id && (product.deleted_at || !variant.deleted_at)) {
          out.push(variant.id)
        }
      }
    }
  }
  return uniqueIds(out)
}

/** The variants that use the given inventory items (a kit's item counts for every variant it is part of). */
export async function variantIdsOfInventoryItems(container: MedusaContainer, inventoryItemIds: string[]): Promise<string[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const out: string[] = []
  for (const ids of idPages(uniqueIds(inventoryItemIds))) {
    const { data } = await query.graph({
      entity: "product_variant_inventory_items",
      fields: ["variant_id"],
      filters: { inventory_item_id: ids },
    })
    out.push(...(data as any[]).map((link) => link?.variant_id).filter((id): id is string => typeof id === "string"))
  }
  return uniqueIds(out)
}

/** The variants whose stock the given inventory levels count in (`inventory-level.*` events carry the level id). */
export async function variantIdsOfInventoryLevels(container: MedusaContainer, levelIds: string[]): Promise<string[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const itemIds: string[] = []
  for (const ids of idPages(uniqueIds(levelIds))) {
    // A deleted level changed the stock too.
    const { data } = await query.graph({
      entity: "inventory_level",
      fields: ["id", "inventory_item_id"],
      filters: { id: ids },
      withDeleted: true,
    })
    itemIds.push(...(data as any[]).map((l) => l?.inventory_item_id).filter((id): id is string => typeof id === "string"))
  }
  return variantIdsOfInventoryItems(container, itemIds)
}

/** The variants whose stock the given reservations hold back (`reservation-item.*` events carry the reservation id). */
export async function variantIdsOfReservations(container: MedusaContainer, reservationIds: string[]): Promise<string[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const itemIds: string[] = []
  for (const ids of idPages(uniqueIds(reservationIds))) {
    // A deleted reservation gave its units back.
    const { data } = await query.graph({
      entity: "reservation",
      fields: ["id", "inventory_item_id"],
      filters: { id: ids },
      withDeleted: true,
    })
    itemIds.push(...(data as any[]).map((r) => r?.inventory_item_id).filter((id): id is string => typeof id === "string"))
  }
  return variantIdsOfInventoryItems(container, itemIds)
}

/** The variants priced by the given price sets (one price set per variant). */
export async function variantIdsOfPriceSets(container: MedusaContainer, priceSetIds: string[]): Promise<string[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const out: string[] = []
  for (const ids of idPages(uniqueIds(priceSetIds))) {
    const { data } = await query.graph({
      entity: "product_variant_price_set",
      fields: ["variant_id"],
      filters: { price_set_id: ids },
    })
    out.push(...(data as any[]).map((link) => link?.variant_id).filter((id): id is string => typeof id === "string"))
  }
  return uniqueIds(out)
}

/** The variants the given prices belong to (`price.*` events carry the price id), deleted prices included. */
export async function variantIdsOfPrices(container: MedusaContainer, priceIds: string[]): Promise<string[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const setIds: string[] = []
  for (const ids of idPages(uniqueIds(priceIds))) {
    const { data } = await query.graph({
      entity: "price",
      fields: ["id", "price_set_id"],
      filters: { id: ids },
      withDeleted: true,
    })
    setIds.push(...(data as any[]).map((p) => p?.price_set_id).filter((id): id is string => typeof id === "string"))
  }
  return variantIdsOfPriceSets(container, setIds)
}

/** The variants a price list prices (`price-list.*` events), its deleted prices included. */
export async function variantIdsOfPriceLists(container: MedusaContainer, priceListIds: string[]): Promise<string[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const setIds: string[] = []
  for (const ids of idPages(uniqueIds(priceListIds))) {
    const { data } = await query.graph({
      entity: "price_list",
      fields: ["id", "prices.price_set_id"],
      filters: { id: ids },
      withDeleted: true,
    })
    for (const list of data as any[]) {
      setIds.push(...(list?.prices ?? []).map((p: any) => p?.price_set_id).filter((id: unknown): id is string => typeof id === "string"))
    }
  }
  return variantIdsOfPriceSets(container, setIds)
}

/** The distinct non-empty ids, in their first order. */
export function uniqueIds(values: string[]): string[] {
  return [...new Set(values.filter((v) => typeof v === "string" && v))]
}

/** Ids a page at a time: bounded, so a backfill or an import never builds one huge query. */
export function* idPages(ids: string[]): Generator<string[]> {
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    yield ids.slice(i, i + IDS_PER_QUERY)
  }
}
