import { findInList, invalidArgument } from "./call-helpers"
import type { WoowupCallOptions } from "./client-types"
import { WOOWUP_API_CODES, WOOWUP_CLIENT_CODES } from "./errors"
import type { CodeMapper, RequestSpec } from "./request-answer"
import type { RequestExecutor } from "./request-executor"
import {
  WOOWUP_SKU_PATTERN,
  describeIssues,
  productListPayloadSchema,
  productPath,
  woowupProductInputSchema,
  woowupProductSchema,
  woowupProductUpdateSchema,
  type WoowupProduct,
  type WoowupProductInput,
} from "./schemas"

// The product calls of `WoowupClient` (`/products`): the catalog feed, one WoowUp product per variant.

/**
 * `POST /products`. The body is checked against `woowupProductInputSchema` first (`invalid_argument` naming the
 * field, nothing sent). A SKU WoowUp already has throws code `product_exists` (not retryable): send it with
 * `updateProduct` instead. Retried after a lost answer like every call WoowUp de-duplicates: the repeat finds the
 * product there and answers `product_exists` even though this call created it, and the `updateProduct` that
 * follows sends the same fields again: the catalog converges either way, one call later.
 */
export async function createProduct(
  requests: RequestExecutor,
  body: WoowupProductInput,
  options?: WoowupCallOptions
): Promise<WoowupProduct | null> {
  const path = "/products"
  const parsed = woowupProductInputSchema.safeParse(body)
  if (!parsed.success) throw invalidArgument("POST", path, describeIssues(parsed.error))
  return writeProduct(requests, { method: "POST", path, body: parsed.data, mapCode: productCreateCode }, options)
}

/**
 * `PUT /products/{sku}` (the SKU base64- then URL-encoded in the path): replaces the fields given, keeps the
 * others. An unknown SKU throws code `product_not_found` (not retryable): send it with `createProduct` instead
 * (WoowUp may instead create it: unconfirmed, the sandbox models both). Safe to repeat: it sets fields.
 */
export async function updateProduct(
  requests: RequestExecutor,
  sku: string,
  body: Partial<WoowupProductInput>,
  options?: WoowupCallOptions
): Promise<WoowupProduct | null> {
  if (typeof sku !== "string" || !WOOWUP_SKU_PATTERN.test(sku)) {
    throw invalidArgument("PUT", "/products", `sku: must match WoowUp's SKU rule ${WOOWUP_SKU_PATTERN.source}`)
  }
  const path = productPath(sku)
  const parsed = woowupProductUpdateSchema.safeParse(body)
  if (!parsed.success) throw invalidArgument("PUT", path, describeIssues(parsed.error))
  if (parsed.data.sku !== undefined && parsed.data.sku !== sku) {
    throw invalidArgument("PUT", path, "sku: the body's sku must be the one in the path")
  }
  if (!Object.values(parsed.data).some((v) => v !== undefined)) {
    throw invalidArgument("PUT", path, "body: at least one field to update is required")
  }
  return writeProduct(requests, { method: "PUT", path, body: parsed.data, mapCode: productUpdateCode }, options)
}

/** `GET /products?sku=`; null when WoowUp has no product with exactly that SKU. */
export async function findProduct(
  requests: RequestExecutor,
  sku: string,
  options?: WoowupCallOptions
): Promise<WoowupProduct | null> {
  const path = "/products"
  if (typeof sku !== "string" || !sku) throw invalidArgument("GET", path, "sku is required")
  return findInList(
    requests,
    { method: "GET", path, query: { sku }, idempotent: true, priority: "products" },
    productListPayloadSchema,
    (p) => p.sku === sku,
    options
  )
}

/** A product write: WoowUp de-duplicates both (by SKU), so both are repeated after a lost answer. */
function writeProduct(
  requests: RequestExecutor,
  spec: Pick<RequestSpec, "method" | "path" | "body" | "mapCode">,
  options?: WoowupCallOptions
): Promise<WoowupProduct | null> {
  return requests.write({ ...spec, idempotent: true, priority: "products" }, woowupProductSchema, options)
}

/** Codes and messages a duplicate `POST /products` may come back with (WoowUp's own answer is unconfirmed). */
const PRODUCT_EXISTS_CODE = /^(duplicated?_(product|sku)\w*|product_exists|already_exists)$/i
const PRODUCT_EXISTS_MESSAGE = /already\s+exists|ya\s+existe|existente|duplicad|duplicate/i

/**
 * `POST /products` for a SKU WoowUp has: the sandbox answers 409 `duplicated_product`; a 409, a `duplicated_*` code,
 * or a server error saying it exists (as `POST /users` does, "usuario existente") all mean `product_exists`.
 */
const productCreateCode: CodeMapper = ({ status, code, message }) => {
  if (code === WOOWUP_API_CODES.BAD_REQUEST) return code
  const exists =
    status === 409 ||
    PRODUCT_EXISTS_CODE.test(code) ||
    (code === WOOWUP_API_CODES.INTERNAL_ERROR && !!message && PRODUCT_EXISTS_MESSAGE.test(message))
  return exists ? WOOWUP_CLIENT_CODES.PRODUCT_EXISTS : code
}

/** `PUT /products/{sku}` for a SKU WoowUp does not have: a 404 `*not_found` (the sandbox's `product_not_found`). */
const productUpdateCode: CodeMapper = ({ status, code }) =>
  (status === 404 && /not_found$/.test(code)) || code === WOOWUP_CLIENT_CODES.PRODUCT_NOT_FOUND
    ? WOOWUP_CLIENT_CODES.PRODUCT_NOT_FOUND
    : code
