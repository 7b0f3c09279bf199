import { spawnSync } from "node:child_process"
import { randomBytes } from "node:crypto"
import net from "node:net"
import Redis from "ioredis"
import {
  RedisRateLimitStore,
  SharedRateLimiter,
  createWoowupClient,
  rateLimitKey,
  type WoowupClient,
} from "../../src/modules/woowup/client"
import { parseWoowupOptions } from "../../src/modules/woowup/options"
import { startWoowupSandbox, type WoowupSandbox } from "../../src/sandbox"

/**
 * One WoowUp rate limit for several processes, through a real Redis (`REDIS_URL`, else redis://127.0.0.1:6379),
 * against the sandbox's own 429-answering limit. Three clients in this process stand for three processes: each
 * has its own connection and its own limiter; only Redis is shared. Windows are shrunk to 3 s.
 *
 * Without a Redis that answers, the suite says so and skips: nothing here can run without one.
 */

jest.setTimeout(90_000)

const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379"
const skipReason = redisSkipReason(REDIS_URL)
if (skipReason) console.warn(`shared-rate-limit.spec: SKIPPED, ${skipReason}`)
const suite = skipReason ? describe.skip : describe

/** Whether a Redis answers PING at `url`, asked from a child process so that the suite can be skipped at load. */
function redisSkipReason(url: string): string | null {
  const probe = `
    const Redis = require(require.resolve("ioredis", { paths: [process.cwd()] }))
    const r = new Redis(process.argv[1], { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0, retryStrategy: () => null })
    r.on("error", () => {})
    r.connect().then(() => r.ping()).then((p) => { console.log(p); r.disconnect() }, (e) => { console.log("ERR " + e.message); r.disconnect() })`
  const result = spawnSync(process.execPath, ["-e", probe, url], { encoding: "utf8", timeout: 10_000 })
  if (result.stdout.trim() === "PONG") return null
  const where = url.replace(/\/\/[^@/]*@/, "//")
  return `no Redis answers at ${where} (${(result.stdout || result.stderr || "no answer").trim().slice(0, 120)})`
}

describe("shared rate limit: Redis", () => {
  it(skipReason ? "is skipped: no Redis answers" : "runs: a Redis answers", () => {
    // Not a silent pass: the reason is printed above and named here.
    if (skipReason) expect(skipReason).toMatch(/no Redis answers/)
    else expect(skipReason).toBeNull()
  })
})

/** Max number of `times` inside any half-open window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let max = 0
  for (let lo = 0, hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] >= windowMs) lo++
    max = Math.max(max, hi - lo + 1)
  }
  return max
}

type Line = { level: string; message: string }
function collectingLogger(lines: Line[]) {
  return {
    debug: (message: string) => lines.push({ level: "debug", message }),
    info: (message: string) => lines.push({ level: "info", message }),
    warn: (message: string) => lines.push({ level: "warn", message }),
    error: (message: string) => lines.push({ level: "error", message }),
  }
}

/** A TCP proxy to Redis that can be cut (as if Redis stopped) and restored, on the same port. */
class RedisProxy {
  private server: net.Server | undefined
  private readonly sockets = new Set<net.Socket>()
  port = 0

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host)
      for (const s of [client, upstream]) {
        this.sockets.add(s)
        s.on("close", () => this.sockets.delete(s))
        s.on("error", () => undefined)
      }
      client.pipe(upstream).pipe(client)
      client.on("close", () => upstream.destroy())
      upstream.on("close", () => client.destroy())
    })
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve))
    this.port = (this.server.address() as net.AddressInfo).port
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
    this.server = undefined
  }
}

const WINDOW_MS = 3_000
const LIMIT = 12

