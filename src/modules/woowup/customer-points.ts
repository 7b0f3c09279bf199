import { createHash } from "node:crypto"
import type { ICacheService, Logger } from "@medusajs/framework/types"
import { isWoowupError, WOOWUP_API_CODES, type WoowupCallOptions, type WoowupClient } from "./client"
import type { WoowupIdentity } from "./rules/identity"
import { toStoreTransaction, transactionPages, type StoreWoowupTransaction } from "./rules/store-points"

/** A customer's points and a page of their transactions, as read from WoowUp at `updated_at`. */
export type CustomerPointsSnapshot = {
  points: number
  /** ISO time of the read from WoowUp. */
  updated_at: string
  transactions: StoreWoowupTransaction[]
}

export type CustomerPointsRead =
  | { status: "ok"; snapshot: CustomerPointsSnapshot }
  /** WoowUp could not be read: the last value known, however old. */
  | { status: "stale"; snapshot: CustomerPointsSnapshot }
  /** WoowUp could not be read and no value is known. */
  | { status: "unavailable"; message: string }

export type CustomerPointsQuery = {
  /** Part of the cache key: a customer's entries are only ever read back for that customer. */
  customer_id: string
  /** Null: the customer has nothing WoowUp could know them by. */
  identity: WoowupIdentity | null
  limit: number
  offset: number
}

type Entry = { snapshot: CustomerPointsSnapshot; fetched_at: number }
type Pending = { promise: Promise<CustomerPointsSnapshot>; settledAt?: number }

// A storefront request must not wait minutes on WoowUp's backoff: one retry, short attempts, a bound on the whole read.
const READ_TIMEOUT_MS = 5_000
const READ_BUDGET_MS = 8_000
// The last value known is kept this long (or `storeCacheSeconds` when longer), to answer while WoowUp is down.
const LAST_KNOWN_SECONDS = 24 * 60 * 60
const KEY_PREFIX = "woowup:store-points:v1"

/**
 * Reads customers' points for the storefront without eating WoowUp's rate limit: answers from Medusa's cache
 * module for `cacheSeconds` (shared by every process when the cache is Redis), and concurrent reads of the same
 * thing in this process share one WoowUp call, which also answers the reads that come in while its result is
 * fresh (so a burst costs one call even before the cache has it). When WoowUp fails, the last value known is
 * answered, marked stale.
 */
export class CustomerPointsReader {
  private readonly pending = new Map<string, Pending>()

  constructor(
    private readonly client: WoowupClient,
    private readonly config: { cacheSeconds: number; timeoutMs: number },
    private readonly logger?: Pick<Logger, "warn">
  ) {}

  async read(query: CustomerPointsQuery, cache: ICacheService | null): Promise<CustomerPointsRead> {
    if (!query.identity) {
      return { status: "ok", snapshot: empty() }
    }
    const key = cacheKey(query)
    const shared = this.fresh(key)
    if (shared) {
      return this.settle(shared, () => cacheGet(cache, key))
    }
    const entry = await cacheGet(cache, key)
    if (entry && Date.now() - entry.fetched_at < this.config.cacheSeconds * 1000) {
      return { status: "ok", snapshot: entry.snapshot }
    }
    // Another read may have started while the cache answered.
    return this.settle(this.fresh(key) ?? this.start(key, query, cache), async () => entry)
  }

  private async settle(
    promise: Promise<CustomerPointsSnapshot>,
    lastKnown: () => Promise<Entry | null>
  ): Promise<CustomerPointsRead> {
    try {
      return { status: "ok", snapshot: await promise }
    } catch (e) {
      if (!isWoowupError(e)) {
        throw e
      }
      const known = await lastKnown()
      if (known) {
        return { status: "stale", snapshot: known.snapshot }
      }
      return { status: "unavailable", message: "WoowUp cannot be reached right now and no points balance is known yet" }
    }
  }

