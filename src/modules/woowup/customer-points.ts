import { createHash } from "node:crypto"
import type { ICacheService, Logger } from "@medusajs/framework/types"
import { isWoowupError, WOOWUP_API_CODES, type WoowupCallOptions, type WoowupClient } from "./client"
import type { WoowupIdentity } from "./rules/identity"
import { toStoreMovement, type StoreWoowupTransaction } from "./rules/movements"

/** Movements a customer can page through in the storefront: their latest, one WoowUp page. */
export const STORE_HISTORY = 100

/** A customer's points and their latest movements (up to {@link STORE_HISTORY}), as read from WoowUp at `updated_at`. */
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
  /** WoowUp could not be read (or the storefront's share of the rate limit is used up) and no value is known. */
  | { status: "unavailable"; message: string }

export type CustomerPointsQuery = {
  /** Part of the cache key: a customer's entries are only ever read back for that customer. */
  customer_id: string
  /** Null: the customer has nothing WoowUp could know them by. */
  identity: WoowupIdentity | null
  /** Movements: `limit` from `offset`, newest first, within the latest {@link STORE_HISTORY}. */
  limit: number
  offset: number
}

/** `fetched_at`: when the read from WoowUp started (a change recorded after that makes it old). */
type Entry = { snapshot: CustomerPointsSnapshot; fetched_at: number }
type Pending = { promise: Promise<Entry>; entry?: Entry; settledAt?: number }

// A storefront request must not wait minutes on WoowUp's backoff: one retry, short attempts, a bound on the whole read.
const READ_TIMEOUT_MS = 5_000
const READ_BUDGET_MS = 8_000
// The last value known is kept this long (or `storeCacheSeconds` when longer), to answer while WoowUp is down.
const LAST_KNOWN_SECONDS = 24 * 60 * 60
const KEY_PREFIX = "woowup:store-points:v2"

/**
 * Reads customers' points for the storefront without eating WoowUp's rate limit. One entry per customer (their
 * balance and latest {@link STORE_HISTORY} movements), in Medusa's cache module for `cacheSeconds` (shared by
 * every process when the cache is Redis); every page is served from it, so a customer costs one WoowUp read
 * (`find` and one page of transactions) per cache period, whatever pages they ask for. Concurrent reads of one
 * customer in this process share that read. When WoowUp fails, the last value known is answered, marked stale.
 * An award or adjustment marks the customer's entry old ({@link CustomerPointsReader.forget}): the next read
 * goes to WoowUp, so the customer sees the new balance at once.
 */
export class CustomerPointsReader {
  private readonly pending = new Map<string, Pending>()

  constructor(
    private readonly client: WoowupClient,
    private readonly config: { cacheSeconds: number; timeoutMs: number; invoicePrefix?: string },
    private readonly logger?: Pick<Logger, "warn">
  ) {}

  async read(query: CustomerPointsQuery, cache: ICacheService | null): Promise<CustomerPointsRead> {
    const read = await this.readAll(query, cache)
    if (read.status === "unavailable") {
      return read
    }
    const { transactions, ...rest } = read.snapshot
    return { status: read.status, snapshot: { ...rest, transactions: transactions.slice(query.offset, query.offset + query.limit) } }
  }

  /**
   * Marks what is cached for `identity` old, in this process and in the shared cache: an award or an adjustment
   * changed their balance. The last value known stays, for a WoowUp outage.
   */
  async forget(identity: WoowupIdentity, cache: ICacheService | null): Promise<void> {
    const hash = identityHash(identity)
    for (const key of this.pending.keys()) {
      if (key.endsWith(`:${hash}`)) {
        this.pending.delete(key)
      }
    }
    await cacheSet(cache, changedKey(hash), Date.now(), Math.max(LAST_KNOWN_SECONDS, this.config.cacheSeconds))
  }

  private async readAll(query: CustomerPointsQuery, cache: ICacheService | null): Promise<CustomerPointsRead> {
    if (!query.identity) {
      return { status: "ok", snapshot: empty() }
    }
    const hash = identityHash(query.identity)
    const key = `${KEY_PREFIX}:${query.customer_id}:${hash}`
    const inFlight = this.pending.get(key)
    if (inFlight && inFlight.settledAt === undefined) {
      return this.settle(inFlight.promise, () => cacheGet(cache, key))
    }
    const changedAt = (await cacheGet<number>(cache, changedKey(hash))) ?? 0
    const fresh = (e: Entry | undefined | null): e is Entry =>
      !!e && e.fetched_at > changedAt && Date.now() - e.fetched_at < this.config.cacheSeconds * 1000
    const memo = this.pending.get(key)
    if (memo?.entry && fresh(memo.entry)) {
      return { status: "ok", snapshot: memo.entry.snapshot }
    }
    const entry = await cacheGet<Entry>(cache, key)
    const known: Entry | null = entry?.snapshot ? entry : null
    if (fresh(known)) {
      return { status: "ok", snapshot: known.snapshot }
    }
    // Another read may have started while the cache answered.
    const started = this.pending.get(key)
    const promise = started && started.settledAt === undefined ? started.promise : this.start(key, query.identity, cache)
    return this.settle(promise, async () => known)
  }

