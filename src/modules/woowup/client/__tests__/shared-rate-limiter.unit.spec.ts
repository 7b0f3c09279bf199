import { createWoowupClient } from "../create-client"
import { rateLimitKey } from "../redis-store"
import { SharedRateLimiter, processShare } from "../shared-rate-limiter"
import { FakeClock, maxInWindow, settle } from "./fake-clock"
import { FakeStore } from "./fake-store"

function logger() {
  const lines: Array<[string, string]> = []
  return {
    lines,
    info: (m: string) => lines.push(["info", m]),
    warn: (m: string) => lines.push(["warn", m]),
  }
}

function setup(over: { limit?: number; windowMs?: number; processes?: number; limiters?: number } = {}) {
  const clock = new FakeClock()
  const store = new FakeStore(clock)
  const log = logger()
  const limiters = Array.from(
    { length: over.limiters ?? 1 },
    () =>
      new SharedRateLimiter({
        store,
        limit: over.limit ?? 10,
        windowMs: over.windowMs ?? 1_000,
        processes: over.processes ?? 1,
        clock,
        logger: log,
        probeMs: 500,
      })
  )
  return { clock, store, log, limiters }
}

/** Runs `n` requests through `limiter`, each taking `ms`, recording grant times. */
function backlog(clock: FakeClock, limiter: SharedRateLimiter, n: number, ms: number, granted: number[]): Promise<void[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const slot = await limiter.acquire({ untilComplete: true, holdMs: 10_000 })
      granted.push(clock.now())
      await new Promise<void>((r) => clock.setTimeout(r, ms))
      slot.complete()
    })
  )
}

describe("SharedRateLimiter", () => {
  it("three processes on one store: never more than the limit in a window, and a busy one uses what the others leave", async () => {
    const { clock, limiters } = setup({ limit: 10, windowMs: 1_000, limiters: 3 })
    const all: number[] = []
    const busy: number[] = []
    // One process has 40 requests, the two others 5 each.
    const done = Promise.all([
      backlog(clock, limiters[0], 40, 20, busy),
      backlog(clock, limiters[1], 5, 20, all),
      backlog(clock, limiters[2], 5, 20, all),
    ])
    await clock.advance(10_000)
    await done
    all.push(...busy)
    expect(all).toHaveLength(50)
    expect(maxInWindow(all, 1_000)).toBeLessThanOrEqual(10)
    // 50 requests at 10 a second take about 5 s: no share is left idle (a third of the limit would take 13 s).
    expect(Math.max(...all)).toBeLessThan(5_500)
    // Paced: never a burst of more than a couple at once.
    expect(maxInWindow(all, 100)).toBeLessThanOrEqual(2)
  })

  it("falls back to this process's share when the store fails, says so once, and goes back when it answers", async () => {
    const { clock, store, log, limiters } = setup({ limit: 9, windowMs: 1_000, processes: 3 })
    const [limiter] = limiters
    expect(limiter.share).toBe(3)
    const granted: number[] = []
    await Promise.all([backlog(clock, limiter, 2, 10, granted), clock.advance(1_000)])
    expect(limiter.source).toBe("redis")

    store.down = true
    const during: number[] = []
    const running = backlog(clock, limiter, 12, 10, during)
    await clock.advance(2_950)
    expect(limiter.source).toBe("memory-fallback")
    expect(limiter.usage().source).toBe("memory-fallback")
    expect(log.lines.filter(([level]) => level === "warn")).toEqual([
      ["warn", "woowup: Redis unavailable for the shared rate limit, using this process's share of 3/1000ms"],
    ])
    // Calls go on, at the share: 3 a window.
    expect(during.length).toBeGreaterThanOrEqual(8)
    expect(maxInWindow(during, 1_000)).toBeLessThanOrEqual(3)

    store.down = false
    await clock.advance(3_000)
    await running
    expect(limiter.source).toBe("redis")
    expect(log.lines.filter(([level]) => level === "info")).toEqual([["info", "woowup: Redis is back for the shared rate limit"]])
    expect(log.lines.filter(([level]) => level === "warn")).toHaveLength(1)
    // What the process granted in memory during the last window was handed to the store.
    expect(store.seeded.length).toBeGreaterThan(0)
  })

  it("hands the grants of the window over to memory: a switch does not grant them again", async () => {
    const { clock, store, limiters } = setup({ limit: 4, windowMs: 1_000, processes: 2 })
    const [limiter] = limiters
    const before: number[] = []
    await Promise.all([backlog(clock, limiter, 2, 10, before), clock.advance(600)])
    store.down = true
    const after: number[] = []
    const running = backlog(clock, limiter, 2, 10, after)
    await clock.advance(300)
    // The share (2) is taken by the two grants made through the store in this window.
    expect(after).toHaveLength(0)
    await clock.advance(1_500)
    await running
    expect(after).toHaveLength(2)
    expect(Math.min(...after)).toBeGreaterThanOrEqual(1_000)
  })

  it("a pause reaches every process through the store", async () => {
    const { clock, store, limiters } = setup({ limit: 100, windowMs: 1_000, limiters: 2 })
    limiters[0].pause(3_000)
    await settle()
    expect(store.pausedUntil).toBe(3_000)
    expect(limiters[0].usage().pausedUntil).toBeGreaterThan(Date.now() + 2_000)
    const at: number[] = []
    void limiters[1].acquire().then(() => at.push(clock.now()))
    await clock.advance(2_999)
    expect(at).toEqual([])
    await clock.advance(100)
    expect(at).toHaveLength(1)
    expect(at[0]).toBeGreaterThanOrEqual(3_000)
  })

  it("an aborted waiter leaves; a grant that arrives for it goes to the next in line", async () => {
    const { clock, limiters } = setup({ limit: 1, windowMs: 1_000 })
    const [limiter] = limiters
    await limiter.acquire()
    const controller = new AbortController()
    const first = limiter.acquire({ signal: controller.signal })
    const second = limiter.acquire()
    controller.abort(new Error("gone"))
    await expect(first).rejects.toThrow("gone")
    await clock.advance(1_000)
    await expect(second).resolves.toMatchObject({ grantedAt: 1_000 })
  })

  it("close() rejects the waiters and closes the store", async () => {
    const { clock, store, limiters } = setup({ limit: 1, windowMs: 60_000 })
    const [limiter] = limiters
    await limiter.acquire()
    const waiting = limiter.acquire()
    await clock.advance(10)
    await limiter.close(new Error("closed"))
    await expect(waiting).rejects.toThrow("closed")
    await expect(limiter.acquire()).rejects.toThrow("closed")
    expect(store.closed).toBe(true)
  })

  it("usage() reports the store's figures", async () => {
    const { clock, limiters } = setup({ limit: 5, windowMs: 1_000 })
    const [limiter] = limiters
    await limiter.acquire()
    await clock.advance(500)
    await limiter.acquire()
    expect(await limiter.refreshUsage()).toEqual({ used: 2, limit: 5, windowMs: 1_000, pausedUntil: null, source: "redis" })
  })
})

