/**
 * WoowUp's per-account limit as an exact sliding log: at most `limit` accepted requests in any
 * `windowMs`. Refused requests take no slot.
 */
export class SlidingWindowLimiter {
  private accepted: number[] = []

  constructor(
    readonly limit: number,
    readonly windowMs: number
  ) {}

  private prune(now: number): void {
    const since = now - this.windowMs
    let drop = 0
    while (drop < this.accepted.length && this.accepted[drop] <= since) drop++
    if (drop) this.accepted.splice(0, drop)
  }

  /** Takes a slot at `now` if one is free. */
  take(now: number): boolean {
    this.prune(now)
    if (this.accepted.length >= this.limit) return false
    this.accepted.push(now)
    return true
  }

  /** Whole seconds until a slot frees (at least 1). */
  retryAfterSeconds(now: number): number {
    this.prune(now)
    if (this.accepted.length < this.limit) return 1
    const frees = this.accepted[this.accepted.length - this.limit] + this.windowMs
    return Math.max(1, Math.ceil((frees - now) / 1000))
  }

  /** Values of the x-rate-limit-* headers; `reset` is the whole seconds until the oldest slot frees (0 when none is taken). */
  headers(now: number): Record<string, string> {
    this.prune(now)
    const oldest = this.accepted[0]
    const reset = oldest === undefined ? 0 : Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000))
    return {
      "x-rate-limit-limit": String(this.limit),
      "x-rate-limit-remaining": String(Math.max(0, this.limit - this.accepted.length)),
      "x-rate-limit-reset": String(reset),
    }
  }

  reset(): void {
    this.accepted = []
  }
}
