import { SKU_PATTERN, checkIdentity, isObject, isWoowupDate } from "./validation"

const isAmount = (v: unknown): boolean => typeof v === "number" && Number.isFinite(v) && v >= 0

/**
 * Body of `POST /multiusers/abandoned-cart`, as WoowUp documents it: an identity, `external_id` (the cart id) and
 * `products[]` with a `sku` each are required; the other documented fields are checked when given.
 */
export const validateAbandonedCart = (body: unknown): string[] => {
  if (!isObject(body)) return ["body: must be a JSON object"]
  const errors: string[] = []
  checkIdentity(body, errors, true)
  if (typeof body.external_id !== "string" || !body.external_id.trim()) errors.push("external_id: is required")
  for (const field of ["source", "recover_url"]) {
    if (body[field] != null && typeof body[field] !== "string") errors.push(`${field}: must be a string`)
  }
  if (body.recovered != null && typeof body.recovered !== "boolean") errors.push("recovered: must be a boolean")
  if (body.total_price != null && !isAmount(body.total_price)) errors.push("total_price: must be a number >= 0")
  if (body.createtime != null && !isWoowupDate(body.createtime)) {
    errors.push("createtime: must be YYYY-MM-DD HH:mm:ss or ISO 8601 with an offset")
  }
  if (!Array.isArray(body.products) || body.products.length === 0) {
    errors.push("products: is required (a non-empty array)")
    return errors
  }
  body.products.forEach((product, i) => {
    if (!isObject(product)) {
      errors.push(`products[${i}]: must be an object`)
      return
    }
    if (typeof product.sku !== "string" || !product.sku) errors.push(`products[${i}].sku: is required`)
    else if (!SKU_PATTERN.test(product.sku)) errors.push(`products[${i}].sku: must match ${SKU_PATTERN.source}`)
    if (product.quantity != null && !(Number.isInteger(product.quantity) && (product.quantity as number) > 0)) {
      errors.push(`products[${i}].quantity: must be a positive integer`)
    }
    for (const field of ["unit_price", "offer_price"]) {
      if (product[field] != null && !isAmount(product[field])) errors.push(`products[${i}].${field}: must be a number >= 0`)
    }
  })
  return errors
}
