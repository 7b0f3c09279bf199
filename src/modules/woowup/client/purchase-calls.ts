import { findInList, identityQuery, invalidArgument } from "./call-helpers"
import type { CreatePurchaseResult, WoowupCallOptions } from "./client-types"
import { WOOWUP_API_CODES, WoowupError } from "./errors"
import type { RequestExecutor } from "./request-executor"
import {
  purchaseListPayloadSchema,
  woowupPurchaseSchema,
  type WoowupPurchase,
  type WoowupPurchaseInput,
} from "./schemas"

// The purchase calls of `WoowupClient` (`/purchases`).

/**
 * `POST /purchases`. Safe to send again after an unknown outcome: `invoice_number` is WoowUp's de-duplication
 * key, so a repeat answers `duplicated_purchase_number`, returned as `{ outcome: "duplicate" }`.
 * An unknown customer throws `WoowupError` code `user_not_found` (not retryable): create it and send again.
 */
export async function createPurchase(
  requests: RequestExecutor,
  body: WoowupPurchaseInput,
  options?: WoowupCallOptions
): Promise<CreatePurchaseResult> {
  identityQuery("POST", "/purchases", body)
  if (!body.invoice_number) throw invalidArgument("POST", "/purchases", "invoice_number is required")
  try {
    const spec = { method: "POST", path: "/purchases", body, idempotent: true, priority: "orders" } as const
    return { outcome: "created", purchase: await requests.write(spec, woowupPurchaseSchema, options) }
  } catch (error) {
    if (error instanceof WoowupError && error.code === WOOWUP_API_CODES.DUPLICATED_PURCHASE_NUMBER) {
      return { outcome: "duplicate" }
    }
    throw error
  }
}

/** `PUT /purchases`, matched by `invoice_number`. An unknown purchase throws (WoowUp code, e.g. `not_found`). */
export async function updatePurchase(
  requests: RequestExecutor,
  body: WoowupPurchaseInput,
  options?: WoowupCallOptions
): Promise<WoowupPurchase | null> {
  if (!body.invoice_number) throw invalidArgument("PUT", "/purchases", "invoice_number is required")
  const spec = { method: "PUT", path: "/purchases", body, idempotent: true, priority: "orders" } as const
  return requests.write(spec, woowupPurchaseSchema, options)
}

/** `GET /purchases?invoice_number=`; null when WoowUp has none. */
export async function findPurchase(
  requests: RequestExecutor,
  invoiceNumber: string,
  options?: WoowupCallOptions
): Promise<WoowupPurchase | null> {
  const path = "/purchases"
  if (!invoiceNumber) throw invalidArgument("GET", path, "invoiceNumber is required")
  return findInList(
    requests,
    { method: "GET", path, query: { invoice_number: invoiceNumber }, idempotent: true, priority: "orders" },
    purchaseListPayloadSchema,
    (p) => p.invoice_number === invoiceNumber,
    options
  )
}