suite("shared rate limit: three processes, one Redis, one WoowUp account", () => {
  let sandbox: WoowupSandbox
  let apiKey: string
  const clients: WoowupClient[] = []
  const lines: Line[] = []
  let admin: Redis

  const client = (over: Record<string, unknown> = {}): WoowupClient => {
    const options = parseWoowupOptions({
      apiKey,
      apiUrl: sandbox.url,
      requestsPerMinute: LIMIT,
      redisUrl: REDIS_URL,
      // Any 429 would surface as an error.
      maxRetries: 0,
      timeoutMs: 5_000,
      ...over,
    })
    const c = createWoowupClient(options, collectingLogger(lines), { rateLimitWindowMs: WINDOW_MS, probeMs: 500 })
    clients.push(c)
    return c
  }

  beforeAll(async () => {
    admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 })
  })

  beforeEach(async () => {
    // A fresh account per test: its own keys in Redis, its own window at the sandbox.
    apiKey = `wu_test_${randomBytes(8).toString("hex")}`
    sandbox = await startWoowupSandbox({ apiKey, requestsPerMinute: LIMIT, rateLimitWindowMs: WINDOW_MS })
    lines.length = 0
  })

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()))
    await sandbox.close()
    const key = rateLimitKey(apiKey)
    await admin.del(key, `${key}:pace`, `${key}:pause`)
  })

  afterAll(async () => {
    await admin.quit()
  })

  it("together they stay under the account's limit, with no 429 and no share left idle", async () => {
    const [a, b, c] = [client(), client(), client()]
    // One process has most of the work: it must use what the others leave.
    const work = [
      ...Array.from({ length: 24 }, (_, i) => () => a.customerExists({ email: `a${i}@example.com` })),
      ...Array.from({ length: 3 }, (_, i) => () => b.customerExists({ email: `b${i}@example.com` })),
      ...Array.from({ length: 3 }, (_, i) => () => c.customerExists({ email: `c${i}@example.com` })),
    ]
    const started = Date.now()
    const results = await Promise.allSettled(work.map((call) => call()))
    const elapsed = Date.now() - started

    expect(results.filter((r) => r.status === "rejected")).toEqual([])
    const times = sandbox.requests.map((r) => r.time)
    expect(sandbox.requests.map((r) => r.status).filter((s) => s !== 200)).toEqual([])
    expect(times).toHaveLength(30)
    const busiest = maxInWindow(times, WINDOW_MS)
    expect(busiest).toBeLessThanOrEqual(LIMIT)
    // 30 requests at 12 per 3 s: about 7.5 s. Each process on a third of the limit, the busy one alone would take
    // 18 s.
    expect(elapsed).toBeLessThan(14_000)
    console.log(
      `shared limit: 30 requests from 3 clients in ${elapsed} ms (ideal ${((30 - 1) * WINDOW_MS) / LIMIT} ms at ` +
        `${LIMIT}/${WINDOW_MS} ms paced), busiest window ${busiest}/${LIMIT}, 429s: 0`
    )
    // The keys are named by a hash of the API key, never the key itself.
    const keys = await admin.keys("woowup:rl:*")
    expect(keys.some((k) => k.startsWith(rateLimitKey(apiKey)))).toBe(true)
    expect(keys.some((k) => k.includes(apiKey))).toBe(false)
    expect(a.usage()).toMatchObject({ limit: LIMIT, windowMs: WINDOW_MS, source: "redis" })
  })

  it("a 429 pauses every process", async () => {
    const [a, b] = [client(), client()]
    sandbox.setFaults({ retryAfterSeconds: 2, script: [{ fault: 429 }] })
    expect(await a.customerExists({ email: "a@example.com" }).catch((e) => e.status)).toBe(429)
    const started = Date.now()
    expect(await b.customerExists({ email: "b@example.com" })).toBe(false)
    // b never saw the 429: the pause reached it through Redis.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500)
    expect(sandbox.requests.map((r) => r.status)).toEqual([429, 200])
  })

  it("a Redis that goes away mid-run: calls go on at this process's share, said once; back to Redis when it returns", async () => {
    const { hostname, port } = new URL(REDIS_URL)
    const proxy = new RedisProxy({ host: hostname, port: Number(port || 6379) })
    await proxy.start()
    const c = client({ redisUrl: `redis://127.0.0.1:${proxy.port}`, processes: 3 })
    expect(await c.customerExists({ email: "before@example.com" })).toBe(false)
    expect(c.usage().source).toBe("redis")

    await proxy.stop()
    const started = Date.now()
    const during = await Promise.all(
      Array.from({ length: 8 }, (_, i) => c.customerExists({ email: `during${i}@example.com` }))
    )
    const elapsed = Date.now() - started
    expect(during).toEqual(Array(8).fill(false))
    expect(c.usage()).toMatchObject({ source: "memory-fallback", limit: 4 })
    const warns = lines.filter((l) => l.level === "warn" && /Redis unavailable/.test(l.message))
    expect(warns.map((l) => l.message)).toEqual([
      `woowup: Redis unavailable for the shared rate limit, using this process's share of 4/${WINDOW_MS}ms`,
    ])
    // At the share (4 per 3 s): the 8 calls, with the one before, need at least two windows.
    expect(elapsed).toBeGreaterThanOrEqual(WINDOW_MS)
    const times = sandbox.requests.map((r) => r.time)
    expect(maxInWindow(times, WINDOW_MS)).toBeLessThanOrEqual(4)

    await proxy.start()
    for (let i = 0; i < 100 && c.usage().source !== "redis"; i++) await new Promise((r) => setTimeout(r, 100))
    expect(c.usage().source).toBe("redis")
    expect(await c.customerExists({ email: "after@example.com" })).toBe(false)
    expect(lines.filter((l) => l.level === "info" && /Redis is back/.test(l.message))).toHaveLength(1)
    expect(lines.filter((l) => l.level === "warn" && /Redis unavailable/.test(l.message))).toHaveLength(1)
    console.log(`Redis away: 8 calls at the share of 4/${WINDOW_MS} ms took ${elapsed} ms; back on Redis afterwards`)
    await c.close()
    await proxy.stop()
  })

  it("a Redis that refuses connections from the start: calls go through at the share, the log says so once", async () => {
    const c = client({ redisUrl: "redis://127.0.0.1:1", processes: 2 })
    const results = await Promise.all([0, 1, 2].map((i) => c.customerExists({ email: `x${i}@example.com` })))
    expect(results).toEqual([false, false, false])
    expect(c.usage()).toMatchObject({ source: "memory-fallback", limit: 6 })
    expect(lines.filter((l) => l.level === "warn").map((l) => l.message)).toEqual([
      `woowup: Redis unavailable for the shared rate limit, using this process's share of 6/${WINDOW_MS}ms`,
    ])
    // Nothing logged carries the API key.
    expect(lines.some((l) => l.message.includes(apiKey))).toBe(false)
  })
})