describe("processShare", () => {
  it("is floor(limit / processes), at least 1", () => {
    expect(processShare(140, 1)).toBe(140)
    expect(processShare(140, 3)).toBe(46)
    expect(processShare(2, 5)).toBe(1)
  })
})

describe("rateLimitKey", () => {
  it("names the account by a hash of its API key, never the key", () => {
    const key = rateLimitKey("wu_live_SECRET")
    expect(key).toMatch(/^woowup:rl:[0-9a-f]{16}$/)
    expect(key).not.toContain("SECRET")
    expect(rateLimitKey("wu_live_SECRET")).toBe(key)
    expect(rateLimitKey("another")).not.toBe(key)
  })
})

describe("createWoowupClient", () => {
  const options = {
    apiKey: "wu_live_k",
    apiUrl: "http://127.0.0.1:1/apiv3",
    timeoutMs: 1_000,
    maxRetries: 0,
    requestsPerMinute: 140,
    retryBaseDelayMs: 10,
    retryMaxDelayMs: 100,
    processes: 3,
  }
  const saved = process.env.REDIS_URL
  afterEach(() => {
    if (saved === undefined) delete process.env.REDIS_URL
    else process.env.REDIS_URL = saved
  })

  it("without Redis: an in-memory limit at this process's share", async () => {
    delete process.env.REDIS_URL
    const client = createWoowupClient(options)
    expect(client.usage()).toMatchObject({ limit: 46, source: "memory" })
    await client.close()
  })

  it("with a shared store: the account's whole limit, shared", async () => {
    const store = new FakeStore(new FakeClock())
    const client = createWoowupClient(options, undefined, { store })
    expect(client.limiter).toBeInstanceOf(SharedRateLimiter)
    expect(client.usage()).toMatchObject({ limit: 140, source: "redis" })
    await client.close()
    expect(store.closed).toBe(true)
  })

  it("reads REDIS_URL when the option is absent, at construction time", async () => {
    process.env.REDIS_URL = "redis://127.0.0.1:1"
    const client = createWoowupClient(options)
    delete process.env.REDIS_URL
    expect(client.limiter).toBeInstanceOf(SharedRateLimiter)
    await client.close()
  })
})
