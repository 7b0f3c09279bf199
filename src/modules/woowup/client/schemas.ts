import { z } from "@medusajs/framework/zod"

/**
 * Shapes of WoowUp apiv3 answers (the envelope and the payloads the client reads) and of the bodies it sends.
 *
 * Answer schemas are loose on purpose: unknown fields pass through, and numbers or strings that WoowUp may send
 * as either are accepted as either. They reject only what the client cannot work with.
 */

// ---------------------------------------------------------------------------------------------------------------
// Envelope

/** `{ payload?, message?, code, time? }`; `code` is `ok` on success. */
export const woowupEnvelopeSchema = z.looseObject({
  payload: z.unknown().optional(),
  message: z.unknown().optional(),
  code: z.string().min(1),
  time: z.unknown().optional(),
})
export type WoowupEnvelope = z.output<typeof woowupEnvelopeSchema>

export type EnvelopeParseResult =
  | { ok: true; envelope: WoowupEnvelope }
  | { ok: false; reason: "empty" | "html" | "not_json" | "no_code" }

/** Reads a body as a WoowUp envelope. Never throws. */
export function parseEnvelope(text: string): EnvelopeParseResult {
  const trimmed = text.trim()
  if (!trimmed) return { ok: false, reason: "empty" }
  if (trimmed.startsWith("<")) return { ok: false, reason: "html" }
  let json: unknown
  try {
    json = JSON.parse(trimmed)
  } catch {
    return { ok: false, reason: "not_json" }
  }
  const parsed = woowupEnvelopeSchema.safeParse(json)
  return parsed.success ? { ok: true, envelope: parsed.data } : { ok: false, reason: "no_code" }
}

/** `payload.errors[]` of a `bad_request`, if any. */
export const badRequestPayloadSchema = z.looseObject({ errors: z.array(z.unknown()) })

// ---------------------------------------------------------------------------------------------------------------
// Payloads

const looseString = z.union([z.string(), z.number().transform(String)])
const looseNumber = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
])
const looseBoolean = z.union([
  z.boolean(),
  z.literal(1).transform(() => true),
  z.literal(0).transform(() => false),
  z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1"),
])

/** `GET /multiusers/exist` */
export const existPayloadSchema = z.looseObject({ exist: looseBoolean })

/** `GET /multiusers/find`, `POST /users`, `PUT /multiusers` */
export const woowupCustomerSchema = z.looseObject({
  service_uid: looseString.nullish(),
  email: z.string().nullish(),
  document: looseString.nullish(),
  telephone: looseString.nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  points: looseNumber.nullish(),
})
export type WoowupCustomer = z.output<typeof woowupCustomerSchema>

/** One purchase as WoowUp returns it (`POST /purchases` echo, `GET /purchases` items). */
export const woowupPurchaseSchema = z.looseObject({
  id: looseString.nullish(),
  invoice_number: looseString,
  service_uid: looseString.nullish(),
  points: looseNumber.nullish(),
  purchase_detail: z.array(z.unknown()).nullish(),
})
export type WoowupPurchase = z.output<typeof woowupPurchaseSchema>

/** `GET /purchases?invoice_number=` */
export const purchaseListPayloadSchema = z.array(woowupPurchaseSchema)

/** One line of `GET /multiusers/transactions`. */
export const woowupTransactionSchema = z.looseObject({
  id: looseString.nullish(),
  service_uid: looseString.nullish(),
  points: looseNumber,
  concept: z.string().nullish(),
  description: z.string().nullish(),
  createtime: z.string().nullish(),
})
export type WoowupTransaction = z.output<typeof woowupTransactionSchema>

export const transactionListPayloadSchema = z.array(woowupTransactionSchema)

/** `POST /multiusers/points`: the sandbox answers `{ service_uid, points, transaction }`; WoowUp's is unconfirmed. */
export const pointsPayloadSchema = z
  .looseObject({
    service_uid: looseString.nullish(),
    /** The customer's balance after the change, when WoowUp says. */
    points: looseNumber.nullish(),
    transaction: woowupTransactionSchema.nullish(),
  })
  .nullish()
export type WoowupPointsResult = NonNullable<z.output<typeof pointsPayloadSchema>> | null

// ---------------------------------------------------------------------------------------------------------------
// Bodies sent

/** Who a call is about: at least one of these. */
export type WoowupIdentity = {
  email?: string
  document?: string
  telephone?: string
  service_uid?: string
}

export const IDENTITY_FIELDS = ["email", "document", "telephone", "service_uid"] as const

/** `POST /users`, `PUT /multiusers` */
export type WoowupCustomerInput = WoowupIdentity & {
  first_name?: string
  last_name?: string
  /** yyyy-mm-dd */
  birthdate?: string
  street?: string
  city?: string
  state?: string
  /** ISO-3166 alpha-3 */
  country?: string
  tags?: string | string[]
  mailing_enabled?: boolean
  custom_attributes?: Record<string, unknown>
  [field: string]: unknown
}

export type WoowupPurchaseItem = {
  /** `^[^-][a-zA-Z0-9_%-]+$` */
  sku: string
  quantity: number
  unit_price: number
  product_name?: string
  base_name?: string
  category?: string[]
  variations?: Array<{ name: string; value: string }>
  [field: string]: unknown
}

