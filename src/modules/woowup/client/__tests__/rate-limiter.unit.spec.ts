import { MAX_TIMER_MS, RateLimiterClosedError, SlidingWindowRateLimiter, type LimiterClock } from "../rate-limiter"

/** A manual clock: timers fire only in `advance()`, in time order; it counts the timers armed at once. */
class FakeClock implements LimiterClock {
  private t = 0
  private seq = 0
  private timers = new Map<number, { at: number; fn: () => void }>()
  maxArmed = 0
  armedTotal = 0
  /** The longest delay ever asked of setTimeout. */
  longest = 0

  now(): number {
    return this.t
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn })
    this.armedTotal++
    this.longest = Math.max(this.longest, ms)
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

/** The window rule alone (`paceMs: 0`) unless a pace is given. */
function setup(limit: number, windowMs: number, paceMs = 0) {
  const clock = new FakeClock()
  const limiter = new SlidingWindowRateLimiter({ limit, windowMs, clock, paceMs })
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
    const limiter = new SlidingWindowRateLimiter({ limit: 1, windowMs: 100, clock: early, paceMs: 0 })
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
    const limiter = new SlidingWindowRateLimiter({ limit: 2, windowMs: 1_000, clock, paceMs: 0 })
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
    slots.get("b")!.complete() // at 5000: b's slot is free from 6000, whatever a does
    await clock.advance(999)
    expect(granted).toHaveLength(2)
    await clock.advance(1)
    expect(granted[2]).toEqual(["c", 6_000])
    slots.get("a")!.complete() // at 6000: d may go at 7000
    slots.get("a")!.complete() // twice is harmless
    await clock.advance(999)
    expect(granted).toHaveLength(3)
    await clock.advance(1)
    expect(granted[3]).toEqual(["d", 7_000])
    // e needs c or d (both in flight) to complete.
    await clock.advance(10_000)
    expect(granted).toHaveLength(4)
    slots.get("d")!.complete()
    await clock.advance(1_000)
    expect(granted.map((g) => g[0])).toEqual(["a", "b", "c", "d", "e"])
    expect(granted[4][1]).toBe(18_000)
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

  it("a slow request holds only its own slot: the others are reused a window after they were free", async () => {
    const clock = new FakeClock()
    const limiter = new SlidingWindowRateLimiter({ limit: 3, windowMs: 1_000, clock, paceMs: 0 })
    const slots = await Promise.all([0, 1, 2].map(() => limiter.acquire({ untilComplete: true })))
    await clock.advance(10)
    slots[1].complete()
    slots[2].complete() // slots[0] hangs
    const at: number[] = []
    for (let i = 0; i < 2; i++) void limiter.acquire({ untilComplete: true }).then(() => at.push(clock.now()))
    await clock.advance(5_000)
    expect(at).toEqual([1_010, 1_010])
  })

  it("keeps close to the limit under a backlog where 1 attempt in 50 hangs to the timeout", async () => {
    // WoowUp's figures: 140 a minute; a 30 s timeout; 300 ms answers; a constant backlog of 200 callers.
    const limit = 140
    const windowMs = 60_000
    const clock = new FakeClock()
    const limiter = new SlidingWindowRateLimiter({ limit, windowMs, clock })
    const grants: number[] = []
    let n = 0
    let stop = false
    const sleep = (ms: number) => new Promise<void>((r) => clock.setTimeout(r, ms))
    const worker = async () => {
      while (!stop) {
        const slot = await limiter.acquire({ untilComplete: true })
        grants.push(clock.now())
        await sleep(++n % 50 === 0 ? 30_000 : 300)
        slot.complete()
      }
    }
    const workers = Array.from({ length: 200 }, worker)
    await clock.advance(40 * 60_000)
    stop = true
    limiter.close()
    await clock.advance(60_000) // lets the requests in flight end
    await Promise.allSettled(workers)
    // Past the first ten minutes (the start is a burst-free ramp), count per window.
    const from = 10 * 60_000
    const to = 40 * 60_000
    const inRange = grants.filter((t) => t >= from && t < to).length
    const share = inRange / ((limit * (to - from)) / windowMs)
    expect(maxInWindow(grants, windowMs)).toBeLessThanOrEqual(limit)
    expect(share).toBeGreaterThan(0.95) // 0.98 here; 0.71 when one hanging request held every free slot back
  })

  it("paces a backlog evenly over the window, without losing throughput; an idle call goes at once", async () => {
    const { clock, granted, take } = setup(10, 1_000, 100)
    void take(0)
    await flush()
    expect(granted.map((g) => g.at)).toEqual([0])
    for (let i = 1; i < 40; i++) void take(i)
    await clock.advance(10_000)
    const times = granted.map((g) => g.at)
    expect(times).toHaveLength(40)
    const gaps = times.slice(1).map((t, i) => t - times[i])
    // About windowMs / limit apart: never a burst...
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(50)
    expect(Math.max(...gaps)).toBeLessThanOrEqual(150)
    // ...and every window still takes its `limit`.
    expect(maxInWindow(times, 1_000)).toBe(10)
    expect(times[39]).toBeLessThanOrEqual(3_900)
    await clock.advance(5_000)
    void take(40)
    await flush()
    expect(granted).toHaveLength(41)
    expect(granted[40].at).toBe(clock.now())
  })

  it("paces by default at windowMs / limit", async () => {
    const clock = new FakeClock()
    const limiter = new SlidingWindowRateLimiter({ limit: 140, windowMs: 60_000, clock })
    expect(limiter.paceMs).toBeCloseTo(60_000 / 140)
    const at: number[] = []
    for (let i = 0; i < 280; i++) void limiter.acquire().then(() => at.push(clock.now()))
    await clock.advance(120_000)
    expect(at).toHaveLength(280)
    // Not 140 in the first seconds then a minute idle: any 10 s holds about a sixth of the limit.
    expect(maxInWindow(at, 10_000)).toBeLessThanOrEqual(25)
    expect(maxInWindow(at, 60_000)).toBe(140)
  })

  it("its waiting list stays bounded however long the backlog lasts", async () => {
    const { clock, limiter } = setup(10, 1_000)
    const queue = () => (limiter as unknown as { queue: { capacity?: number; length: number } }).queue
    let grants = 0
    let largest = 0
    const take = (): void => {
      limiter
        .acquire()
        .then(() => {
          grants++
          take() // a backlog of 100 that never drains
        })
        .catch(() => undefined) // closed at the end
    }
    for (let i = 0; i < 100; i++) take()
    while (grants < 50_000) {
      await clock.advance(1_000)
      largest = Math.max(largest, queue().capacity ?? queue().length)
    }
    expect(limiter.pending).toBe(100)
    expect(largest).toBeLessThanOrEqual(2 * 100 + 64)
    limiter.close()
  })

  it("never arms a timer longer than setTimeout can take (2^31 - 1 ms)", async () => {
    const { clock, limiter, granted, take } = setup(1, 1_000)
    await take(0)
    limiter.pause(10_000_000_000) // a Retry-After of about 4 months
    take(1).catch(() => undefined) // closed at the end
    await clock.advance(1_000)
    expect(clock.longest).toBeLessThanOrEqual(MAX_TIMER_MS)
    expect(granted).toHaveLength(1)
    expect(limiter.usage().pausedUntil).toBeGreaterThan(Date.now() + MAX_TIMER_MS)
    limiter.close()
  })

  it("usage(), recent(), seed() and tryAcquire()", async () => {
    const clock = new FakeClock()
    const limiter = new SlidingWindowRateLimiter({ limit: 3, windowMs: 1_000, clock, paceMs: 0 })
    expect(limiter.usage()).toEqual({ used: 0, limit: 3, windowMs: 1_000, pausedUntil: null, source: "memory" })
    limiter.seed([-500, -200]) // two grants made elsewhere, 500 and 200 ms ago
    expect(limiter.usage().used).toBe(2)
    const inFlight = limiter.tryAcquire({ untilComplete: true })
    expect(inFlight).not.toBeNull()
    expect(limiter.tryAcquire()).toBeNull() // the window is full
    expect(limiter.nextGrantIn()).toBe(500)
    expect(limiter.recent()).toEqual([-500, -200, 0])
    await clock.advance(500)
    expect(limiter.usage().used).toBe(2)
    expect(limiter.tryAcquire()).not.toBeNull()
    inFlight!.complete()
    limiter.pause(2_000)
    expect(limiter.usage().pausedUntil).toBeGreaterThan(Date.now() + 1_000)
    expect(limiter.nextGrantIn()).toBe(2_000)
  })

  it("validates its options", () => {
    expect(() => new SlidingWindowRateLimiter({ limit: 0 })).toThrow(/must be a positive/)
    expect(() => new SlidingWindowRateLimiter({ limit: 1.5 })).toThrow(/must be a positive/)
    expect(() => new SlidingWindowRateLimiter({ limit: 1, windowMs: 0 })).toThrow(/must be a positive/)
    expect(new SlidingWindowRateLimiter({ limit: 140 }).windowMs).toBe(60_000)
  })
})
