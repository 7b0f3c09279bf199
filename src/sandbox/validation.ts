/**
 * Request validation as WoowUp documents it. Each validator returns a list of messages, each naming
 * its field ("purchase_detail[0].sku: ..."); an empty list means valid. Hand-written rather than zod
 * so the messages name fields the way WoowUp's `payload.errors[]` does.
 */

export const IDENTITY_FIELDS = ["email", "document", "telephone", "service_uid"] as const
export type IdentityField = (typeof IDENTITY_FIELDS)[number]
export type Identity = Partial<Record<IdentityField, string>>

/** WoowUp's SKU rule. */
export const SKU_PATTERN = /^[^-][a-zA-Z0-9_%-]+$/

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const COUNTRY = /^[A-Z]{3}$/
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/
const WOOWUP_DATETIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/
const PAYMENT_TYPES = ["credit", "debit", "mercadopago", "todopago", "cash", "other"]
const PRICE_FIELDS = ["gross", "discount", "shipping", "tax", "total", "cost"]

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v)

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v)
const isNonEmptyString = (v: unknown): v is string => typeof v === "string" && v.trim().length > 0

const validCalendarDay = (y: string, m: string, d: string): boolean => {
  const date = new Date(Date.UTC(+y, +m - 1, +d))
  return date.getUTCFullYear() === +y && date.getUTCMonth() === +m - 1 && date.getUTCDate() === +d
}

const validClock = (h: string, min: string, s = "0"): boolean => +h < 24 && +min < 60 && +s < 60

/** `yyyy-mm-dd`, a real calendar day. */
export const isDay = (v: unknown): v is string => {
  if (typeof v !== "string") return false
  const m = DAY.exec(v)
  return !!m && validCalendarDay(m[1], m[2], m[3])
}

/** `YYYY-MM-DD HH:mm:ss` (UTC) or ISO 8601 with an offset. */
export const isWoowupDate = (v: unknown): v is string => {
  if (typeof v !== "string") return false
  const w = WOOWUP_DATETIME.exec(v)
  if (w) return validCalendarDay(w[1], w[2], w[3]) && validClock(w[4], w[5], w[6])
  const iso = ISO_WITH_OFFSET.exec(v)
  return !!iso && validCalendarDay(iso[1], iso[2], iso[3]) && validClock(iso[4], iso[5], iso[6]) && !isNaN(Date.parse(v))
}

/**
 * Epoch ms of a date accepted by `isWoowupDate` or `isDay` (a day is its start). A date without an offset is read
 * as UTC, or as local time at `zonelessUtcOffsetHours` (the `zonelessUtcOffsetHours` fault).
 */
export const parseDate = (v: string, zonelessUtcOffsetHours = 0): number => {
  const shift = -zonelessUtcOffsetHours * 3_600_000
  if (DAY.test(v)) return Date.parse(`${v}T00:00:00Z`) + shift
  if (WOOWUP_DATETIME.test(v)) return Date.parse(`${v.replace(" ", "T")}Z`) + shift
  return Date.parse(v)
}

/** The identity fields given (non-empty strings only). */
export const pickIdentity = (source: Record<string, unknown>): Identity => {
  const identity: Identity = {}
  for (const field of IDENTITY_FIELDS) {
    const value = source[field]
    if (typeof value === "string" && value.trim() !== "") identity[field] = value
  }
  return identity
}

export const checkIdentity = (body: Record<string, unknown>, errors: string[], required: boolean): void => {
  let given = 0
  for (const field of IDENTITY_FIELDS) {
    const value = body[field]
    if (value === undefined || value === null) continue
    if (typeof value !== "string") errors.push(`${field}: must be a string`)
    else if (value.trim() === "") errors.push(`${field}: must not be empty`)
    else {
      given++
      if (field === "email" && !EMAIL.test(value)) errors.push("email: must be a valid email address")
    }
  }
  if (required && given === 0) errors.push(`identity: one of ${IDENTITY_FIELDS.join(", ")} is required`)
}

const checkOptionalString = (body: Record<string, unknown>, field: string, errors: string[], prefix = ""): void => {
  const value = body[field]
  if (value !== undefined && value !== null && typeof value !== "string") errors.push(`${prefix}${field}: must be a string`)
}

