import { createHash } from "node:crypto"
import Redis from "ioredis"
import type { RateLimitStore, StoreAcquireRequest, StoreReply } from "./shared-limiter-store"

/**
 * The shared rate-limit window in Redis, for `SharedRateLimiter`.
 *
 * Keys, per WoowUp account (named by a hash of the API key, never the key itself):
 * - `woowup:rl:<hash>`: a sorted set, one member per grant, scored with the time the grant counts from: the end of
 *   its request, or, while it runs, the latest it can end (grant + hold), so that a process that dies mid-request
 *   leaves a slot held for a while, never a slot freed too early;
 * - `woowup:rl:<hash>:pace`: when the next grant is due under pacing;
 * - `woowup:rl:<hash>:pause`: until when every process holds back (after a 429).
 *
 * Each operation is one Lua script, atomic in Redis, on Redis server time (`TIME`): the clocks of the processes
 * do not matter. The set is trimmed to the window on every grant, so it never holds more than about `limit`
 * members, however long the backlog lasts.
 */

/** `woowup:rl:` + the first 16 hex digits of sha256(apiKey). */
export function rateLimitKey(apiKey: string): string {
  return `woowup:rl:${createHash("sha256").update(apiKey).digest("hex").slice(0, 16)}`
}

// Scripts return integers only (Redis truncates Lua numbers), and store numbers with string.format (Lua's
// tostring would print 1.7e+12).
const NOW = `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`

const KEEP_ALIVE = `
local function keep(key, ms)
  local ttl = redis.call('PTTL', key)
  if ttl < ms then redis.call('PEXPIRE', key, ms) end
end
`

/** KEYS: window, pace, pause. ARGV: limit, windowMs, paceMs, member, holdMs. → {granted, waitMs, used, pausedUntil, inFlight} */
const ACQUIRE = `${NOW}${KEEP_ALIVE}
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local pace = tonumber(ARGV[3])
local hold = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local used = redis.call('ZCARD', KEYS[1])
local paused = tonumber(redis.call('GET', KEYS[3]) or '0')
if paused > now then
  return {0, paused - now, used, paused, 0}
end
if used >= limit then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  local from = tonumber(first[2])
  local inflight = 0
  if from > now then inflight = 1 end
  return {0, math.max(1, math.ceil(from + window - now)), used, paused, inflight}
end
local due = tonumber(redis.call('GET', KEYS[2]) or '0')
-- Half a pace early is allowed, so a grant that comes late does not cost throughput (as in memory).
local free = due - pace / 2
if free > now then
  return {0, math.max(1, math.ceil(free - now)), used, paused, 0}
end
redis.call('ZADD', KEYS[1], now + hold, ARGV[4])
keep(KEYS[1], hold + window + 1000)
redis.call('SET', KEYS[2], string.format('%.3f', math.max(due, now) + pace), 'PX', math.ceil(window + pace))
return {1, 0, used + 1, paused, 0}
`

/** KEYS: window. ARGV: member, windowMs. The request is over: its slot counts from now. */
const COMPLETE = `${NOW}${KEEP_ALIVE}
redis.call('ZADD', KEYS[1], now, ARGV[1])
keep(KEYS[1], tonumber(ARGV[2]) + 1000)
return 1
`

/** KEYS: pause. ARGV: ms. Never shortens a pause. → the end of the pause */
const PAUSE = `${NOW}
local ms = math.ceil(tonumber(ARGV[1]))
local untilAt = now + ms
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilAt > current then
  redis.call('SET', KEYS[1], string.format('%.0f', untilAt), 'PX', ms)
  return untilAt
end
return current
`

/** KEYS: window, pause. ARGV: windowMs. → {used, pausedUntil} */
const USAGE = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused <= now then paused = 0 end
return {redis.call('ZCARD', KEYS[1]), paused}
`

/** KEYS: window. ARGV: windowMs, member prefix, ages in ms... Grants made elsewhere, that long ago. */
const SEED = `${NOW}${KEEP_ALIVE}
local window = tonumber(ARGV[1])
for i = 3, #ARGV do
  local at = now - tonumber(ARGV[i])
  if at > now - window then redis.call('ZADD', KEYS[1], at, ARGV[2] .. ':' .. i) end
