import { MedusaError } from "@medusajs/framework/utils"
import { z } from "@medusajs/framework/zod"
import { parseExpression } from "cron-parser"
import { CLAIM_STALE_MS, MAX_TIMEOUT_MS } from "./engine/claim-timing"

/**
 * The plugin's options: one schema, validated once at start-up by the module's loader.
 * `apiKey` is the only required option: `{ apiKey }` is a complete configuration.
 */

const rate = z.number().finite().nonnegative()

export const WOOWUP_IDENTIFIERS = ["email", "document", "telephone", "service_uid"] as const
export type WoowupIdentifier = (typeof WOOWUP_IDENTIFIERS)[number]

const cron = z.string().refine(
  (v) => {
    try {
      parseExpression(v)
      return true
    } catch {
      return false
    }
  },
  { message: 'must be a cron expression (e.g. "*/15 * * * *")' }
)

/** The scheduled job that finds captured orders WoowUp has not got and takes them through the award workflow. */
export const reconcileOptionsSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** When the job runs (cron, in the server's time zone). */
    schedule: cron.default("*/15 * * * *"),
    /** How far back each run looks for orders, by creation. */
    lookbackHours: z.number().int().positive().default(168),
    /** Orders sent at once (all within `requestsPerMinute`). */
    concurrency: z.number().int().min(1).max(32).default(4),
    /** Attempts after which a failure that keeps coming back is judged permanent (an admin resync still tries). */
    maxAttempts: z.number().int().min(1).max(100).default(10),
  })
  .strict()

/** A 3-letter ISO 4217 code, any case in the options, lower case after (as Medusa keeps currency codes). */
const currencyCode = z
  .string()
  .trim()
  .refine((v) => /^[a-zA-Z]{3}$/.test(v), { message: 'must be a 3-letter ISO 4217 currency code (e.g. "usd")' })
  .transform((v) => v.toLowerCase())

/** The catalog feed: one WoowUp product per Medusa variant (README, "The catalog feed"). */
export const catalogOptionsSchema = z
  .object({
    /** Off until the merchant turns it on: a first start must not send a whole catalog unasked. */
    enabled: z.boolean().default(false),
    /** The currency of `price` and `offer_price`. Default: the store's default currency, read when the feed runs. */
    currency: currencyCode.optional(),
    /** The product `metadata` key holding the brand. Without it (or without a value), the product's collection title. */
    brandMetadataKey: z.string().trim().min(1).optional(),
    /** Send the whole catalog on the first start with the feed on (otherwise only through the resync route). */
    backfillOnStart: z.boolean().default(false),
  })
  .strict()

/** The abandoned-cart feed (docs/abandoned-carts.md): carts left with an email and items, sent for WoowUp's recovery campaigns. */
export const abandonedCartsOptionsSchema = z
  .object({
    /** Off until the merchant turns it on: WoowUp's campaigns write to customers. */
    enabled: z.boolean().default(false),
    /** Minutes without a change after which a cart with an email and items is abandoned. */
    afterMinutes: z.number().int().min(1).max(10_080).default(60),
    /** The storefront's page that restores a cart, with `{cart_id}`: sent as each cart's `recover_url`. */
    recoverUrl: z
      .string()
      .superRefine((value, ctx) => {
        const problem = recoverUrlProblem(value)
        if (problem) {
          ctx.addIssue({ code: "custom", message: problem })
        }
      })
      .optional(),
    /** Carts whose last change is older than this are never sent (nor sent again). */
    maxAgeHours: z.number().int().min(1).max(720).default(72),
  })
  .strict()
  .refine((o) => o.maxAgeHours * 60 > o.afterMinutes, {
    path: ["maxAgeHours"],
    message: "must be longer than afterMinutes (a cart older than maxAgeHours is never sent)",
  })
/** Spending points at checkout (docs/redeem-points.md): a points discount on the cart, debited when the order is placed. */
export const redeemOptionsSchema = z
  .object({
    /** Off until the merchant turns it on (and sets `pointValue`). */
    enabled: z.boolean().default(false),
    /** Money (in the currency's main unit) one point pays: one value, or a map of currency code to value. */
    pointValue: z.union([z.number().finite().positive(), z.record(currencyCode, z.number().finite().positive())]).optional(),
    /** Fewer points than this cannot be applied to a cart. */
    minPoints: z.number().int().min(1).default(1),
    /** The share of the cart's item subtotal that points may pay (0 < x <= 1). */
    maxShareOfCart: z.number().gt(0).max(1).default(1),
    /** How long an unpaid cart holds the points applied to it. */
    holdMinutes: z.number().int().min(1).max(43_200).default(1440),
  })
  .strict()
  .refine((o) => !o.enabled || o.pointValue !== undefined, {
    path: ["pointValue"],
    message: "is required when redeem.enabled is true (money one point pays, e.g. 0.1 or { usd: 0.1 })",
  })
