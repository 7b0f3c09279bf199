/**
 * The bench's row "capture → WoowUp p50 under a storefront flood, against without one" (issue 17): on the app with
 * the plugin (`medusa start`), captures alternate between a quiet store and one where 100 storefront points reads
 * (10 customers, 10 different pages each, customers WoowUp knows) arrive just before the capture. What is timed is
 * the same as the capture row's: from the capture route's answer to WoowUp storing the purchase.
 */
import { httpClient, loginOrRegisterCustomer, verifyWoowupIdentity, type AuthHeaders } from "../integration-tests/helpers"
import type { WoowupSandbox } from "../src/sandbox"
import { timedCapture, watchStoredPurchases } from "./capture-timing"
import { percentile, round } from "./util"

export type FloodFigures = {
  /** Captures timed on a quiet store, and as many under a flood. */
  captures: number
  reads_per_flood: number
  readers_per_flood: number
  latency_ms: number
  capture_to_woowup: { quiet: { p50_ms: number; p95_ms: number }; flood: { p50_ms: number; p95_ms: number } }
  /** The admin's capture request itself, on a quiet store and under the flood. */
  capture_route: { quiet_p50_ms: number; flood_p50_ms: number }
  /** The storefront's answers during the floods, by status. */
  reads_by_status: Record<string, number>
  /** WoowUp calls the floods cost (find and transactions), and the most any one reader cost. */
  woowup_reads: number
  max_woowup_reads_per_reader: number
}

export const READERS_PER_FLOOD = 10
export const PAGES_PER_READER = 10

