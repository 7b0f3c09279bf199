import type { CreatePurchaseResult, WoowupCallOptions, WoowupClientOptions, WoowupUsage } from "./client-types"
import * as carts from "./cart-calls"
import * as branches from "./branch-calls"
import * as customers from "./customer-calls"
import * as points from "./points-calls"
import * as products from "./product-calls"
import * as purchases from "./purchase-calls"
import type { SlidingWindowRateLimiter, WoowupRateLimiter } from "./rate-limiter"
import { RequestExecutor } from "./request-executor"
import type { RetryPolicy } from "./retry-policy"
import type {
  ListTransactionsOptions,
  WoowupCustomer,
  WoowupCustomerInput,
  WoowupIdentity,
  WoowupPointsInput,
  WoowupPointsResult,
  WoowupProduct,
  WoowupProductInput,
  WoowupPurchase,
  WoowupPurchaseInput,
  WoowupTransaction,
} from "./schemas"

/**
 * HTTP client for WoowUp apiv3.
 *
 * Every attempt waits for a free connection (at most `connections` in flight), then for the rate limiter (in
 * memory, or shared by every process through Redis: `createWoowupClient`), and only then starts its `timeoutMs`
 * clock. It is classified by `retry-policy.ts`: 429 waits `Retry-After` and pauses every call as long; 500/502/
 * 503/504, timeouts and resets back off exponentially with jitter; other 4xx and WoowUp's `user_not_found` /
 * `duplicated_purchase_number` / `bad_request` / `forbidden` are final. Failures surface as `WoowupError`.
 * The requests run on `request-executor.ts`; each method is a call of `customer-calls.ts`, `purchase-calls.ts`,
 * `product-calls.ts`, `cart-calls.ts` or `points-calls.ts`, documented there.
 *
 * @example
 * const client = new WoowupClient({ apiKey, apiUrl: "https://api.woowup.com/apiv3", timeoutMs: 30_000,
 *   maxRetries: 5, requestsPerMinute: 140, retryBaseDelayMs: 1_000, retryMaxDelayMs: 60_000 })
 * const result = await client.createPurchase(body) // { outcome: "created", purchase } | { outcome: "duplicate" }
 */
export class WoowupClient {
  readonly limiter: WoowupRateLimiter
  /** Storefront reads pass this one too: their bounded share of the window. */
  readonly storefrontLimiter: SlidingWindowRateLimiter
  /** The background feeds (`products`, `carts`) pass this one too: their bounded share of the window. */
  readonly backgroundLimiter: SlidingWindowRateLimiter
  readonly retryPolicy: RetryPolicy
  // A #private field, like the API key it holds in one of its own: not printed by util.inspect, not serialised by
  // JSON.stringify, not reachable as a property.
  readonly #requests: RequestExecutor

  constructor(options: WoowupClientOptions) {
    this.#requests = new RequestExecutor(options)
    this.limiter = this.#requests.limiter
    this.storefrontLimiter = this.#requests.storefrontLimiter
    this.backgroundLimiter = this.#requests.backgroundLimiter
    this.retryPolicy = this.#requests.retryPolicy
  }