const branchName = z.string().trim().min(1).max(100)
/** A branch, or a branch and whether it is a physical store (its purchases go with `channel: "in-store"`). */
const branchEntry = z.union([
  branchName,
  z.object({ branch: branchName, in_store: z.boolean().default(false) }).strict(),
])

/** The placeholders `storefrontUrl` may hold. */
export const STOREFRONT_URL_PLACEHOLDERS = ["handle", "product_id", "variant_id", "sku"] as const
export type StorefrontUrlPlaceholder = (typeof STOREFRONT_URL_PLACEHOLDERS)[number]

const storefrontUrl = z.string().superRefine((value, ctx) => {
  const problem = storefrontUrlProblem(value)
  if (problem) {
    ctx.addIssue({ code: "custom", message: problem })
  }
})

export const woowupOptionsSchema = z
  .object({
    /** WoowUp API key (Connect tab of WoowUp's admin). Sent as `Authorization: Basic <apiKey>`. */
    apiKey: z.string().trim().min(1, "must be a non-empty string"),
    /** `https:`, or `http:` to a loopback address (the sandbox); never with credentials in it. */
    apiUrl: z
      .url()
      .refine(safeApiUrl, {
        message: "must be an https: URL (http: only for a loopback address, such as the sandbox) without credentials in it",
      })
      .default("https://api.woowup.com/apiv3"),
    /** Time for one request, connect to last byte; below the time after which a silent claim is taken over. */
    timeoutMs: z
      .number()
      .int()
      .positive()
      .refine((v) => v <= MAX_TIMEOUT_MS, {
        message: `must be <= ${MAX_TIMEOUT_MS}: a request must end before another process may take its claim over (${CLAIM_STALE_MS / 1000} s without a heartbeat)`,
      })
      .default(30_000),
    /** Attempts after the first for an answer worth retrying (429, 5xx, timeouts, resets). */
    maxRetries: z.number().int().min(0).max(25).default(5),
    /** The account's limit over any 60 s window (WoowUp allows 140), for all processes together (see `processes`). */
    requestsPerMinute: z.number().int().positive().default(140),
    /**
     * Redis holding the rate limit every process of the account shares (server and workers). Default: the
     * `REDIS_URL` environment variable, read when the module starts. Without one, each process keeps to its share.
     */
    redisUrl: z.url().optional(),
    /** Processes sharing the account: each uses `floor(requestsPerMinute / processes)` without Redis (or while it is down). */
    processes: z.number().int().min(1).default(1),
    /** First backoff delay; doubles per attempt, with jitter, up to `retryMaxDelayMs`. */
    retryBaseDelayMs: z.number().int().min(0).default(1_000),
    retryMaxDelayMs: z.number().int().min(0).default(60_000),

    /** Which WoowUp identity field the customer is matched on. */
    identifier: z.enum(WOOWUP_IDENTIFIERS).default("email"),
    /**
     * For `document`, `telephone` or `service_uid`: the key of the customer's `metadata` that holds the
     * value. Without it, `telephone` uses the customer's phone and `service_uid` the customer id.
     */
    identifierMetadataKey: z.string().min(1).optional(),
    /** Create unknown customers in WoowUp. When false, their orders are skipped with that reason. */
    createCustomers: z.boolean().default(true),
    /**
     * Keep customers with an account in step with WoowUp when they sign up or change (names, phone, address), not
     * only when they buy. Guests are not synced; a customer deleted in Medusa is left in WoowUp.
     */
    syncCustomers: z.boolean().default(true),
    /**
     * Key of the customer's `metadata` holding their marketing consent (true/false, "yes"/"no", 1/0): sent as
     * WoowUp's `mailing_enabled`. Without it (or without a value), `mailing_enabled` is never sent.
     */
    marketingConsentMetadataKey: z.string().min(1).optional(),
    /**
     * How the plugin sends a customer the code that proves their email (README, "Proven identities"): the Notification
     * module's channel and the template the provider renders (data: `code`, `expires_at`, `first_name`).
     */
    verificationChannel: z.string().min(1).default("email"),
    verificationTemplate: z.string().min(1).default("woowup-identity-verification"),

    /** Prepended to the order id to make the purchase's `invoice_number`. */
    invoicePrefix: z.string().max(32).default(""),
    /**
     * WoowUp `branch_name` of the purchases: one branch, or a map of sales channel (id or name) to branch, with a
     * `default` (docs/branches-and-stats.md). A map value `{ branch, in_store: true }` marks a physical store.
     */
    branchName: z.union([branchName, z.record(z.string().min(1), branchEntry)]).default("Medusa"),

    /** Points per unit of currency: one rate, or a map of currency code to rate (e.g. `{ ars: 0.01, usd: 1 }`). */
    pointsPerCurrencyUnit: z.union([rate, z.record(z.string().min(1), rate)]).default(1),
    rounding: z.enum(["floor", "ceil", "round"]).default("floor"),
    /** Whether shipping and tax count toward the points amount (by default: items after discounts only). */
    includeShipping: z.boolean().default(false),
    includeTax: z.boolean().default(false),
    /** Orders whose points amount is below this earn nothing (and are skipped unless `sendZeroPointPurchases`). */
    minimumOrderAmount: z.number().finite().nonnegative().default(0),
    /** False: send purchases without `points`, and let WoowUp's own program rules award them. */
    sendPoints: z.boolean().default(true),
    /** Take back the points of what is refunded (in proportion to the order total), however the refund happened. */
    reverseOnRefund: z.boolean().default(true),
    /** Take back every point of an order that is canceled. */
    reverseOnCancel: z.boolean().default(true),
    /** Send purchases that earn zero points (WoowUp still records the purchase for its CRM). */
    sendZeroPointPurchases: z.boolean().default(false),
    /** Overrides the points rules: receives the order and the amount the rules computed, returns points. */
    computePoints: z
      .custom<ComputePoints>((v) => typeof v === "function", "must be a function (order, context) => number")
      .optional(),

    reconcile: reconcileOptionsSchema.prefault({}),

    catalog: catalogOptionsSchema.prefault({}),
    /**
     * The storefront's product page, sent as each product's `url`: e.g. `https://shop.example/products/{handle}`,
     * with `{handle}`, `{product_id}`, `{variant_id}`, `{sku}`. Without it, no `url` is sent.
     */
    storefrontUrl: storefrontUrl.optional(),

    abandonedCarts: abandonedCartsOptionsSchema.prefault({}),

    redeem: redeemOptionsSchema.prefault({}),

    /** How long the storefront's points reads (`GET /store/customers/me/woowup`) are served from the cache, per customer. */
    storeCacheSeconds: z.number().int().min(0).default(60),
  })
  .strict()
  .refine((o) => o.identifier !== "document" || !!o.identifierMetadataKey, {
    path: ["identifierMetadataKey"],
    message: 'is required when identifier is "document" (the customer metadata key holding the document)',
  })