export async function captureUnderFlood(opts: {
  url: string
  admin: AuthHeaders
  publishableKey: string
  sandbox: WoowupSandbox
  /** Authorized orders of customers WoowUp knows: half captured quietly, half under a flood. */
  orders: Array<{ order_id: string; payment_id: string }>
  say: (line: string) => void
}): Promise<FloodFigures> {
  const { url, admin, sandbox } = opts
  const latencyMs = 100
  const captures = Math.floor(opts.orders.length / 2)
  const api = httpClient(url)
  const post = (p: string, body: unknown) =>
    fetch(`${sandbox.url}${p}`, {
      method: "POST",
      headers: { authorization: `Basic ${sandbox.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    })

  // Fresh readers for each flood, so that each one reaches WoowUp (a cached reader would cost nothing).
  const tag = Date.now().toString(36)
  const readers: Array<Array<{ email: string; token: string }>> = []
  for (let f = 0; f < captures; f++) {
    const group = []
    for (let r = 0; r < READERS_PER_FLOOD; r++) {
      const email = `reader.${tag}.${f}.${r}@example.com`
      const { id, token } = await loginOrRegisterCustomer(api, { publishableKey: opts.publishableKey }, { email, password: "secret-123", first_name: "Reader", last_name: `${f}.${r}` })
      // Only a proven identity reads WoowUp (README, "Proven identities"): an unproven reader would cost nothing.
      await verifyWoowupIdentity(api, admin, id)
      await post("/users", { email })
      await post("/multiusers/points", { email, points: 5, concept: "gift", description: "welcome" })
      group.push({ email, token })
    }
    readers.push(group)
  }

  const purchases = watchStoredPurchases(sandbox)
  sandbox.setFaults({ latencyMs })
  const capture = (paymentId: string) => timedCapture(url, paymentId, admin)
  const read = async (token: string, offset: number) => {
    const res = await fetch(`${url}/store/customers/me/woowup?limit=1&offset=${offset}`, {
      headers: { "x-publishable-api-key": opts.publishableKey, authorization: `Bearer ${token}` },
    })
    await res.arrayBuffer()
    return res.status
  }

  const quiet: number[] = []
  const flood: number[] = []
  const quietRoute: number[] = []
  const floodRoute: number[] = []
  const statuses: Record<string, number> = {}
  const readsBefore = sandbox.requests.length
  try {
    for (let i = 0; i < captures; i++) {
      const calm = opts.orders[2 * i]
      const busy = opts.orders[2 * i + 1]
      const q = await capture(calm.payment_id)
      quiet.push((await purchases.storedAt(calm.order_id)) - q.at)
      quietRoute.push(q.ms)
      await new Promise((r) => setTimeout(r, 300))

      const reads = readers[i].flatMap(({ token }) => Array.from({ length: PAGES_PER_READER }, (_, page) => read(token, page)))
      // The reads reach the app first: the purchase must overtake them.
      await new Promise((r) => setTimeout(r, 150))
      const b = await capture(busy.payment_id)
      flood.push((await purchases.storedAt(busy.order_id)) - b.at)
      floodRoute.push(b.ms)
      for (const status of await Promise.all(reads)) {
        statuses[status] = (statuses[status] ?? 0) + 1
      }
      await new Promise((r) => setTimeout(r, 300))
    }
  } finally {
    purchases.stop()
    sandbox.setFaults({})
  }
  const woowupReads = sandbox.requests
    .slice(readsBefore)
    .filter((r) => r.method === "GET" && (r.path === "/multiusers/find" || r.path === "/multiusers/transactions"))
  const perReader = new Map<string, number>()
  for (const r of woowupReads) {
    perReader.set(r.query.email, (perReader.get(r.query.email) ?? 0) + 1)
  }
  const p = (xs: number[], q: number) => round(percentile(xs, q), 1)
  opts.say(`  ${captures} quiet and ${captures} flooded captures; reads answered ${JSON.stringify(statuses)}`)
  return {
    captures,
    reads_per_flood: READERS_PER_FLOOD * PAGES_PER_READER,
    readers_per_flood: READERS_PER_FLOOD,
    latency_ms: latencyMs,
    capture_to_woowup: { quiet: { p50_ms: p(quiet, 50), p95_ms: p(quiet, 95) }, flood: { p50_ms: p(flood, 50), p95_ms: p(flood, 95) } },
    capture_route: { quiet_p50_ms: p(quietRoute, 50), flood_p50_ms: p(floodRoute, 50) },
    reads_by_status: statuses,
    woowup_reads: woowupReads.length,
    max_woowup_reads_per_reader: Math.max(0, ...perReader.values()),
  }
}

/** The table's row, and whether the issue's bound (the purchase within 2 s of the capture) held. */
export function floodRow(f: FloodFigures): { row: [string, string]; ok: boolean; miss: string } {
  return {
    row: [
      `Capture → WoowUp p50 under a storefront flood (${f.reads_per_flood} reads of ${f.readers_per_flood} customers per capture), against without one`,
      `flood p50 ${round(f.capture_to_woowup.flood.p50_ms, 1)} ms, p95 ${round(f.capture_to_woowup.flood.p95_ms, 1)} ms; quiet p50 ${round(f.capture_to_woowup.quiet.p50_ms, 1)} ms ` +
        `(${f.captures} each, WoowUp answering in ${f.latency_ms} ms); capture route p50 ${round(f.capture_route.flood_p50_ms, 1)} vs ${round(f.capture_route.quiet_p50_ms, 1)} ms; ` +
        `reads ${Object.entries(f.reads_by_status).map(([s, n]) => `${n}× ${s}`).join(", ")}; ${f.woowup_reads} WoowUp reads, at most ${f.max_woowup_reads_per_reader} per customer`,
    ],
    ok: f.capture_to_woowup.flood.p95_ms < 2_000 && f.max_woowup_reads_per_reader <= 2,
    miss: `under a storefront flood capture → WoowUp p95 ${round(f.capture_to_woowup.flood.p95_ms, 1)} ms (target under 2 s), at most ${f.max_woowup_reads_per_reader} WoowUp reads per customer (target 2: find and transactions)`,
  }
}