suite("RedisRateLimitStore: the scripts on a real Redis", () => {
  let store: RedisRateLimitStore
  let admin: Redis
  let key: string

  beforeEach(() => {
    const apiKey = `wu_test_${randomBytes(8).toString("hex")}`
    store = new RedisRateLimitStore({ url: REDIS_URL, apiKey })
    key = rateLimitKey(apiKey)
  })

  beforeAll(() => {
    admin = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 })
  })

  afterEach(async () => {
    await store.close()
    await admin.del(key, `${key}:pace`, `${key}:pause`)
  })

  afterAll(async () => {
    await admin.quit()
  })

  const ask = (member: string, over: Partial<Parameters<RedisRateLimitStore["acquire"]>[0]> = {}) =>
    store.acquire({ member, limit: 3, windowMs: 10_000, paceMs: 0, holdMs: 0, ...over })

  it("grants up to the limit in the window, then says how long to wait", async () => {
    expect(await ask("a")).toMatchObject({ granted: true, used: 1 })
    expect(await ask("b")).toMatchObject({ granted: true, used: 2 })
    expect(await ask("c")).toMatchObject({ granted: true, used: 3 })
    const refused = await ask("d")
    expect(refused).toMatchObject({ granted: false, used: 3, inFlight: false })
    expect(refused.granted === false && refused.waitMs).toBeGreaterThan(9_000)
    expect(await store.usage(10_000)).toEqual({ used: 3, pausedUntil: null })
    // The set expires on its own: an account that stops calling leaves nothing behind for long.
    expect(await admin.pttl(key)).toBeGreaterThan(0)
  })

  it("paces grants, holds in-flight slots until complete(), and shares a pause", async () => {
    expect(await ask("a", { paceMs: 5_000, holdMs: 60_000 })).toMatchObject({ granted: true })
    const paced = await ask("b", { paceMs: 5_000 })
    expect(paced.granted).toBe(false)
    expect(paced.granted === false && paced.waitMs).toBeGreaterThan(2_000)

    // A window full of requests in flight: the wait is their hold, flagged as such.
    await admin.del(`${key}:pace`)
    expect(await ask("c", { limit: 2, holdMs: 60_000 })).toMatchObject({ granted: true })
    const full = await ask("d", { limit: 2 })
    expect(full).toMatchObject({ granted: false, inFlight: true })
    await store.complete("a", 10_000)
    await store.complete("c", 10_000)
    const done = await ask("d", { limit: 2 })
    expect(done).toMatchObject({ granted: false, inFlight: false })

    const until = await store.pause(30_000)
    expect(until).toBeGreaterThan(Date.now() + 25_000)
    expect(await store.pause(1_000)).toBe(until) // never shortened
    expect(await ask("e", { limit: 100 })).toMatchObject({ granted: false, pausedUntil: until })
    expect((await store.usage(10_000)).pausedUntil).toBe(until)
  })

  it("seed() counts grants made elsewhere, within the window only", async () => {
    await store.seed([100, 2_000, 60_000], 10_000)
    expect(await store.usage(10_000)).toMatchObject({ used: 2 })
  })

  it("a store whose Redis is unreachable fails fast, so the limiter can fall back", async () => {
    const dead = new RedisRateLimitStore({ url: "redis://127.0.0.1:1", apiKey: "k" })
    const started = Date.now()
    await expect(dead.usage(1_000)).rejects.toThrow()
    expect(Date.now() - started).toBeLessThan(5_000)
    await dead.close()
    const limiter = new SharedRateLimiter({ store: dead, limit: 4, windowMs: 1_000, processes: 2 })
    expect(limiter.share).toBe(2)
    await limiter.close()
  })
})
