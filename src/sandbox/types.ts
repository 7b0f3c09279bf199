/**
 * Public types of the WoowUp sandbox: a local HTTP server that behaves like WoowUp's apiv3
 * (see /work/shared/woowup-api.md), with switchable faults and WoowUp's rate limit.
 */

export type SandboxFault = number | "hang" | "drop-after-store" | "garbage" | "no-code"

export type SandboxFaultStep = {
  /** Match, e.g. "POST"; absent = any. */
  method?: string
  /** Match the exact path after the base, e.g. "/purchases"; absent = any. */
  path?: string
  fault: SandboxFault
  /** How many matching requests it applies to (default 1). */
  times?: number
}

export type SandboxFaults = {
  /** 0..1 share of API requests answered with a random status from `errorStatuses`. */
  errorRate?: number
  /** Default [500, 502, 503]. */
  errorStatuses?: number[]
  /** Added to every API answer. */
  latencyMs?: number
  /** 0..1 share of requests never answered (the client's timeout must fire). */
  hangRate?: number
  /**
   * 0..1 share of storing requests (POST /purchases, POST /multiusers/points, POST /products, PUT /products/{sku})
   * whose effect is stored, then the socket is destroyed.
   */
  dropAfterStoreRate?: number
  /** Retry-After sent with injected 429s (default 1). */
  retryAfterSeconds?: number
  /** Deterministic faults, checked before the random ones; first match wins; consumed per `times`. */
  script?: SandboxFaultStep[]
  /**
   * Lists (`GET /purchases`, `GET /multiusers/transactions`) answer at most this many items a page, whatever
   * `limit` asks: an account whose cap is lower than the documented 100.
   */
  pageCap?: number
  /**
   * Query dates without an offset (`YYYY-MM-DD HH:mm:ss`, `yyyy-mm-dd`) are read as local time at this UTC offset
   * in hours, e.g. -3 for an account in Argentina, instead of UTC. Dates with an offset are read as they say.
   */
  zonelessUtcOffsetHours?: number
  /**
   * `PUT /products/{sku}` on a SKU the account does not have creates it (the body must then be a whole product,
   * `name` included). WoowUp's docs do not say; by default (false) it answers 404 `product_not_found`.
   */
  putCreatesProducts?: boolean
}

export type SandboxOptions = {
  /** Default 0 = a free port. */
  port?: number
  /** Default "127.0.0.1". */
  host?: string
  /** Default "sandbox-api-key". */
  apiKey?: string
  /** Default 140. */
  requestsPerMinute?: number
  /** Default 60000 (tests shrink it). */
  rateLimitWindowMs?: number
  faults?: SandboxFaults
  /** Default 256 * 1024. */
  maxBodyBytes?: number
  /** API requests kept in `requests` (the oldest are dropped past it). Default 10 000. */
  maxLoggedRequests?: number
}

export type SandboxRequest = {
  method: string
  /** Path after the `/apiv3` base, e.g. "/purchases". */
  path: string
  query: Record<string, string>
  /** The HTTP status answered, or "hang" (never answered) / "dropped" (socket destroyed, no answer). */
  status: number | "hang" | "dropped"
  /** Epoch ms at arrival. */
  time: number
  /** Arrival to answer; for "hang", arrival to the client giving up (0 while still hanging). */
  durationMs: number
  /** Parsed JSON body; the raw text (cut at 1000 characters) when it is not JSON; absent when empty or too large. */
  body?: unknown
  /** The injected fault that decided this answer, if any (an addition to the original contract). */
  fault?: SandboxFault
}

export type SandboxCustomer = {
  service_uid: string
  email?: string
  document?: string
  telephone?: string
  first_name?: string
  last_name?: string
  birthdate?: string
  street?: string
  city?: string
  state?: string
  country?: string
  tags?: string | string[]
  mailing_enabled?: boolean | string
  custom_attributes?: Record<string, unknown>
  points: number
  /** `YYYY-MM-DD HH:mm:ss` UTC. */
  createtime: string
  updatetime: string
}

export type SandboxPurchase = {
  /** Given by the sandbox. */
  id: string
  /** The matched customer's service_uid (added by the sandbox). */
  service_uid: string
  invoice_number: string
  purchase_detail: Array<Record<string, unknown>>
  points?: number
  /** Every other field exactly as sent. */
  [field: string]: unknown
}

export type SandboxTransaction = {
  id: string
  service_uid: string
  /** Signed amount. */
  points: number
  concept: string
  description?: string
  /** `YYYY-MM-DD HH:mm:ss` UTC. */
  createtime: string
}

/** A catalog entry: the documented fields sent (a `null` on update clears one), plus what the sandbox adds. */
export type SandboxProduct = {
  /** Given by the sandbox. */
  id: string
  sku: string
  name: string
  base_sku?: string
  base_name?: string
  brand?: string
  description?: string
  url?: string
  image_url?: string
  thumbnail_url?: string
  price?: number
  offer_price?: number
  stock?: number
  available?: boolean
  category?: string[]
  specifications?: Array<{ name: string; value: string }>
  custom_attributes?: Record<string, unknown>
  /** `YYYY-MM-DD HH:mm:ss` UTC, set by the sandbox. */
  createtime: string
  updatetime: string
}

/** A cart WoowUp was told was abandoned: the fields last sent for its `external_id`, plus what the sandbox adds. */
export type SandboxAbandonedCart = {
  external_id: string
  /** The customer it was filed under. */
  service_uid: string
  email?: string
  source?: string
  createtime?: string
  total_price?: number
  recover_url?: string
  recovered?: boolean
  products: Array<{ sku: string; quantity?: number; unit_price?: number; offer_price?: number }>
  /** How many times it was sent (a change, the recovery). */
  times_received: number
  /** `YYYY-MM-DD HH:mm:ss` UTC of the last one. */
  received_at: string
}

/** A branch of the account (`/branches`). */
export type SandboxBranch = {
  name: string
  is_web: boolean
  /** Other documented fields (address, `zone`) as sent. */
  [field: string]: unknown
}

/** One `POST /integration-stats` body, as received, with when it came. */
export type SandboxIntegrationStats = { received_at: string; [feed: string]: unknown }

export type SandboxState = {
  customers: SandboxCustomer[]
  purchases: SandboxPurchase[]
  transactions: SandboxTransaction[]
  /** In creation order; at most one per `sku`. */
  products: SandboxProduct[]
  /** In first-received order; at most one per `external_id`. */
  abandonedCarts: SandboxAbandonedCart[]
  /** At most one per `name`. */
  branches: SandboxBranch[]
  integrationStats: SandboxIntegrationStats[]
}

export type WoowupSandbox = {
  /** Base URL for the client, e.g. "http://127.0.0.1:43121/apiv3". */
  url: string
  /** e.g. "http://127.0.0.1:43121/__sandbox". */
  controlUrl: string
  apiKey: string
  /** Live. */
  state: SandboxState
  /** Live log of API requests (not control ones), the latest `maxLoggedRequests`. */
  requests: SandboxRequest[]
  /** Replaces the faults. Throws a TypeError on an invalid value. */
  setFaults(faults: SandboxFaults): void
  /** Clears state, log, faults, rate window. */
  reset(): void
  /** Also destroys hanging sockets. */
  close(): Promise<void>
}