const CUSTOMER_STRING_FIELDS = ["first_name", "last_name", "street", "city", "state"]

/** Body of POST /users and PUT /multiusers. */
export const validateCustomer = (body: unknown): string[] => {
  if (!isObject(body)) return ["body: must be a JSON object"]
  const errors: string[] = []
  checkIdentity(body, errors, true)
  for (const field of CUSTOMER_STRING_FIELDS) checkOptionalString(body, field, errors)
  if (body.birthdate != null && !isDay(body.birthdate)) errors.push("birthdate: must be a date as yyyy-mm-dd")
  if (body.country != null && (typeof body.country !== "string" || !COUNTRY.test(body.country))) {
    errors.push("country: must be an ISO-3166 alpha-3 code (3 uppercase letters)")
  }
  const tags = body.tags
  if (tags != null && typeof tags !== "string" && !(Array.isArray(tags) && tags.every((t) => typeof t === "string"))) {
    errors.push("tags: must be a string or an array of strings")
  }
  const mailing = body.mailing_enabled
  if (mailing != null && typeof mailing !== "boolean" && mailing !== "enabled" && mailing !== "disabled") {
    errors.push('mailing_enabled: must be a boolean, "enabled" or "disabled"')
  }
  if (body.custom_attributes != null && !isObject(body.custom_attributes)) {
    errors.push("custom_attributes: must be an object")
  }
  return errors
}

const checkDetail = (item: unknown, i: number, errors: string[]): void => {
  const at = `purchase_detail[${i}]`
  if (!isObject(item)) {
    errors.push(`${at}: must be an object`)
    return
  }
  if (item.sku === undefined || item.sku === null || item.sku === "") errors.push(`${at}.sku: is required`)
  else if (typeof item.sku !== "string") errors.push(`${at}.sku: must be a string`)
  else if (!SKU_PATTERN.test(item.sku)) errors.push(`${at}.sku: "${item.sku.slice(0, 100)}" must match ${SKU_PATTERN.source}`)
  if (item.quantity === undefined || item.quantity === null) errors.push(`${at}.quantity: is required`)
  else if (typeof item.quantity !== "number" || !Number.isInteger(item.quantity)) errors.push(`${at}.quantity: must be an integer`)
  if (item.unit_price === undefined || item.unit_price === null) errors.push(`${at}.unit_price: is required`)
  else if (!isNumber(item.unit_price)) errors.push(`${at}.unit_price: must be a number`)
  checkOptionalString(item, "product_name", errors, `${at}.`)
  checkOptionalString(item, "base_name", errors, `${at}.`)
  if (item.category != null && !(Array.isArray(item.category) && item.category.every((c) => typeof c === "string"))) {
    errors.push(`${at}.category: must be an array of strings`)
  }
  if (item.variations != null) {
    if (!Array.isArray(item.variations)) errors.push(`${at}.variations: must be an array`)
    else {
      item.variations.forEach((v, j) => {
        if (!isObject(v) || typeof v.name !== "string" || typeof v.value !== "string") {
          errors.push(`${at}.variations[${j}]: must be {name, value} strings`)
        }
      })
    }
  }
}

/**
 * Body of POST /purchases (and of each item of /purchases/bulk). With `partial` (PUT /purchases) only
 * `invoice_number` is required and the other fields are checked when present.
 */
