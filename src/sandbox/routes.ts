import { validateAbandonedCart } from "./cart-validation"
import { BRANCH_PATH, createBranch, getBranch, getStats, postIntegrationStats } from "./account-routes"
import type { SandboxStore } from "./state"
import type { SandboxCustomer } from "./types"
import { IDENTITY_FIELDS, PRODUCT_FIELDS, SKU_PATTERN, isObject, isDay, isWoowupDate, parseDate, parsePaging, pickIdentity,
  validateCustomer, validatePoints, validateProduct, validatePurchase, validateQueryIdentity } from "./validation"

/** An apiv3 answer before it is written: the envelope's `payload`, `message`, `code` and the HTTP status. */
export type ApiResult = { status: number; code: string; message: string; payload: unknown }

/** The request body as read from the socket. */
export type ReadBody =
  | { kind: "empty" }
  | { kind: "json"; value: unknown }
  | { kind: "invalid"; text: string }
  | { kind: "too-large"; bytes: number; limit: number }

export type ApiRequest = { method: string; path: string; query: Record<string, string>; body: ReadBody }

/** How this account reads what it is asked: the sandbox's `pageCap`, `zonelessUtcOffsetHours` and `putCreatesProducts`. */
export type ApiReading = { pageCap?: number; zonelessUtcOffsetHours?: number; putCreatesProducts?: boolean }

const ok = (payload: unknown, status = 200): ApiResult => ({ status, code: "ok", message: "ok", payload })
const badRequest = (errors: string[]): ApiResult => ({
  status: 400,
  code: "bad_request",
  message: errors[0] ?? "bad request",
  payload: { errors },
})
const userNotFound = (): ApiResult => ({ status: 404, code: "user_not_found", message: "user not found", payload: null })
const userExists = (): ApiResult => ({ status: 500, code: "internal_error", message: "usuario existente", payload: null })

/** The JSON body, or the 400 that refuses it. */
const jsonBody = (body: ReadBody): { value: unknown } | ApiResult => {
  switch (body.kind) {
    case "json":
      return { value: body.value }
    case "empty":
      return badRequest(["body: a JSON body is required"])
    case "invalid":
      return badRequest(["body: invalid JSON"])
    case "too-large":
      return badRequest([`body: ${body.bytes} bytes is over the ${body.limit} bytes limit`])
  }
}

const page = <T>(items: T[], query: Record<string, string>, reading: ApiReading): T[] | ApiResult => {
  const paging = parsePaging(query, reading.pageCap)
  if (Array.isArray(paging)) return badRequest(paging)
  return items.slice(paging.page * paging.limit, (paging.page + 1) * paging.limit)
}

/** Identity fields that would make `fields` collide with another customer. */
const collides = (store: SandboxStore, fields: Record<string, unknown>, except?: SandboxCustomer) =>
  store.findCustomer(pickIdentity(fields), except) !== undefined

const CUSTOMER_FIELDS = [...IDENTITY_FIELDS, "first_name", "last_name", "birthdate", "street", "city", "state", "country", "tags", "mailing_enabled", "custom_attributes"]

