import { RateLimiterClosedError, SlidingWindowRateLimiter, type LimiterClock } from "../rate-limiter"

/** A manual clock: timers fire only in `advance()`, in time order; it counts the timers armed at once. */
class FakeClock implements LimiterClock {
  private t = 0
  private seq = 0
  private timers = new Map<number, { at: number; fn: () => void }>()
  maxArmed = 0
  armedTotal = 0

  now(): number {
    return this.t
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn })
    this.armedTotal++
    this.maxArmed = Math.max(this.maxArmed, this.timers.size)
    return id
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number)
  }
  get armed(): number {
    return this.timers.size
  }
  /** Moves time forward to `now + ms`, firing due timers (and flushing promise callbacks after each). */
  async advance(ms: number): Promise<void> {
    // Settle what is already due at the current time first (e.g. grants made synchronously by acquire()).
    await flush()
    const end = this.t + ms
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined
      for (const entry of this.timers) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry
      if (!next) break
      this.timers.delete(next[0])
      this.t = Math.max(this.t, next[1].at)
      next[1].fn()
      await flush()
    }
    this.t = end
    await flush()
  }
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve()
}

/** Max acquisitions in any half-open window [s, s + w), over sorted grant times. */
function maxInWindow(times: number[], w: number): number {
  let max = 0
  let lo = 0
  for (let hi = 0; hi < times.length; hi++) {
    while (times[hi] - times[lo] >= w) lo++
    max = Math.max(max, hi - lo + 1)
  }
  return max
}

function setup(limit: number, windowMs: number) {
  const clock = new FakeClock()
  const limiter = new SlidingWindowRateLimiter({ limit, windowMs, clock })
  const granted: Array<{ id: number; at: number }> = []
  const take = (id: number, signal?: AbortSignal) =>
    limiter.acquire({ signal }).then(() => {
      granted.push({ id, at: clock.now() })
    })
  return { clock, limiter, granted, take }
}