export type WoowupPrices = {
  gross?: number
  discount?: number
  shipping?: number
  tax?: number
  total?: number
  cost?: number
}

export type WoowupPayment = {
  type: "credit" | "debit" | "mercadopago" | "todopago" | "cash" | "other"
  brand?: string
  bank?: string
  total?: number
  installments?: number
}

/** `POST /purchases`, `PUT /purchases` (matched by `invoice_number`). */
export type WoowupPurchaseInput = WoowupIdentity & {
  invoice_number: string
  purchase_detail: WoowupPurchaseItem[]
  prices: WoowupPrices
  points?: number
  channel?: string
  branch_name?: string
  /** `YYYY-MM-DD HH:mm:ss` UTC or ISO 8601 with offset */
  createtime?: string
  approvedtime?: string
  payment?: WoowupPayment[]
  [field: string]: unknown
}

/** `POST /multiusers/points` */
export type WoowupPointsInput = WoowupIdentity & {
  /** Integer; negative subtracts. */
  points: number
  concept: string
  description?: string
}

/** `GET /multiusers/transactions` */
export type ListTransactionsOptions = {
  /** `yyyy-mm-dd` or `YYYY-MM-DD HH:mm:ss` (UTC). */
  from?: string
  to?: string
  /** 0-based. */
  page?: number
  /** 1..100, WoowUp's default 25. */
  limit?: number
}

// ---------------------------------------------------------------------------------------------------------------
// Products (the catalog feed)

/** WoowUp's SKU rule, for purchases and products alike: 2+ characters, not starting with `-`, then `[a-zA-Z0-9_%-]`. */
export const WOOWUP_SKU_PATTERN = /^[^-][a-zA-Z0-9_%-]+$/

const optionalText = z.string().nullish()
const optionalAmount = z.number().finite().nonnegative().nullish()

/**
 * `POST /products`: exactly the fields WoowUp documents, nothing else (a misspelt field is an error here, not a
 * silently dropped value at WoowUp's end; anything extra goes in `custom_attributes`). On `PUT /products/{sku}`
 * every field is optional and the ones sent replace WoowUp's; `null` clears a field (e.g. `offer_price` once a
 * sale ends: a field left out keeps its old value).
 */
export const woowupProductInputSchema = z.strictObject({
  sku: z.string().regex(WOOWUP_SKU_PATTERN, { message: `must match WoowUp's SKU rule ${WOOWUP_SKU_PATTERN.source}` }),
  // Checked, not trimmed: the body goes out as the caller built it.
  name: z.string().refine((name) => name.trim().length > 0, { message: "must be a non-empty string" }),
  base_sku: optionalText,
  base_name: optionalText,
  brand: optionalText,
  description: optionalText,
  url: optionalText,
  image_url: optionalText,
  thumbnail_url: optionalText,
  price: optionalAmount,
  offer_price: optionalAmount,
  stock: z.number().finite().nullish(),
  available: z.boolean().nullish(),
  /** The category path, outermost first. */
  category: z.array(z.string()).nullish(),
  /** e.g. the variant's options: `[{ name: "Color", value: "Black" }]`. */
  specifications: z.array(z.strictObject({ name: z.string().min(1), value: z.string() })).nullish(),
  custom_attributes: z.record(z.string(), z.unknown()).nullish(),
})
export type WoowupProductInput = z.infer<typeof woowupProductInputSchema>

/** The body of `PUT /products/{sku}`: any of the fields; `sku`, if given, must be the one in the path. */
export const woowupProductUpdateSchema = woowupProductInputSchema.partial()

/** One product as WoowUp returns it (`POST /products` and `PUT /products/{sku}` echoes, `GET /products` items). */
export const woowupProductSchema = z.looseObject({
  sku: looseString,
  name: z.string().nullish(),
  base_sku: looseString.nullish(),
  price: looseNumber.nullish(),
  offer_price: looseNumber.nullish(),
  stock: looseNumber.nullish(),
  available: looseBoolean.nullish(),
})
export type WoowupProduct = z.output<typeof woowupProductSchema>

/**
 * `GET /products?sku=`: like the other lists, an array (the sandbox answers one). Unconfirmed for products, so a
 * single product is read as a list of one.
 */
export const productListPayloadSchema = z.union([
  z.array(woowupProductSchema),
  woowupProductSchema.transform((product) => [product]),
])

/**
 * The path of `PUT /products/{sku}`: WoowUp takes the SKU base64-encoded, then URL-encoded (base64's `+`, `/`
 * and `=` would otherwise break the path). `TEE%2FBLK` → `/products/VEVFJTJGQkxL`.
 */
export function productPath(sku: string): string {
  return `/products/${encodeURIComponent(Buffer.from(sku, "utf8").toString("base64"))}`
}

/** `field[0].name: message` for the first few problems zod found in a body, for an `invalid_argument` error. */
export function describeIssues(error: z.ZodError, max = 3): string {
  return error.issues
    .slice(0, max)
    .map((issue) => {
      const field = issue.path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("")
      return `${field || "body"}: ${issue.message}`
    })
    .join("; ")
}
