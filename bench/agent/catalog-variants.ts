/**
 * The agent's `catalog-variants`: a catalog WoowUp has never seen, made fast through the product module's
 * `createProducts` in batches (as an import would), then any product sync an event started forgotten.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { AgentInput, AgentOutput } from "../types"

const SIZES = ["XS", "S", "M", "L", "XL"]
// Products a call: large enough to be fast, small enough that one call's rows stay a modest transaction.
const PRODUCTS_PER_BATCH = 100

export async function createCatalogVariants(
  container: MedusaContainer,
  input: Extract<AgentInput, { mode: "catalog-variants" }>
): Promise<Omit<Extract<AgentOutput, { mode: "catalog-variants" }>, "mode">> {
  const t0 = performance.now()
  const products = container.resolve(Modules.PRODUCT)
  const total = Math.ceil(input.count / SIZES.length)
  let variants = 0
  for (let first = 0; first < total; first += PRODUCTS_PER_BATCH) {
    const batch = Array.from({ length: Math.min(PRODUCTS_PER_BATCH, total - first) }, (_, i) => {
      const p = first + i
      const sizes = SIZES.slice(0, Math.min(SIZES.length, input.count - p * SIZES.length))
      variants += sizes.length
      return {
        title: `Backfill ${p}`,
        status: "published" as const,
        options: [{ title: "Size", values: sizes }],
        variants: sizes.map((size) => ({ title: size, sku: `BF-${p}-${size}`, options: { Size: size } })),
      }
    })
    await products.createProducts(batch)
  }
  // The agent runs with the catalog feed off; should anything have synced, it is forgotten: WoowUp has none.
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  await pg.raw(`DELETE FROM woowup_product_sync`)
  console.info(`[bench agent] ${variants} catalog variants in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  return { variants, ms: Math.round(performance.now() - t0) }
}