export const validatePurchase = (body: unknown, partial = false): string[] => {
  if (!isObject(body)) return ["body: must be a JSON object"]
  const errors: string[] = []
  checkIdentity(body, errors, !partial)
  if (!isNonEmptyString(body.invoice_number)) errors.push("invoice_number: must be a non-empty string")
  const detail = body.purchase_detail
  if (detail === undefined || detail === null) {
    if (!partial) errors.push("purchase_detail: is required")
  } else if (!Array.isArray(detail) || detail.length === 0) errors.push("purchase_detail: must be a non-empty array")
  else detail.forEach((item, i) => checkDetail(item, i, errors))
  if (body.prices != null) {
    if (!isObject(body.prices)) errors.push("prices: must be an object")
    else {
      for (const [field, value] of Object.entries(body.prices)) {
        if (value !== null && !isNumber(value)) errors.push(`prices.${field}: must be a number`)
      }
    }
  }
  if (body.points != null && (typeof body.points !== "number" || !Number.isInteger(body.points))) {
    errors.push("points: must be an integer")
  }
  for (const field of ["createtime", "approvedtime"]) {
    if (body[field] != null && !isWoowupDate(body[field])) {
      errors.push(`${field}: must be a date as YYYY-MM-DD HH:mm:ss or ISO 8601 with an offset`)
    }
  }
  checkOptionalString(body, "channel", errors)
  checkOptionalString(body, "branch_name", errors)
  if (body.payment != null) {
    if (!Array.isArray(body.payment)) errors.push("payment: must be an array")
    else {
      body.payment.forEach((p, i) => {
        const at = `payment[${i}]`
        if (!isObject(p)) return errors.push(`${at}: must be an object`)
        if (p.type != null && !PAYMENT_TYPES.includes(p.type as string)) {
          errors.push(`${at}.type: must be one of ${PAYMENT_TYPES.join(", ")}`)
        }
        if (p.total != null && !isNumber(p.total)) errors.push(`${at}.total: must be a number`)
        if (p.installments != null && !Number.isInteger(p.installments)) errors.push(`${at}.installments: must be an integer`)
      })
    }
  }
  return errors
}

/** Body of POST /multiusers/points. */
export const validatePoints = (body: unknown): string[] => {
  if (!isObject(body)) return ["body: must be a JSON object"]
  const errors: string[] = []
  checkIdentity(body, errors, true)
  if (typeof body.points !== "number" || !Number.isInteger(body.points)) errors.push("points: must be an integer")
  else if (body.points === 0) errors.push("points: must not be 0")
  if (!isNonEmptyString(body.concept)) errors.push("concept: must be a non-empty string")
  checkOptionalString(body, "description", errors)
  return errors
}

const PRODUCT_STRING_FIELDS = ["base_sku", "base_name", "brand", "description", "url", "image_url", "thumbnail_url"]

/** The fields of `POST /products` as WoowUp documents them; others are ignored. */
export const PRODUCT_FIELDS = [
  "sku",
  "name",
  ...PRODUCT_STRING_FIELDS,
  "price",
  "offer_price",
  "stock",
  "available",
  "category",
  "specifications",
  "custom_attributes",
]

const checkSku = (sku: unknown, field: string, errors: string[]): void => {
  if (typeof sku !== "string") errors.push(`${field}: must be a string`)
  else if (!SKU_PATTERN.test(sku)) errors.push(`${field}: "${sku.slice(0, 100)}" must match ${SKU_PATTERN.source}`)
}

/**
 * Body of POST /products. With `partial` (PUT /products/{sku}, where the SKU is in the path) nothing is required and
 * the fields given are checked. `null` is accepted for every optional field (on PUT it clears the field).
 */
export const validateProduct = (body: unknown, partial = false): string[] => {
  if (!isObject(body)) return ["body: must be a JSON object"]
  const errors: string[] = []
  if (body.sku === undefined || body.sku === null || body.sku === "") {
    if (!partial) errors.push("sku: is required")
  } else checkSku(body.sku, "sku", errors)
  if (body.name === undefined || body.name === null) {
    if (!partial) errors.push("name: is required")
  } else if (!isNonEmptyString(body.name)) errors.push("name: must be a non-empty string")
  for (const field of PRODUCT_STRING_FIELDS) checkOptionalString(body, field, errors)
  for (const field of ["price", "offer_price", "stock"]) {
    if (body[field] != null && !isNumber(body[field])) errors.push(`${field}: must be a number`)
  }
  if (body.available != null && typeof body.available !== "boolean") errors.push("available: must be a boolean")
  const category = body.category
  if (category != null && !(Array.isArray(category) && category.every((c) => typeof c === "string"))) {
    errors.push("category: must be an array of strings")
  }
  if (body.specifications != null) {
    if (!Array.isArray(body.specifications)) errors.push("specifications: must be an array")
    else {
      body.specifications.forEach((s, i) => {
        if (!isObject(s) || typeof s.name !== "string" || typeof s.value !== "string") {
          errors.push(`specifications[${i}]: must be {name, value} strings`)
        }
      })
    }
  }
  if (body.custom_attributes != null && !isObject(body.custom_attributes)) {
    errors.push("custom_attributes: must be an object")
  }
  return errors
}

