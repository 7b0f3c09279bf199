import type { SandboxRequest, WoowupSandbox } from "../../src/sandbox"

/** What the WoowUp sandbox saw, in the numbers the rate-limit promises are about. */
export type TrafficSummary = {
  /** API requests that took a rate slot (answered by the API, or stored and then dropped). */
  accepted: number
  /** 429 answers: a request over the limit reached WoowUp. */
  tooMany: number
  /** The most accepted requests in any 60 s window (by arrival), and when that window started. */
  maxInWindow: number
  maxWindowStart: number | null
  byPath: Record<string, number>
}

/** Requests that count against WoowUp's limit: not 429s, and not faults injected in front of the API. */
function tookSlot(r: SandboxRequest): boolean {
  return r.status !== 429 && (r.fault === undefined || r.fault === "drop-after-store")
}

/** The sliding-window view of the sandbox's log (optionally only requests at or after `since`). */
export function summarizeTraffic(sandbox: WoowupSandbox, { since = 0, windowMs = 60_000 } = {}): TrafficSummary {
  const requests = sandbox.requests.filter((r) => r.time >= since)
  const times = requests.filter(tookSlot).map((r) => r.time).sort((a, b) => a - b)
  let maxInWindow = 0
  let maxWindowStart: number | null = null
  for (let i = 0, j = 0; j < times.length; j++) {
    while (times[j] - times[i] >= windowMs) {
      i++
    }
    if (j - i + 1 > maxInWindow) {
      maxInWindow = j - i + 1
      maxWindowStart = times[i]
    }
  }
  const byPath: Record<string, number> = {}
  for (const r of requests) {
    const key = `${r.method} ${r.path} ${r.status}`
    byPath[key] = (byPath[key] ?? 0) + 1
  }
  return {
    accepted: times.length,
    tooMany: requests.filter((r) => r.status === 429).length,
    maxInWindow,
    maxWindowStart,
    byPath,
  }
}

/** Runs `work` on every item, at most `limit` at a time, in order of the items. */
export async function forEachLimit<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      await work(items[i], i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/**
 * Runs work one at a time per key (and anything else at once): Medusa 2.21 creates a guest customer when a cart
 * gets its email, and two carts of one new guest email completing at once collide on it ("Customer with email ...
 * already exists"), so a test places one guest's orders one after another.
 */
export function onePerKey(): <T>(key: string, work: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<unknown>>()
  return (key, work) => {
    const run = (tails.get(key) ?? Promise.resolve()).then(work, work)
    tails.set(key, run.catch(() => {}))
    return run
  }
}
