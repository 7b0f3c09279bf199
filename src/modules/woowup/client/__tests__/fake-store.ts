import type { RateLimitStore, StoreAcquireRequest, StoreReply } from "../shared-limiter-store"
import type { FakeClock } from "./fake-clock"

/**
 * The store's rules as the Lua scripts in redis-store.ts apply them, on the fake clock (the scripts themselves
 * run against a real Redis in integration-tests/woowup/shared-rate-limit.spec.ts). `down` makes every call fail.
 */
export class FakeStore implements RateLimitStore {
  down = false
  calls = 0
  readonly window = new Map<string, number>()
  due = 0
  pausedUntil = 0
  seeded: number[] = []
  closed = false

  constructor(private readonly clock: FakeClock) {}

  private check(): number {
    this.calls++
    if (this.down) throw new Error("connect ECONNREFUSED")
    return this.clock.now()
  }

  private trim(now: number, windowMs: number): void {
    for (const [member, from] of this.window) if (from <= now - windowMs) this.window.delete(member)
  }

  async acquire(r: StoreAcquireRequest): Promise<StoreReply> {
    const now = this.check()
    this.trim(now, r.windowMs)
    const used = this.window.size
    const pausedUntil = this.pausedUntil > 0 ? this.pausedUntil : null
    if (this.pausedUntil > now) return { granted: false, waitMs: this.pausedUntil - now, used, pausedUntil, inFlight: false }
    if (used >= r.limit) {
      const first = Math.min(...this.window.values())
      return { granted: false, waitMs: Math.max(1, Math.ceil(first + r.windowMs - now)), used, pausedUntil, inFlight: first > now }
    }
    const free = this.due - r.paceMs / 2
    if (free > now) return { granted: false, waitMs: Math.max(1, Math.ceil(free - now)), used, pausedUntil, inFlight: false }
    this.window.set(r.member, now + r.holdMs)
    this.due = Math.max(this.due, now) + r.paceMs
    return { granted: true, used: used + 1, pausedUntil }
  }

  async complete(member: string): Promise<void> {
    this.window.set(member, this.check())
  }

  async pause(ms: number): Promise<number> {
    const now = this.check()
    this.pausedUntil = Math.max(this.pausedUntil, now + ms)
    return this.pausedUntil
  }

  async usage(windowMs: number): Promise<{ used: number; pausedUntil: number | null }> {
    const now = this.check()
    this.trim(now, windowMs)
    return { used: this.window.size, pausedUntil: this.pausedUntil > now ? this.pausedUntil : null }
  }

  async seed(agesMs: number[]): Promise<void> {
    const now = this.check()
    agesMs.forEach((age, i) => this.window.set(`seed:${now}:${i}`, now - age))
    this.seeded.push(...agesMs)
  }

  async close(): Promise<void> {
    this.closed = true
  }
}