  /** `GET /multiusers/exist`: {@link customers.customerExists}. */
  customerExists(identity: WoowupIdentity, options?: WoowupCallOptions): Promise<boolean> {
    return customers.customerExists(this.#requests, identity, options)
  }

  /** `GET /multiusers/find`: {@link customers.findCustomer}. */
  findCustomer(identity: WoowupIdentity, options?: WoowupCallOptions): Promise<WoowupCustomer | null> {
    return customers.findCustomer(this.#requests, identity, options)
  }

  /** `POST /users`: {@link customers.createCustomer}. */
  createCustomer(body: WoowupCustomerInput, options?: WoowupCallOptions): Promise<WoowupCustomer | null> {
    return customers.createCustomer(this.#requests, body, options)
  }

  /** `PUT /multiusers`: {@link customers.updateCustomer}. */
  updateCustomer(body: WoowupCustomerInput, options?: WoowupCallOptions): Promise<WoowupCustomer | null> {
    return customers.updateCustomer(this.#requests, body, options)
  }

  /** `POST /purchases`: {@link purchases.createPurchase}. */
  createPurchase(body: WoowupPurchaseInput, options?: WoowupCallOptions): Promise<CreatePurchaseResult> {
    return purchases.createPurchase(this.#requests, body, options)
  }

  /** `PUT /purchases`: {@link purchases.updatePurchase}. */
  updatePurchase(body: WoowupPurchaseInput, options?: WoowupCallOptions): Promise<WoowupPurchase | null> {
    return purchases.updatePurchase(this.#requests, body, options)
  }

  /** `GET /purchases?invoice_number=`: {@link purchases.findPurchase}. */
  findPurchase(invoiceNumber: string, options?: WoowupCallOptions): Promise<WoowupPurchase | null> {
    return purchases.findPurchase(this.#requests, invoiceNumber, options)
  }

  /** `POST /products`: {@link products.createProduct}. */
  createProduct(body: WoowupProductInput, options?: WoowupCallOptions): Promise<WoowupProduct | null> {
    return products.createProduct(this.#requests, body, options)
  }

  /** `PUT /products/{sku}`: {@link products.updateProduct}. */
  updateProduct(sku: string, body: Partial<WoowupProductInput>, options?: WoowupCallOptions): Promise<WoowupProduct | null> {
    return products.updateProduct(this.#requests, sku, body, options)
  }

  /** `GET /products?sku=`: {@link products.findProduct}. */
  findProduct(sku: string, options?: WoowupCallOptions): Promise<WoowupProduct | null> {
    return products.findProduct(this.#requests, sku, options)
  }

  /** `POST /multiusers/abandoned-cart`: {@link carts.sendAbandonedCart}. */
  sendAbandonedCart(body: carts.WoowupAbandonedCartInput, options?: WoowupCallOptions): Promise<void> {
    return carts.sendAbandonedCart(this.#requests, body, options)
  }

  /** `GET /branches/{name}`: {@link branches.findBranch}. */
  findBranch(name: string, options?: WoowupCallOptions): Promise<branches.WoowupBranch | null> {
    return branches.findBranch(this.#requests, name, options)
  }

  /** `POST /branches`: {@link branches.createBranch}. */
  createBranch(body: branches.WoowupBranchInput, options?: WoowupCallOptions): Promise<{ outcome: "created" | "exists" }> {
    return branches.createBranch(this.#requests, body, options)
  }

  /** `POST /integration-stats`: {@link branches.postIntegrationStats}. */
  postIntegrationStats(body: branches.WoowupIntegrationStats, options?: WoowupCallOptions): Promise<void> {
    return branches.postIntegrationStats(this.#requests, body, options)
  }

  /** `GET /stats`: {@link branches.getStats}. */
  getStats(query: { from: string; to: string; branch?: string }, options?: WoowupCallOptions): Promise<branches.WoowupStats> {
    return branches.getStats(this.#requests, query, options)
  }

  /** `POST /multiusers/points`: {@link points.addPoints}. */
  addPoints(input: WoowupPointsInput, options?: WoowupCallOptions): Promise<WoowupPointsResult> {
    return points.addPoints(this.#requests, input, options)
  }

  /** `GET /multiusers/transactions`, one page: {@link points.listTransactions}. */
  listTransactions(
    identity: WoowupIdentity,
    options: ListTransactionsOptions = {},
    callOptions?: WoowupCallOptions
  ): Promise<WoowupTransaction[]> {
    return points.listTransactions(this.#requests, identity, options, callOptions)
  }

  /** What the rate limiter has counted in the current window, for a status page. */
  usage(): WoowupUsage {
    const { used, limit, windowMs, pausedUntil, source } = this.limiter.usage()
    return {
      used,
      limit,
      windowMs,
      paused_until: pausedUntil === null ? null : new Date(pausedUntil).toISOString(),
      source,
    }
  }

  /** Rejects calls waiting for the limiter or a retry, aborts those in flight, closes the connections. */
  close(): Promise<void> {
    return this.#requests.close()
  }

  /** What `JSON.stringify` and logs see of the client: where it points and what it has counted, never the key. */
  toJSON(): { apiUrl: string; usage: WoowupUsage } {
    return { apiUrl: this.#requests.apiUrl, usage: this.usage() }
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `WoowupClient ${JSON.stringify(this.toJSON())}`
  }
}