/** The customer fields WoowUp documents; others (and `points`) are ignored. */
const customerFields = (body: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(CUSTOMER_FIELDS.filter((f) => body[f] !== undefined && body[f] !== null).map((f) => [f, body[f]]))

type Handler = (req: ApiRequest, store: SandboxStore, reading: ApiReading) => ApiResult

const withBody =
  (handle: (body: unknown, req: ApiRequest, store: SandboxStore) => ApiResult): Handler =>
  (req, store) => {
    const read = jsonBody(req.body)
    return "value" in read ? handle(read.value, req, store) : read
  }

/** The customer named by the query's identity (`customer` undefined when none), or the 400 for a missing identity. */
const findByQuery = (req: ApiRequest, store: SandboxStore): { customer?: SandboxCustomer } | ApiResult => {
  const errors = validateQueryIdentity(req.query)
  if (errors.length) return badRequest(errors)
  return { customer: store.findCustomer(pickIdentity(req.query)) }
}

const isResult = (v: object): v is ApiResult => "status" in v && "code" in v

const createPurchase = (body: unknown, store: SandboxStore): ApiResult => {
  const errors = validatePurchase(body)
  if (errors.length || !isObject(body)) return badRequest(errors)
  if (store.findPurchase(body.invoice_number as string)) {
    return { status: 409, code: "duplicated_purchase_number", message: "duplicated purchase number", payload: null }
  }
  const customer = store.findCustomer(pickIdentity(body))
  if (!customer) return userNotFound()
  return ok(store.createPurchase(customer, body), 201)
}

/** The documented product fields of a body; others are ignored. */
const productFields = (body: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(PRODUCT_FIELDS.filter((f) => body[f] !== undefined).map((f) => [f, body[f]]))

const PRODUCT_PATH = /^\/products\/([^/]+)$/

/**
 * The SKU of `PUT /products/{sku}`: base64, then URL-encoded. Decoded the way a PHP server's `urldecode` does (a
 * raw `+` becomes a space), so a base64 `+` or `/` that was not URL-encoded breaks the SKU, as it would at WoowUp.
 */
const skuFromPath = (segment: string): string | undefined => {
  let base64: string
  try {
    base64 = decodeURIComponent(segment.replace(/\+/g, " "))
  } catch {
    return undefined
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) return undefined
  return Buffer.from(base64, "base64").toString("utf8")
}

/** `PUT /products/{sku}`: replaces the fields given; an unknown SKU is 404 unless `putCreatesProducts`. */
const updateProduct = (segment: string, req: ApiRequest, store: SandboxStore, reading: ApiReading): ApiResult => {
  const sku = skuFromPath(segment)
  if (sku === undefined || !SKU_PATTERN.test(sku)) {
    return badRequest([`sku (path): must be a SKU matching ${SKU_PATTERN.source}, base64-encoded, then URL-encoded`])
  }
  const read = jsonBody(req.body)
  if (!("value" in read)) return read
  const body = read.value
  const errors = validateProduct(body, true)
  if (errors.length || !isObject(body)) return badRequest(errors)
  if (body.sku != null && body.sku !== sku) return badRequest([`sku: "${String(body.sku).slice(0, 100)}" is not the SKU in the path`])
  const product = store.findProduct(sku)
  if (product) return ok(store.updateProduct(product, productFields(body)))
  if (!reading.putCreatesProducts) {
    return { status: 404, code: "product_not_found", message: "product not found", payload: null }
  }
  const whole = { ...body, sku }
  const missing = validateProduct(whole)
  return missing.length ? badRequest(missing) : ok(store.createProduct(productFields(whole)), 201)
}

/** apiv3 routes: "METHOD /path" → handler. */
export const ROUTES: Record<string, Handler> = {
  "GET /multiusers/exist": (req, store) => {
    const found = findByQuery(req, store)
    return isResult(found) ? found : ok({ exist: found.customer !== undefined })
  },

  "GET /multiusers/find": (req, store) => {
    const found = findByQuery(req, store)
    if (isResult(found)) return found
    return found.customer ? ok(found.customer) : userNotFound()
  },

  "POST /users": withBody((body, _req, store) => {
    const errors = validateCustomer(body)
    if (errors.length || !isObject(body)) return badRequest(errors)
    if (collides(store, body)) return userExists()
    return ok(store.createCustomer(customerFields(body)), 201)
  }),

  "PUT /multiusers": withBody((body, _req, store) => {
    const errors = validateCustomer(body)
    if (errors.length || !isObject(body)) return badRequest(errors)
    const customer = store.findCustomer(pickIdentity(body))
    if (!customer) return userNotFound()
    if (collides(store, body, customer)) return userExists()
    return ok(store.updateCustomer(customer, customerFields(body)))
  }),

  "POST /purchases": withBody((body, _req, store) => createPurchase(body, store)),

  "PUT /purchases": withBody((body, _req, store) => {
    const errors = validatePurchase(body, true)
    if (errors.length || !isObject(body)) return badRequest(errors)
    const purchase = store.findPurchase(body.invoice_number as string)
    if (!purchase) return { status: 404, code: "not_found", message: "purchase not found", payload: null }
    return ok(store.updatePurchase(purchase, body))
  }),

  "GET /purchases": (req, store, reading) => {
    const identity = pickIdentity(req.query)
    const invoice = req.query.invoice_number
    const hasIdentity = Object.keys(identity).length > 0
    const customer = hasIdentity ? store.findCustomer(identity) : undefined
    const items = store.state.purchases.filter(
      (p) => (invoice === undefined || p.invoice_number === invoice) && (!hasIdentity || p.service_uid === customer?.service_uid)
    )
    const paged = page(items, req.query, reading)
    return Array.isArray(paged) ? ok(paged) : paged
  },

  "POST /purchases/bulk": withBody((body, _req, store) => {
    if (!Array.isArray(body)) return badRequest(["body: must be a JSON array of purchases"])
    if (body.length === 0) return badRequest(["body: must not be empty"])
    return ok(
      body.map((item, index) => {
        const r = createPurchase(item, store)
        return {
          index,
          invoice_number: isObject(item) ? item.invoice_number : undefined,
          status: r.status,
          code: r.code,
          message: r.message,
          payload: r.payload,
        }
      })
    )
  }),

  "POST /multiusers/points": withBody((body, _req, store) => {
    const errors = validatePoints(body)
    if (errors.length || !isObject(body)) return badRequest(errors)
    const customer = store.findCustomer(pickIdentity(body))
    if (!customer) return userNotFound()
    const description = typeof body.description === "string" ? body.description : undefined
    const transaction = store.addTransaction(customer, body.points as number, body.concept as string, description)
    return ok({ service_uid: customer.service_uid, points: customer.points, transaction })
  }),

  "POST /products": withBody((body, _req, store) => {
    const errors = validateProduct(body)
    if (errors.length || !isObject(body)) return badRequest(errors)
    if (store.findProduct(body.sku as string)) {
      return { status: 409, code: "duplicated_product", message: "a product with this sku already exists", payload: null }
    }
    return ok(store.createProduct(productFields(body)), 201)
  }),

  // A cart of a customer the account does not know is refused: the customer is created first (as VTEX's connector does).
  "POST /multiusers/abandoned-cart": withBody((body, _req, store) => {
    const errors = validateAbandonedCart(body)
    if (errors.length || !isObject(body)) return badRequest(errors)
    const customer = store.findCustomer(pickIdentity(body))
    if (!customer) return userNotFound()
    return ok(store.receiveAbandonedCart(customer, body))
  }),

  "GET /products": (req, store, reading) => {
    const { sku, available } = req.query
    if (available !== undefined && !["true", "false", "1", "0"].includes(available)) {
      return badRequest(["available: must be true or false"])
    }
    const wanted = available === undefined ? undefined : available === "true" || available === "1"
    const items = store.state.products.filter(
      (p) => (sku === undefined || p.sku === sku) && (wanted === undefined || (p.available ?? true) === wanted)
    )
    const paged = page(items, req.query, reading)
    return Array.isArray(paged) ? ok(paged) : paged
  },

  "POST /branches": withBody((body, _req, store) => createBranch(body, store)),
  "POST /integration-stats": withBody((body, _req, store) => postIntegrationStats(body, store)),
  "GET /stats": (req, store, reading) => getStats(req, store, reading.zonelessUtcOffsetHours),

  "GET /multiusers/transactions": (req, store, reading) => {
    const errors = validateQueryIdentity(req.query)
    for (const field of ["from", "to"]) {
      const v = req.query[field]
      if (v !== undefined && !isDay(v) && !isWoowupDate(v)) errors.push(`${field}: must be a date (yyyy-mm-dd or YYYY-MM-DD HH:mm:ss)`)
    }
    if (errors.length) return badRequest(errors)
    const customer = store.findCustomer(pickIdentity(req.query))
    if (!customer) return userNotFound()
    const zone = reading.zonelessUtcOffsetHours
    const from = req.query.from !== undefined ? parseDate(req.query.from, zone) : -Infinity
    // A bare day as `to` includes that whole day.
    const to = req.query.to === undefined ? Infinity : parseDate(req.query.to, zone) + (isDay(req.query.to) ? 86_399_999 : 0)
    const items = store.transactionsOf(customer).filter((tx) => {
      const at = parseDate(tx.createtime)
      return at >= from && at <= to
    })
    const paged = page(items, req.query, reading)
    return Array.isArray(paged) ? ok(paged) : paged
  },
}

/** Dispatches an authorised, accepted API request. Unknown paths: 404 `not_found`; known path, other method: 405. */
export const handleApi = (req: ApiRequest, store: SandboxStore, reading: ApiReading = {}): ApiResult => {
  const route = ROUTES[`${req.method} ${req.path}`]
  if (route) return route(req, store, reading)
  const product = PRODUCT_PATH.exec(req.path)
  if (product) {
    if (req.method === "PUT") return updateProduct(product[1], req, store, reading)
    return { status: 405, code: "method_not_allowed", message: `${req.method} is not allowed on /products/{sku}`, payload: null }
  }
  const branch = BRANCH_PATH.exec(req.path)
  if (branch) {
    if (req.method === "GET") return getBranch(branch[1], store)
    return { status: 405, code: "method_not_allowed", message: `${req.method} is not allowed on /branches/{name}`, payload: null }
  }
  const known = Object.keys(ROUTES).some((key) => key.slice(key.indexOf(" ") + 1) === req.path)
  return known
    ? { status: 405, code: "method_not_allowed", message: `${req.method} is not allowed on ${req.path}`, payload: null }
    : { status: 404, code: "not_found", message: `no endpoint ${req.method} ${req.path}`, payload: null }
}