describe("SlidingWindowRateLimiter", () => {
  it("grants up to the limit at once, then releases each slot exactly one window after its grant", async () => {
    const { clock, granted, take } = setup(3, 1_000)
    for (let i = 0; i < 7; i++) void take(i)
    await flush()
    expect(granted.map((g) => g.at)).toEqual([0, 0, 0])

    await clock.advance(999)
    expect(granted).toHaveLength(3)
    await clock.advance(1)
    expect(granted.map((g) => g.at)).toEqual([0, 0, 0, 1_000, 1_000, 1_000])
    await clock.advance(1_000)
    expect(granted.map((g) => g.at)).toEqual([0, 0, 0, 1_000, 1_000, 1_000, 2_000])
  })

  it("frees a slot one window after the oldest grant, not after a fixed bucket", async () => {
    const { clock, granted, take } = setup(2, 1_000)
    void take(1)
    await clock.advance(400)
    void take(2)
    await clock.advance(100)
    void take(3)
    void take(4)
    await clock.advance(499) // t = 999
    expect(granted.map((g) => g.at)).toEqual([0, 400])
    await clock.advance(1) // t = 1000: the grant at 0 leaves the window
    expect(granted.map((g) => g.at)).toEqual([0, 400, 1_000])
    await clock.advance(399) // t = 1399
    expect(granted).toHaveLength(3)
    await clock.advance(1) // t = 1400
    expect(granted.map((g) => g.at)).toEqual([0, 400, 1_000, 1_400])
  })

  it("never lets more than `limit` into any window, under random arrivals", async () => {
    const limit = 5
    const windowMs = 1_000
    const { clock, granted, take } = setup(limit, windowMs)
    let seed = 7
    const random = () => {
      seed = (seed * 16807) % 2147483647
      return seed / 2147483647
    }
    let id = 0
    for (let step = 0; step < 400; step++) {
      const arrivals = Math.floor(random() * 3)
      for (let i = 0; i < arrivals; i++) void take(id++)
      await clock.advance(Math.floor(random() * 60))
    }
    await clock.advance(windowMs * Math.ceil(id / limit) + windowMs)
    expect(granted).toHaveLength(id)
    const times = granted.map((g) => g.at)
    expect(maxInWindow(times, windowMs)).toBeLessThanOrEqual(limit)
    // And it is not needlessly slow: over the busy stretch it fills the windows.
    expect(maxInWindow(times, windowMs)).toBe(limit)
  })

  it("serves waiters first come, first served", async () => {
    const { clock, granted, take } = setup(2, 100)
    const ids = Array.from({ length: 12 }, (_, i) => i)
    for (const i of ids) void take(i)
    await clock.advance(1_000)
    expect(granted.map((g) => g.id)).toEqual(ids)
  })

  it("makes a newcomer wait behind the queue even when it arrives as a slot frees up", async () => {
    const { clock, granted, take } = setup(1, 100)
    void take(1)
    void take(2)
    await clock.advance(50)
    void take(3)
    await clock.advance(50) // t = 100: 2 goes
    void take(4)
    await clock.advance(300)
    expect(granted.map((g) => [g.id, g.at])).toEqual([
      [1, 0],
      [2, 100],
      [3, 200],
      [4, 300],
    ])
  })

  it("keeps a single timer armed, whatever the queue length (no polling)", async () => {
    const { clock, granted, take } = setup(3, 1_000)
    for (let i = 0; i < 30; i++) void take(i)
    await flush()
    expect(clock.armed).toBe(1)
    await clock.advance(10_000)
    expect(granted).toHaveLength(30)
    expect(clock.maxArmed).toBe(1)
    // One timer per release time (9 batches after the first), not one per waiter or per tick.
    expect(clock.armedTotal).toBe(9)
    expect(clock.armed).toBe(0)
  })

  it("re-arms when a timer fires early", async () => {
    const clock = new FakeClock()
    const early: LimiterClock = {
      now: () => clock.now(),
      // Fires 1 ms before it should (never at 0 ms, or a fake clock would never move).
      setTimeout: (fn, ms) => clock.setTimeout(fn, Math.max(1, ms - 1)),
      clearTimeout: (h) => clock.clearTimeout(h),
    }
    const limiter = new SlidingWindowRateLimiter({ limit: 1, windowMs: 100, clock: early })
    const at: number[] = []
    for (let i = 0; i < 3; i++) void limiter.acquire().then(() => at.push(clock.now()))
    await clock.advance(500)
    expect(at[0]).toBe(0)
    expect(at[1]).toBeGreaterThanOrEqual(100)
    expect(at[2] - at[1]).toBeGreaterThanOrEqual(100)
  })

  it("removes an aborted waiter without disturbing the order of the others", async () => {
    const { clock, granted, take } = setup(1, 100)
    const controller = new AbortController()
    void take(1)
    const aborted = take(2, controller.signal)
    void take(3)
    controller.abort(new Error("gone"))
    await expect(aborted).rejects.toThrow("gone")
    await clock.advance(100)
    expect(granted.map((g) => [g.id, g.at])).toEqual([
      [1, 0],
      [3, 100],
    ])
    expect((await Promise.allSettled([take(4, AbortSignal.abort(new Error("already")))]))[0].status).toBe("rejected")
  })

  it("pause() holds every grant back, and the window still applies afterwards", async () => {
    const { clock, limiter, granted, take } = setup(1, 1_000)
    void take(1)
    limiter.pause(3_000)
    void take(2)
    void take(3)
    await clock.advance(2_999)
    expect(granted.map((g) => g.id)).toEqual([1])
    await clock.advance(1)
    expect(granted.map((g) => [g.id, g.at])).toEqual([
      [1, 0],
      [2, 3_000],
    ])
    await clock.advance(1_000)
    expect(granted.map((g) => [g.id, g.at])).toEqual([
      [1, 0],
      [2, 3_000],
      [3, 4_000],
    ])
    await clock.advance(1_000) // t = 5000: the window is free again
    limiter.pause(10)
    limiter.pause(5) // never shortens
    void take(4)
    await clock.advance(9)
    expect(granted).toHaveLength(3)
    await clock.advance(1)
    expect(granted).toHaveLength(4)
  })

  it("untilComplete: a slot is taken until complete(), and counted from then", async () => {
    const clock = new FakeClock()
    const limiter = new SlidingWindowRateLimiter({ limit: 2, windowMs: 1_000, clock })
    const granted: Array<[string, number]> = []
    const slots = new Map<string, { complete(): void; grantedAt: number }>()
    const take = (id: string) =>
      limiter.acquire({ untilComplete: true }).then((slot) => {
        slots.set(id, slot)
        granted.push([id, clock.now()])
      })
    for (const id of ["a", "b", "c", "d", "e"]) void take(id)
    await clock.advance(5_000)
    // a and b are still in flight: nothing else may start, however long it takes.
    expect(granted).toEqual([
      ["a", 0],
      ["b", 0],
    ])
    expect(clock.armed).toBe(0) // no timer while waiting on a completion
    slots.get("b")!.complete() // at 5000, but b is not the oldest slot: still nothing
    await clock.advance(100)
    expect(granted).toHaveLength(2)
    slots.get("a")!.complete() // at 5100: c may go at 6100
    slots.get("a")!.complete() // twice is harmless
    await clock.advance(999)
    expect(granted).toHaveLength(2)
    await clock.advance(1)
    // c takes a's slot; d takes b's (done at 5000, free since 6000), right behind c.
    expect(granted).toEqual([
      ["a", 0],
      ["b", 0],
      ["c", 6_100],
      ["d", 6_100],
    ])
    // e needs c (in flight) to complete.
    await clock.advance(10_000)
    expect(granted).toHaveLength(4)
    slots.get("c")!.complete()
    slots.get("d")!.complete()
    await clock.advance(1_000)
    expect(granted.map((g) => g[0])).toEqual(["a", "b", "c", "d", "e"])
    expect(granted[4][1]).toBe(17_100)
  })

  it("untilComplete bounds the arrivals at a server whatever the latency of each request", async () => {
    // A request arrives at the server at some time between its grant and its completion.
    const limit = 3
    const windowMs = 1_000
    const clock = new FakeClock()
    const limiter = new SlidingWindowRateLimiter({ limit, windowMs, clock })
    let seed = 11
    const random = () => {
      seed = (seed * 16807) % 2147483647
      return seed / 2147483647
    }
    const arrivals: number[] = []
    const run = async () => {
      const slot = await limiter.acquire({ untilComplete: true })
      const start = clock.now()
      const latency = Math.floor(random() * 400)
      const arriveAfter = Math.floor(random() * latency)
      await new Promise<void>((r) => clock.setTimeout(r, arriveAfter))
      arrivals.push(clock.now())
      await new Promise<void>((r) => clock.setTimeout(r, start + latency - clock.now()))
      slot.complete()
    }
    const all = Promise.all(Array.from({ length: 40 }, run))
    await clock.advance(60_000)
    await all
    expect(arrivals).toHaveLength(40)
    expect(maxInWindow(arrivals.sort((a, b) => a - b), windowMs)).toBeLessThanOrEqual(limit)
  })

  it("close() rejects waiters and later calls, and leaves no timer", async () => {
    const { clock, limiter, take } = setup(1, 1_000)
    await take(1)
    const waiting = take(2)
    limiter.close()
    await expect(waiting).rejects.toBeInstanceOf(RateLimiterClosedError)
    await expect(limiter.acquire()).rejects.toBeInstanceOf(RateLimiterClosedError)
    expect(clock.armed).toBe(0)
  })

  it("validates its options", () => {
    expect(() => new SlidingWindowRateLimiter({ limit: 0 })).toThrow(/must be a positive/)
    expect(() => new SlidingWindowRateLimiter({ limit: 1.5 })).toThrow(/must be a positive/)
    expect(() => new SlidingWindowRateLimiter({ limit: 1, windowMs: 0 })).toThrow(/must be a positive/)
    expect(new SlidingWindowRateLimiter({ limit: 140 }).windowMs).toBe(60_000)
  })
})
