import { ConnectionGate } from "../connection-gate"
import { PriorityQueue, type CallPriority } from "../fifo"
import { SlidingWindowRateLimiter } from "../rate-limiter"
import { SharedRateLimiter } from "../shared-rate-limiter"
import { storefrontLimit } from "../lanes"
import { FakeClock, settle } from "./fake-clock"
import { FakeStore } from "./fake-store"

/** Call priorities (issue 17): orders first, then customers, then storefront reads, which get a bounded share. */
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
})
