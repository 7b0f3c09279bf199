import { z } from "@medusajs/framework/zod"
import { invalidArgument } from "./call-helpers"
import type { WoowupCallOptions } from "./client-types"
import type { RequestExecutor } from "./request-executor"
import { WOOWUP_SKU_PATTERN, describeIssues } from "./schemas"

// The abandoned-cart call of `WoowupClient` (`/multiusers/abandoned-cart`): the abandoned-cart feed.

const amount = z.number().finite().nonnegative()

/**
 * `POST /multiusers/abandoned-cart`: exactly the fields WoowUp documents (a misspelt field is an error here, not a
 * value WoowUp drops). The identity is the cart's email; `products` is required and never empty.
 */
export const woowupAbandonedCartSchema = z.strictObject({
  email: z.string().trim().min(1, "must be a non-empty string"),
  external_id: z.string().min(1, "must be a non-empty string"),
  source: z.string().min(1, "must be a non-empty string"),
  /** ISO 8601 with an offset. */
  createtime: z.string().min(1, "must be a non-empty string"),
  total_price: amount,
  recover_url: z.string().optional(),
  recovered: z.boolean().optional(),
  products: z
    .array(
      z.strictObject({
        sku: z.string().regex(WOOWUP_SKU_PATTERN, { message: `must match WoowUp's SKU rule ${WOOWUP_SKU_PATTERN.source}` }),
        quantity: z.number().int().positive(),
        unit_price: amount,
        offer_price: amount.optional(),
      })
    )
    .min(1, "must hold at least one product"),
})
export type WoowupAbandonedCartInput = z.infer<typeof woowupAbandonedCartSchema>

/**
 * `POST /multiusers/abandoned-cart`, on the `carts` lane. The body is checked first (`invalid_argument` naming the
 * field, nothing sent). A customer WoowUp does not know throws code `user_not_found` (not retryable): create them and
 * send again. Repeated after a lost answer: WoowUp keys the cart on `external_id`, so a repeat tells it the same cart.
 */
export async function sendAbandonedCart(
  requests: RequestExecutor,
  body: WoowupAbandonedCartInput,
  options?: WoowupCallOptions
): Promise<void> {
  const path = "/multiusers/abandoned-cart"
  const parsed = woowupAbandonedCartSchema.safeParse(body)
  if (!parsed.success) throw invalidArgument("POST", path, describeIssues(parsed.error))
  await requests.write({ method: "POST", path, body: parsed.data, idempotent: true, priority: "carts" }, z.unknown(), options)
}
