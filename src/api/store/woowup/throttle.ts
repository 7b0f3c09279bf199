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
