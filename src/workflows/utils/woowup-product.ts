import { isWoowupError, WOOWUP_CLIENT_CODES, type WoowupClient } from "../../modules/woowup/client"
import { productUpdateBody } from "../../modules/woowup/rules"
import type { WoowupProductInput } from "../../modules/woowup/client"

const exists = (e: unknown) => isWoowupError(e) && e.code === WOOWUP_CLIENT_CODES.PRODUCT_EXISTS
const notFound = (e: unknown) => isWoowupError(e) && e.code === WOOWUP_CLIENT_CODES.PRODUCT_NOT_FOUND

/**
 * Puts the product in WoowUp under its SKU, whichever of create or update it takes: `PUT /products/{sku}` when the
 * record says WoowUp has it (the common case: one call), else `POST /products`; each falls back to the other
 * when WoowUp says otherwise (a product created by another integration, or deleted in WoowUp's admin). WoowUp's
 * docs leave open whether `PUT` creates an unknown SKU: this works either way.
 */
export async function putWoowupProduct(
  client: WoowupClient,
  body: WoowupProductInput,
  input: { known: boolean; signal?: AbortSignal }
): Promise<"created" | "updated"> {
  // A PUT keeps what it is not given: the fields the body no longer sets go as null (a sale that ended).
  const update = () => client.updateProduct(body.sku, productUpdateBody(body), { signal: input.signal })
  const create = () => client.createProduct(body, { signal: input.signal })
  if (input.known) {
    try {
      await update()
      return "updated"
    } catch (e) {
      if (!notFound(e)) {
        throw e
      }
      await create()
      return "created"
    }
  }
  try {
    await create()
    return "created"
  } catch (e) {
    if (!exists(e)) {
      throw e
    }
    await update()
    return "updated"
  }
}

/**
 * Tells WoowUp a product under `sku` is no longer for sale (`available: false, stock: 0`, as WoowUp's Magento
 * connector does for a vanished product). Nothing to do when WoowUp has no such product.
 */
export async function withdrawWoowupProduct(client: WoowupClient, sku: string, signal?: AbortSignal): Promise<void> {
  try {
    await client.updateProduct(sku, { available: false, stock: 0 }, { signal })
  } catch (e) {
    if (!notFound(e)) {
      throw e
    }
  }
}