end
keep(KEYS[1], window + 1000)
return 1
`

type Script = { text: string; sha: string }
const script = (text: string): Script => ({ text, sha: createHash("sha1").update(text).digest("hex") })
const SCRIPTS = {
  acquire: script(ACQUIRE),
  complete: script(COMPLETE),
  pause: script(PAUSE),
  usage: script(USAGE),
  seed: script(SEED),
}

export type RedisRateLimitStoreOptions = {
  /** e.g. `redis://:password@host:6379/0`. Never logged (it may hold a password). */
  url: string
  /** Names the keys (hashed). */
  apiKey: string
  /** A command that takes longer fails, and the limiter falls back to memory. Default 1 000. */
  commandTimeoutMs?: number
  /** Default 2 000. */
  connectTimeoutMs?: number
}

export class RedisRateLimitStore implements RateLimitStore {
  readonly key: string
  // #private: the connection's options hold the URL, and the URL may hold a password.
  readonly #redis: Redis
  #closed = false

  constructor(options: RedisRateLimitStoreOptions) {
    this.key = rateLimitKey(options.apiKey)
    this.#redis = new Redis(options.url, {
      // Commands wait for a connection at most commandTimeout, then fail: the limiter falls back to memory.
      enableOfflineQueue: true,
      commandTimeout: options.commandTimeoutMs ?? 1_000,
      connectTimeout: options.connectTimeoutMs ?? 2_000,
      maxRetriesPerRequest: 1,
      // Keep trying to reconnect, without hammering a Redis that is down.
      retryStrategy: (times) => Math.min(250 * times, 2_000),
      lazyConnect: false,
      // After close(), a socket that never connected is destroyed this soon (ioredis' default keeps a 2 s timer).
      disconnectTimeout: 500,
    })
    // Without a listener ioredis prints every connection error; the limiter reports the outage itself, once.
    this.#redis.on("error", () => undefined)
  }

  async acquire(request: StoreAcquireRequest): Promise<StoreReply> {
    const reply = (await this.run(
      SCRIPTS.acquire,
      [this.key, `${this.key}:pace`, `${this.key}:pause`],
      [request.limit, request.windowMs, request.paceMs, request.member, Math.max(0, Math.ceil(request.holdMs))]
    )) as number[]
    const [granted, waitMs, used, paused, inFlight] = reply.map(Number)
    const pausedUntil = paused > 0 ? paused : null
    return granted === 1
      ? { granted: true, used, pausedUntil }
      : { granted: false, waitMs, used, pausedUntil, inFlight: inFlight === 1 }
  }

  async complete(member: string, windowMs: number): Promise<void> {
    await this.run(SCRIPTS.complete, [this.key], [member, windowMs])
  }

  async pause(ms: number): Promise<number> {
    return Number(await this.run(SCRIPTS.pause, [`${this.key}:pause`], [Math.ceil(ms)]))
  }

  async usage(windowMs: number): Promise<{ used: number; pausedUntil: number | null }> {
    const [used, paused] = ((await this.run(SCRIPTS.usage, [this.key, `${this.key}:pause`], [windowMs])) as number[]).map(
      Number
    )
    return { used, pausedUntil: paused > 0 ? paused : null }
  }

  async seed(agesMs: number[], windowMs: number): Promise<void> {
    if (!agesMs.length) return
    const prefix = `seed:${process.pid}:${Date.now().toString(36)}`
    await this.run(SCRIPTS.seed, [this.key], [windowMs, prefix, ...agesMs.map((a) => Math.max(0, Math.round(a)))])
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    try {
      await this.#redis.quit()
    } catch {
      this.#redis.disconnect()
    }
  }

  toJSON(): { key: string } {
    return { key: this.key }
  }

  /** EVALSHA, or EVAL the first time a Redis sees the script. */
  private async run(s: Script, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await this.#redis.evalsha(s.sha, keys.length, ...keys, ...args)
    } catch (error) {
      if (!/NOSCRIPT/.test(error instanceof Error ? error.message : String(error))) throw error
      return this.#redis.eval(s.text, keys.length, ...keys, ...args)
    }
  }
}
