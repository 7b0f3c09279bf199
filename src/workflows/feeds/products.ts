import { WOOWUP_MODULE } from "../../modules/woowup"
import { bodyHash, planCatalogProduct, unavailableProductBody } from "../../modules/woowup/rules"
import type { FeedSyncOutcome } from "../../modules/woowup/service"
import { knownHere, type Feed, type FeedContext } from "../engine/feed"
import { defaultCatalogCurrency, loadCatalogVariants, variantIdsOfProducts } from "../utils/catalog-variants"
import { putWoowupProduct, withdrawWoowupProduct } from "../utils/woowup-product"

/**
 * The catalog feed: one WoowUp product per variant, under the SKU its purchases carry, so WoowUp links each
 * purchase to its product. A variant that is deleted (or whose product is) is told once to WoowUp as no longer
 * available; so is the old SKU of a variant whose SKU changed.
 */
export const productsFeed: Feed = {
  name: "products",
  enabled: (options) => options.catalog.enabled,
  converge: convergeProduct,
  expand: variantIdsOfProducts,
  discover: (container, input) => container.resolve<FeedContext["woowup"]>(WOOWUP_MODULE).findChangedVariants(input),
}

async function convergeProduct({ container, woowup, options, record, send }: FeedContext): Promise<FeedSyncOutcome> {
  const variantId = record.variant_id as string
  const sentSku = (record.sku as string | null) ?? null
  const known = knownHere(record, woowup.account)
  const currency = options.catalog.currency ?? (await defaultCatalogCurrency(container))
  const variant = (await loadCatalogVariants(container, [variantId], currency)).get(variantId)
  const plan =
    variant && !variant.deleted
      ? planCatalogProduct(variant, {
          currency,
          storefrontUrl: options.storefrontUrl,
          brandMetadataKey: options.catalog.brandMetadataKey,
        })
      : null
  if (!plan || plan.action === "skip") {
    if (!known || !sentSku) {
      return { status: "skipped", reason: plan?.reason ?? "variant_not_found" }
    }
    // WoowUp has it: it is told, once, that it is no longer for sale.
    const body_hash = bodyHash(unavailableProductBody(sentSku))
    if (record.body_hash !== body_hash) {
      await send((signal) => withdrawWoowupProduct(woowup.client, sentSku, signal))
    }
    return { status: "synced", body_hash, sent: record.body_hash !== body_hash, columns: { available: false } }
  }
  const columns = { sku: plan.sku, product_id: variant!.product_id, available: plan.available }
  if (known && sentSku === plan.sku && record.body_hash === plan.body_hash) {
    return { status: "synced", body_hash: plan.body_hash, sent: false, columns }
  }
  await send((signal) => putWoowupProduct(woowup.client, plan.body, { known: known && sentSku === plan.sku, signal }))
  if (known && sentSku && sentSku !== plan.sku) {
    // The variant's SKU changed: the product under the old one is no longer this variant.
    await send((signal) => withdrawWoowupProduct(woowup.client, sentSku, signal))
  }
  return { status: "synced", body_hash: plan.body_hash, sent: true, columns }
}