  /** The read in flight for `key`, or one that succeeded less than `cacheSeconds` ago. */
  private fresh(key: string): Promise<CustomerPointsSnapshot> | null {
    const p = this.pending.get(key)
    if (!p) {
      return null
    }
    if (p.settledAt === undefined || Date.now() - p.settledAt < this.config.cacheSeconds * 1000) {
      return p.promise
    }
    this.pending.delete(key)
    return null
  }

  private start(key: string, query: CustomerPointsQuery, cache: ICacheService | null): Promise<CustomerPointsSnapshot> {
    const pending: Pending = {
      promise: this.fetch(query).then(
        async (snapshot) => {
          await cacheSet(cache, key, { snapshot, fetched_at: Date.now() }, Math.max(LAST_KNOWN_SECONDS, this.config.cacheSeconds))
          pending.settledAt = Date.now()
          if (this.config.cacheSeconds > 0) {
            setTimeout(() => this.pending.get(key) === pending && this.pending.delete(key), this.config.cacheSeconds * 1000).unref()
          } else {
            this.pending.delete(key)
          }
          return snapshot
        },
        (e) => {
          this.pending.delete(key)
          if (isWoowupError(e)) {
            // WoowUp's errors never carry the API key.
            this.logger?.warn(`woowup: storefront points read failed (${e.code}): ${e.message}`)
          }
          throw e
        }
      ),
    }
    this.pending.set(key, pending)
    return pending.promise
  }

  private async fetch(query: CustomerPointsQuery): Promise<CustomerPointsSnapshot> {
    const identity = { [query.identity!.field]: query.identity!.value }
    const call: WoowupCallOptions = {
      timeoutMs: Math.min(this.config.timeoutMs, READ_TIMEOUT_MS),
      maxRetries: 1,
      signal: AbortSignal.timeout(READ_BUDGET_MS),
    }
    const updated_at = new Date().toISOString()
    const customer = await this.client.findCustomer(identity, call)
    if (!customer) {
      return { ...empty(), updated_at }
    }
    const { pageSize, pages, skip } = transactionPages(query.offset, query.limit)
    const transactions = []
    for (const page of pages) {
      let list
      try {
        list = await this.client.listTransactions(identity, { page, limit: pageSize }, call)
      } catch (e) {
        if (isWoowupError(e) && e.code === WOOWUP_API_CODES.USER_NOT_FOUND) {
          break
        }
        throw e
      }
      transactions.push(...list)
      if (list.length < pageSize) {
        break
      }
    }
    return {
      points: typeof customer.points === "number" ? customer.points : 0,
      updated_at,
      transactions: transactions.slice(skip, skip + query.limit).map(toStoreTransaction),
    }
  }
}

function empty(): CustomerPointsSnapshot {
  return { points: 0, updated_at: new Date().toISOString(), transactions: [] }
}

// The identity is hashed: a shared cache (Redis) holds no emails or documents in its keys.
function cacheKey(q: CustomerPointsQuery): string {
  const identity = createHash("sha256").update(`${q.identity!.field}:${q.identity!.value}`).digest("hex").slice(0, 32)
  return `${KEY_PREFIX}:${q.customer_id}:${identity}:${q.limit}:${q.offset}`
}

// The cache is an optimisation: when it fails, reads go to WoowUp (still de-duplicated in this process).
async function cacheGet(cache: ICacheService | null, key: string): Promise<Entry | null> {
  try {
    const entry = (await cache?.get<Entry>(key)) ?? null
    return entry && typeof entry.fetched_at === "number" && entry.snapshot ? entry : null
  } catch {
    return null
  }
}

async function cacheSet(cache: ICacheService | null, key: string, entry: Entry, ttlSeconds: number): Promise<void> {
  try {
    await cache?.set(key, entry, ttlSeconds)
  } catch {
    // see cacheGet
  }
}

const readers = new WeakMap<object, CustomerPointsReader>()

/** The reader of one WoowUp client (its in-flight reads are shared by every request of this process). */
export function customerPointsReader(
  owner: object,
  create: () => CustomerPointsReader
): CustomerPointsReader {
  let reader = readers.get(owner)
  if (!reader) {
    reader = create()
    readers.set(owner, reader)
  }
  return reader
}