  private async settle(promise: Promise<Entry>, lastKnown: () => Promise<Entry | null>): Promise<CustomerPointsRead> {
    try {
      return { status: "ok", snapshot: (await promise).snapshot }
    } catch (e) {
      if (!isWoowupError(e)) {
        throw e
      }
      const known = await lastKnown()
      if (known?.snapshot) {
        return { status: "stale", snapshot: known.snapshot }
      }
      return { status: "unavailable", message: "WoowUp cannot be reached right now and no points balance is known yet" }
    }
  }

  private start(key: string, identity: WoowupIdentity, cache: ICacheService | null): Promise<Entry> {
    const fetched_at = Date.now()
    const pending: Pending = {
      promise: this.fetch(identity).then(
        async (snapshot) => {
          const entry = { snapshot, fetched_at }
          await cacheSet(cache, key, entry, Math.max(LAST_KNOWN_SECONDS, this.config.cacheSeconds))
          pending.entry = entry
          pending.settledAt = Date.now()
          // Kept in this process for the cache period (the shared cache may be slow or away), then dropped.
          const drop = () => this.pending.get(key) === pending && this.pending.delete(key)
          if (this.config.cacheSeconds > 0) {
            setTimeout(drop, this.config.cacheSeconds * 1000).unref()
          } else {
            drop()
          }
          return entry
        },
        (e) => {
          if (this.pending.get(key) === pending) {
            this.pending.delete(key)
          }
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

  private async fetch(identity: WoowupIdentity): Promise<CustomerPointsSnapshot> {
    const who = { [identity.field]: identity.value }
    const call: WoowupCallOptions = {
      timeoutMs: Math.min(this.config.timeoutMs, READ_TIMEOUT_MS),
      maxRetries: 1,
      signal: AbortSignal.timeout(READ_BUDGET_MS),
      // After purchases, adjustments and customer syncs, within the storefront's share (woowup-client.ts).
      priority: "storefront",
    }
    const updated_at = new Date().toISOString()
    const customer = await this.client.findCustomer(who, call)
    if (!customer) {
      return { ...empty(), updated_at }
    }
    let transactions: Parameters<typeof toStoreMovement>[0][] = []
    try {
      transactions = await this.client.listTransactions(who, { page: 0, limit: STORE_HISTORY }, call)
    } catch (e) {
      if (!(isWoowupError(e) && e.code === WOOWUP_API_CODES.USER_NOT_FOUND)) {
        throw e
      }
    }
    return {
      points: typeof customer.points === "number" ? customer.points : 0,
      updated_at,
      transactions: transactions.map((tx) => toStoreMovement(tx, { invoicePrefix: this.config.invoicePrefix })),
    }
  }
}

function empty(): CustomerPointsSnapshot {
  return { points: 0, updated_at: new Date().toISOString(), transactions: [] }
}

// The identity is hashed: a shared cache (Redis) holds no emails or documents in its keys.
function identityHash(identity: WoowupIdentity): string {
  return createHash("sha256").update(`${identity.field}:${identity.value}`).digest("hex").slice(0, 32)
}

/** When the balance of the identity last changed through the plugin (epoch ms). */
function changedKey(hash: string): string {
  return `${KEY_PREFIX}:changed:${hash}`
}

// The cache is an optimisation: when it fails, reads go to WoowUp (still de-duplicated in this process).
async function cacheGet<T>(cache: ICacheService | null, key: string): Promise<T | null> {
  try {
    return ((await cache?.get<T>(key)) ?? null) as T | null
  } catch {
    return null
  }
}

async function cacheSet(cache: ICacheService | null, key: string, value: unknown, ttlSeconds: number): Promise<void> {
  try {
    await cache?.set(key, value, ttlSeconds)
  } catch {
    // see cacheGet
  }
}

const readers = new WeakMap<object, CustomerPointsReader>()

/** The reader of one WoowUp client (its in-flight reads are shared by every request of this process). */
export function customerPointsReader(owner: object, create: () => CustomerPointsReader): CustomerPointsReader {
  let reader = readers.get(owner)
  if (!reader) {
    reader = create()
    readers.set(owner, reader)
  }
  return reader
}

/**
 * Marks the storefront's cached balance of `identity` old after an award or an adjustment: in this process's
 * reader (if it has one) and in the shared cache.
 */
export async function forgetCustomerPoints(owner: object, identity: WoowupIdentity, cache: ICacheService | null): Promise<void> {
  const reader = readers.get(owner)
  if (reader) {
    await reader.forget(identity, cache)
    return
  }
  await cacheSet(cache, changedKey(identityHash(identity)), Date.now(), LAST_KNOWN_SECONDS)
}
