import type { LimiterClock } from "../rate-limiter"

/** Lets every pending promise callback run (a macrotask comes after all microtasks). */
export const settle = () => new Promise<void>((r) => setImmediate(r))

/** A manual clock for limiter tests: timers fire only in `advance()`, in time order. */
export class FakeClock implements LimiterClock {
  private t = 0
  private seq = 0
  private timers = new Map<number, { at: number; fn: () => void }>()

  now(): number {
    return this.t
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq
    this.timers.set(id, { at: this.t + Math.max(0, ms), fn })
    return id
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number)
  }
  /** Moves time forward to `now + ms`, firing due timers and settling promises after each. */
  async advance(ms: number): Promise<void> {
    await settle()
    const end = this.t + ms
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined
      for (const entry of this.timers) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry
      if (!next) break
      this.timers.delete(next[0])
      this.t = Math.max(this.t, next[1].at)
      next[1].fn()
      await settle()
    }
    this.t = end
    await settle()
  }
}

/** Max number of `times` inside any half-open window of `windowMs`. */
export function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let max = 0
  for (let lo = 0, hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] >= windowMs) lo++
    max = Math.max(max, hi - lo + 1)
  }
  return max
}