/**
 * The API key travels in a header: an `http:` URL would send it in clear over the network, and credentials in
 * the URL would be shown wherever the URL is (logs, the admin's status page).
 */
export function safeApiUrl(value: string): boolean {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return false
  }
  if (url.username || url.password) {
    return false
  }
  return url.protocol === "https:" || (url.protocol === "http:" && isLoopback(url.hostname))
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase()
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

/**
 * Why a `storefrontUrl` template is refused, or null when it is fine: an `http:` or `https:` URL once its
 * placeholders are filled, without credentials (it is sent to WoowUp in every product and shown to customers), and
 * with no placeholder but the known ones (a typo such as `{slug}` would otherwise reach WoowUp as text).
 */
export function storefrontUrlProblem(template: string): string | null {
  const unknown = [...template.matchAll(/\{([^{}]*)\}/g)]
    .map((m) => m[1])
    .filter((name) => !(STOREFRONT_URL_PLACEHOLDERS as readonly string[]).includes(name))
  if (unknown.length) {
    const known = STOREFRONT_URL_PLACEHOLDERS.map((p) => `{${p}}`).join(", ")
    return `has unknown placeholder(s) ${unknown.map((u) => JSON.stringify(`{${u}}`)).join(", ")} (known: ${known})`
  }
  let url: URL
  try {
    url = new URL(template.replace(/\{[^{}]*\}/g, "x"))
  } catch {
    return "must be an http: or https: URL (e.g. \"https://shop.example/products/{handle}\")"
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return "must be an http: or https: URL (e.g. \"https://shop.example/products/{handle}\")"
  }
  if (url.username || url.password) {
    return "must not hold credentials"
  }
  return null
}

