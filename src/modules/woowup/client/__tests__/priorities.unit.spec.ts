import { ConnectionGate } from "../connection-gate"
import { PriorityQueue, type CallPriority } from "../fifo"
import { SlidingWindowRateLimiter } from "../rate-limiter"
import { SharedRateLimiter } from "../shared-rate-limiter"
import { CallLanes, backgroundLimit, storefrontLimit, type AttemptPermit } from "../lanes"
import { scopedCallPriority, withCallPriority } from "../call-scope"
import type { WoowupRateLimiter } from "../rate-limiter"
import { FakeClock, maxInWindow, settle } from "./fake-clock"
import { FakeStore } from "./fake-store"

/**
 * Call priorities (issue 17, and the catalog feed's issue): orders first, then customers, products, carts and
 * storefront reads; the background feeds (products, carts) and storefront reads each get a bounded share.
 */
describe("call priorities", () => {
  it("a priority queue serves the most urgent lane first, first come first served within a lane", () => {
    const queue = new PriorityQueue<string>()
    queue.push("read 1", "storefront")
    queue.push("sync 1", "customers")
    queue.push("read 2", "storefront")
    queue.push("purchase 1", "orders")
    queue.push("sync 2", "customers")
    queue.push("purchase 2")
    expect(queue.length).toBe(6)
    const out: string[] = []
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) out.push(item)
    expect(out).toEqual(["purchase 1", "purchase 2", "sync 1", "sync 2", "read 1", "read 2"])
  })

  it("storefront reads get a quarter of requestsPerMinute, at least one", () => {
    expect(storefrontLimit(140)).toBe(35)
    expect(storefrontLimit(3)).toBe(1)
  })

  it.each([
    ["in memory", (clock: FakeClock) => new SlidingWindowRateLimiter({ limit: 60, clock })],
    ["shared (Redis)", (clock: FakeClock) => new SharedRateLimiter({ store: new FakeStore(clock), limit: 60, clock })],
  ])("%s: a purchase that comes behind 50 waiting reads is granted next, within one pace", async (_name, create) => {
    const clock = new FakeClock()
    // 60 a minute: one grant a second under a backlog.
    const limiter = create(clock)
    const granted: Array<[string, number]> = []
    const want = (name: string, priority: CallPriority) =>
      limiter.acquire({ priority }).then(
        () => granted.push([name, clock.now()]),
        () => undefined // close() rejects the reads still waiting
      )
    for (let i = 0; i < 50; i++) want(`read ${i}`, "storefront")
    await clock.advance(2_700)
    const before = granted.length
    expect(before).toBeGreaterThanOrEqual(2)
    expect(granted.every(([name]) => name.startsWith("read"))).toBe(true)
    const arrival = clock.now()
    want("sync", "customers")
    want("purchase", "orders")
    await clock.advance(3_000)
    expect(granted.slice(before, before + 3).map(([name]) => name)).toEqual(["purchase", "sync", `read ${before}`])
    // One pace at most: the grant under way, never the reads queued before it.
    expect(granted[before][1] - arrival).toBeLessThanOrEqual(1_000)
    await limiter.close()
  })

  it("connections: reads hold at most half, so a purchase always finds one while reads wait", async () => {
    const gate = new ConnectionGate(4)
    expect(gate.storefrontSize).toBe(2)
    const reads: Array<() => void> = []
    for (let i = 0; i < 10; i++) void gate.acquire(undefined, "storefront").then((release) => reads.push(release))
    await settle()
    expect(reads).toHaveLength(2)
    expect(gate.inUse).toBe(2)
    const purchase = await gate.acquire(undefined, "orders")
    const sync = await gate.acquire(undefined, "customers")
    expect(gate.inUse).toBe(4)
    // Full: the next purchase waits, and goes before the reads when a connection comes back.
    let second: (() => void) | undefined
    void gate.acquire(undefined, "orders").then((release) => (second = release))
    reads[0]()
    await settle()
    expect(second).toBeDefined()
    expect(reads).toHaveLength(2)
    purchase()
    await settle()
    // A read's connection came back only to the purchase: reads still hold one, and may take one more.
    expect(reads).toHaveLength(3)
    sync()
    second!()
    await settle()
    expect(reads).toHaveLength(3)
  })

  it("six lanes, in the issue's order: orders, customers, products, carts, storefront, then an import's history", () => {
    const queue = new PriorityQueue<string>()
    queue.push("old order", "history")
    queue.push("read", "storefront")
    queue.push("cart", "carts")
    queue.push("variant 1", "products")
    queue.push("sync", "customers")
    queue.push("variant 2", "products")
    queue.push("purchase", "orders")
    expect(queue.drain()).toEqual(["purchase", "sync", "variant 1", "variant 2", "cart", "read", "old order"])
  })

  it("an import takes the whole limit when alone, and a purchase arriving in the middle of it goes within one pace", async () => {
    const clock = new FakeClock()
    // 60 a minute, paced: one grant a second.
    const limiter = new SlidingWindowRateLimiter({ limit: 60, clock })
    const lanes = new CallLanes({ limiter, gate: new ConnectionGate(8), storefrontLimit: 15, backgroundLimit: 30, windowMs: 60_000, clock })
    const history: number[] = []
    for (let i = 0; i < 200; i++) void run(lanes, "history", () => history.push(clock.now()))
    await clock.advance(59_500)
    // No share of its own: the whole window, unlike the background feeds' half.
    expect(history.length).toBeGreaterThanOrEqual(59)
    let purchaseAt: number | undefined
    const arrival = clock.now()
    void run(lanes, "orders", () => (purchaseAt = clock.now()))
    await clock.advance(1_500)
    expect(purchaseAt! - arrival).toBeLessThanOrEqual(1_000)
    lanes.close(new Error("closed"))
    await limiter.close()
  })

  it("a scope gives every call in it, however deep, its priority, and nothing outside it", async () => {
    expect(scopedCallPriority()).toBeUndefined()
    const seen = await withCallPriority("history", async () => {
      await new Promise((r) => setTimeout(r, 1))
      return await Promise.all([Promise.resolve().then(scopedCallPriority), new Promise((r) => setImmediate(() => r(scopedCallPriority())))])
    })
    expect(seen).toEqual(["history", "history"])
    expect(scopedCallPriority()).toBeUndefined()
  })

  it("the background feeds get half of requestsPerMinute, at least one", () => {
    expect(backgroundLimit(140)).toBe(70)
    expect(backgroundLimit(35)).toBe(17)
    expect(backgroundLimit(1)).toBe(1)
  })

  /** An attempt that takes its permit and answers at once. */
  const run = (lanes: CallLanes, priority: CallPriority, onGrant: () => void) =>
    lanes.acquire(priority, { holdMs: 5_000 }).then(
      (permit: AttemptPermit) => {
        onGrant()
        permit.done()
      },
      () => undefined // close() rejects what still waits
    )

  it.each([
    ["in memory", (clock: FakeClock): WoowupRateLimiter => new SlidingWindowRateLimiter({ limit: 60, paceMs: 0, clock })],
    [
      "shared (Redis)",
      (clock: FakeClock): WoowupRateLimiter =>
        new SharedRateLimiter({ store: new FakeStore(clock), limit: 60, paceMs: 0, clock }),
    ],
  ])("%s: a backfill takes at most half of every window, so a purchase in the middle of it goes at once", async (_name, create) => {
    const clock = new FakeClock()
    const limiter = create(clock)
    // Not paced: without the share the backfill's burst would fill the whole window at once.
    const lanes = new CallLanes({ limiter, gate: new ConnectionGate(8), storefrontLimit: 15, backgroundLimit: 30, windowMs: 60_000, clock })
    const products: number[] = []
    for (let i = 0; i < 200; i++) void run(lanes, i % 10 ? "products" : "carts", () => products.push(clock.now()))
    await clock.advance(10_000)
    expect(products).toHaveLength(30)
    let purchaseAt: number | undefined
    void run(lanes, "orders", () => (purchaseAt = clock.now()))
    await clock.advance(100)
    expect(purchaseAt).toBe(10_000)
    // The backfill goes on, half a window at a time: the next 30 once the first have left the window.
    await clock.advance(49_800)
    expect(products).toHaveLength(30)
    await clock.advance(1_000)
    expect(products).toHaveLength(60)
    expect(maxInWindow(products, 60_000)).toBe(30)
    lanes.close(new Error("closed"))
    await limiter.close()
  })

  it("without the share, the same backfill would have kept the purchase waiting for the window to slide", async () => {
    const clock = new FakeClock()
    const limiter = new SlidingWindowRateLimiter({ limit: 60, paceMs: 0, clock })
    // The share as large as the window: what queue order alone gives.
    const lanes = new CallLanes({ limiter, gate: new ConnectionGate(8), storefrontLimit: 60, backgroundLimit: 60, windowMs: 60_000, clock })
    for (let i = 0; i < 200; i++) void run(lanes, "products", () => undefined)
    await clock.advance(10_000)
    let purchaseAt: number | undefined
    void run(lanes, "orders", () => (purchaseAt = clock.now()))
    await clock.advance(40_000)
    expect(purchaseAt).toBeUndefined()
    await clock.advance(20_000)
    expect(purchaseAt).toBeGreaterThanOrEqual(60_000)
    lanes.close(new Error("closed"))
    limiter.close()
  })

  it("connections: background and storefront calls hold half each, together all but a quarter; a lane past its share does not hold up the next", async () => {
    const gate = new ConnectionGate(8)
    expect([gate.backgroundSize, gate.storefrontSize, gate.sharedSize]).toEqual([4, 4, 6])
    const held: string[] = []
    const releases: Array<() => void> = []
    const want = (name: string, priority: CallPriority) =>
      void gate.acquire(undefined, priority).then((release) => {
        held.push(name)
        releases.push(release)
      })
    for (let i = 0; i < 6; i++) want(`variant ${i}`, "products")
    for (let i = 0; i < 4; i++) want(`read ${i}`, "storefront")
    await settle()
    // Four products (their half), then reads pass the products still waiting, up to six shared connections.
    expect(held).toEqual(["variant 0", "variant 1", "variant 2", "variant 3", "read 0", "read 1"])
    want("purchase", "orders")
    want("sync", "customers")
    await settle()
    expect(held.slice(6)).toEqual(["purchase", "sync"])
    expect(gate.inUse).toBe(8)
    // A product's connection comes back: the oldest waiter that may have it is the next product.
    releases[0]()
    await settle()
    expect(held[8]).toBe("variant 4")
    expect(new ConnectionGate(2).sharedSize).toBe(1)
    expect(new ConnectionGate(1).sharedSize).toBe(1)
  })
})
