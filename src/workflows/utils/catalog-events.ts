import type { MedusaContainer } from "@medusajs/framework/types"
import { variantIdsOfInventoryLevels, variantIdsOfProducts } from "./catalog-variants"

/** The variants a catalog event is about: its own id for a variant's, the product's for a product's, the level's. */
export async function variantIdsOfCatalogEvent(container: MedusaContainer, event: string, id: string): Promise<string[]> {
  if (event.startsWith("product-variant.")) {
    return [id]
  }
  if (event.startsWith("product.")) {
    return await variantIdsOfProducts(container, [id])
  }
  if (event.startsWith("inventory-level.")) {
    return await variantIdsOfInventoryLevels(container, [id])
  }
  return []
}