/**
 * Why a `recoverUrl` template is refused, or null when it is fine: an `http:` or `https:` URL once `{cart_id}` is
 * filled, with `{cart_id}` in it (a URL without it cannot restore any cart) and no other placeholder.
 */
export function recoverUrlProblem(template: string): string | null {
  const example = 'must be an http: or https: URL with {cart_id} (e.g. "https://shop.example/cart/recover/{cart_id}")'
  const unknown = [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]).filter((name) => name !== "cart_id")
  if (unknown.length) {
    return `has unknown placeholder(s) ${unknown.map((u) => JSON.stringify(`{${u}}`)).join(", ")} (known: {cart_id})`
  }
  if (!template.includes("{cart_id}")) {
    return example
  }
  let url: URL
  try {
    url = new URL(template.replace(/\{cart_id\}/g, "x"))
  } catch {
    return example
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return example
  }
  if (url.username || url.password) {
    return "must not hold credentials"
  }
  return null
}

/** `apiUrl` as it may be shown: no credentials, no query (in case one ever held a key). */
export function shownApiUrl(value: string): string {
  try {
    const url = new URL(value)
    return `${url.origin}${url.pathname}`
  } catch {
    return "(invalid)"
  }
}

export type ComputePointsContext = {
  /** The amount the rules computed points on (captured share, after the include* options). */
  amount: number
  currency_code: string
  /** What the configured rules give for this amount. */
  points: number
  /** The points-per-currency-unit rate that applies to this order's currency. */
  rate: number
}

// The order is what the award workflow loaded; typed loosely so a merchant's function survives our field list growing.
export type ComputePoints = (order: Record<string, any>, context: ComputePointsContext) => number

/** What a merchant writes in `medusa-config.ts` (defaults optional). */
export type WoowupPluginOptions = z.input<typeof woowupOptionsSchema>
/** The options after validation and defaults. */
export type WoowupOptions = z.output<typeof woowupOptionsSchema>

/**
 * Validates plugin options. Throws an error whose message names each wrong option and what was expected;
 * the API key's value is never part of it.
 */
export function parseWoowupOptions(input: unknown): WoowupOptions {
  const result = woowupOptionsSchema.safeParse(withoutMedusaKeys(input))
  if (result.success) {
    return result.data
  }
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.join(".") : "(options)"
    if (issue.code === "unrecognized_keys") {
      const prefix = issue.path.length ? `${issue.path.join(".")}.` : ""
      return `unknown option(s) ${issue.keys.map((k) => `"${prefix}${k}"`).join(", ")}`
    }
    return `option "${path}" ${describeIssue(issue)}`
  })
  throw new MedusaError(
    MedusaError.Types.INVALID_ARGUMENT,
    `medusa-plugin-woowup: invalid plugin options: ${problems.join("; ")}`
  )
}

// Medusa adds these to the options of a module that has data models.
const MEDUSA_MODULE_KEYS = ["database"]

function withoutMedusaKeys(input: unknown): unknown {
  if (!input || typeof input !== "object" || Array.isArray(input)) {
    return input ?? {}
  }
  const rest: Record<string, unknown> = { ...input }
  for (const key of MEDUSA_MODULE_KEYS) {
    delete rest[key]
  }
  return rest
}

// Zod's own messages can quote the received value: build ours from the issue's kind only, so a key never leaks.
function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      // Zod names the received type (never the value) in its message.
      return /received undefined/.test(issue.message) ? `is required (expected ${issue.expected})` : `must be a ${issue.expected}`
    case "too_small":
      return issue.origin === "string"
        ? "must be a non-empty string"
        : `must be ${issue.inclusive === false ? ">" : ">="} ${issue.minimum}`
    case "too_big":
      return `must be <= ${issue.maximum}`
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`
    case "invalid_format":
      return issue.format === "url" ? "must be a URL" : `must be a valid ${issue.format}`
    case "invalid_union":
      return issue.path[0] === "redeem"
        ? "must be a positive number or a map of currency code to positive number"
        : issue.path[0] === "branchName"
        ? 'must be a branch name, or a map of sales channel (id or name) to a branch name or { branch, in_store }'
        : "must be a number or a map of currency code to number"
    case "custom":
      return issue.message
    default:
      return "is invalid"
  }
}
