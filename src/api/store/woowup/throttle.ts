import type { AuthenticatedMedusaRequest, MedusaNextFunction, MedusaResponse } from "@medusajs/framework/http"

/** Points reads one customer may make per minute, per server process; past it: 429 with `Retry-After`. */
export const STORE_READS_PER_MINUTE = 30
const WINDOW_MS = 60_000
/** Customers remembered at once: the oldest are forgotten first, so memory stays bounded under any number of them. */
const MAX_CUSTOMERS = 10_000

type Count = { start: number; count: number }

/**
 * Throttles a customer's points reads (`GET /store/customers/me/woowup`). The cache already keeps WoowUp to one
 * read per customer per `storeCacheSeconds`; this keeps one account from flooding the server, with a clear 429
 * of the store's own.
 */
export function throttleCustomerReads(limit = STORE_READS_PER_MINUTE) {
  const counts = new Map<string, Count>()
  return (req: AuthenticatedMedusaRequest, res: MedusaResponse, next: MedusaNextFunction) => {
    const customer = req.auth_context?.actor_id
    if (!customer) {
      return next()
    }
    const now = Date.now()
    let count = counts.get(customer)
    if (!count || now - count.start >= WINDOW_MS) {
      counts.delete(customer)
      count = { start: now, count: 0 }
      counts.set(customer, count)
      if (counts.size > MAX_CUSTOMERS) {
        counts.delete(counts.keys().next().value!)
      }
    }
    if (++count.count > limit) {
      const seconds = Math.max(1, Math.ceil((count.start + WINDOW_MS - now) / 1000))
      res.setHeader("Retry-After", String(seconds))
      res.status(429).json({
        type: "too_many_requests",
        message: `Too many points reads: at most ${limit} a minute. Try again in ${seconds} s.`,
      })
      return
    }
    next()
  }
}

/** Points reads a server process works on at once; the others wait their turn, a bounded line. */
export const STORE_READS_AT_ONCE = 4
const MAX_WAITING = 200
const MAX_WAIT_MS = 5_000

/**
 * Bounds the points reads one process works on at once. Each read runs a workflow: a hundred at once would share
 * the event loop with the admin's capture (and its purchase) a hundred ways. Past the line, or after waiting
 * `MAX_WAIT_MS`, a read is answered `503` with `Retry-After`, a clear answer of the store's own.
 */
export function limitConcurrentReads(atOnce = STORE_READS_AT_ONCE) {
  let active = 0
  const waiting: Array<() => void> = []
  const release = () => {
    active--
    const next = waiting.shift()
    if (next) {
      next()
    }
  }
  const busy = (res: MedusaResponse) => {
    res.setHeader("Retry-After", "1")
    res.status(503).json({ type: "woowup_busy", message: "Too many points reads at once: try again in a second." })
  }
  return (req: AuthenticatedMedusaRequest, res: MedusaResponse, next: MedusaNextFunction) => {
    const run = () => {
      active++
      let done = false
      const finish = () => {
        if (!done) {
          done = true
          release()
        }
      }
      res.once("finish", finish)
      res.once("close", finish)
      next()
    }
    if (active < atOnce) {
      return run()
    }
    if (waiting.length >= MAX_WAITING) {
      return busy(res)
    }
    const timer = setTimeout(() => {
      const i = waiting.indexOf(turn)
      if (i >= 0) {
        waiting.splice(i, 1)
        busy(res)
      }
    }, MAX_WAIT_MS)
    const turn = () => {
      clearTimeout(timer)
      run()
    }
    waiting.push(turn)
  }
}