/** Query identity of the GET endpoints. */
export const validateQueryIdentity = (query: Record<string, string>): string[] => {
  const errors: string[] = []
  checkIdentity(query, errors, true)
  return errors
}

export type Paging = { page: number; limit: number }

/** `page` 0-based (default 0); `limit` default 25, capped at `cap` (100; larger values are clamped). */
export const parsePaging = (query: Record<string, string>, cap = 100): Paging | string[] => {
  const errors: string[] = []
  const read = (field: string, fallback: number, min: number): number => {
    const raw = query[field]
    if (raw === undefined || raw === "") return fallback
    const n = Number(raw)
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min) {
      errors.push(`${field}: must be an integer >= ${min}`)
      return fallback
    }
    return n
  }
  const page = read("page", 0, 0)
  const limit = Math.min(read("limit", 25, 1), cap)
  return errors.length ? errors : { page, limit }
}

/** Validates `SandboxFaults`; returns messages (empty = valid). */
export const validateFaults = (faults: unknown): string[] => {
  if (!isObject(faults)) return ["faults: must be an object"]
  const errors: string[] = []
  const share = (field: string) => {
    const v = faults[field]
    if (v !== undefined && (!isNumber(v) || v < 0 || v > 1)) errors.push(`${field}: must be a number from 0 to 1`)
  }
  share("errorRate")
  share("hangRate")
  share("dropAfterStoreRate")
  const nonNegative = (field: string) => {
    const v = faults[field]
    if (v !== undefined && (!isNumber(v) || v < 0)) errors.push(`${field}: must be a number >= 0`)
  }
  nonNegative("latencyMs")
  nonNegative("retryAfterSeconds")
  if (faults.pageCap !== undefined && (!Number.isInteger(faults.pageCap) || (faults.pageCap as number) < 1)) {
    errors.push("pageCap: must be an integer >= 1")
  }
  const offset = faults.zonelessUtcOffsetHours
  if (offset !== undefined && (!isNumber(offset) || offset < -12 || offset > 14)) {
    errors.push("zonelessUtcOffsetHours: must be a number from -12 to 14")
  }
  if (faults.putCreatesProducts !== undefined && typeof faults.putCreatesProducts !== "boolean") {
    errors.push("putCreatesProducts: must be a boolean")
  }
  const isStatus = (s: unknown) => Number.isInteger(s) && (s as number) >= 200 && (s as number) <= 599
  if (faults.errorStatuses !== undefined) {
    const s = faults.errorStatuses
    if (!Array.isArray(s) || s.length === 0 || !s.every(isStatus)) {
      errors.push("errorStatuses: must be a non-empty array of HTTP statuses (200-599)")
    }
  }
  if (faults.script !== undefined) {
    if (!Array.isArray(faults.script)) errors.push("script: must be an array")
    else {
      faults.script.forEach((step, i) => {
        const at = `script[${i}]`
        if (!isObject(step)) return errors.push(`${at}: must be an object`)
        const f = step.fault
        if (!isStatus(f) && f !== "hang" && f !== "drop-after-store" && f !== "garbage" && f !== "no-code") {
          errors.push(`${at}.fault: must be an HTTP status (200-599), "hang", "drop-after-store", "garbage" or "no-code"`)
        }
        if (step.method !== undefined && typeof step.method !== "string") errors.push(`${at}.method: must be a string`)
        if (step.path !== undefined && typeof step.path !== "string") errors.push(`${at}.path: must be a string`)
        if (step.times !== undefined && (!Number.isInteger(step.times) || (step.times as number) < 1)) {
          errors.push(`${at}.times: must be an integer >= 1`)
        }
      })
    }
  }
  return errors
}
