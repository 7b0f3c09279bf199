import { inspect } from "node:util"
import { WoowupClient } from "../woowup-client"

const API_KEY = "wu_live_SECRET_5e2a9c1d7f3b"

describe("WoowupClient without the network", () => {
  const client = new WoowupClient({
    apiKey: API_KEY,
    apiUrl: "https://user:pass@api.woowup.com/apiv3?x=1",
    timeoutMs: 1_000,
    maxRetries: 1,
    requestsPerMinute: 140,
    retryBaseDelayMs: 10,
    retryMaxDelayMs: 100,
  })

  afterAll(() => client.close())

  it("keeps the API key out of util.inspect, JSON.stringify and its properties", () => {
    const printed = [inspect(client, { depth: 10, showHidden: true }), JSON.stringify(client), String(client)]
    for (const text of printed) {
      expect(text).not.toContain(API_KEY)
      expect(text).not.toContain("pass")
    }
    expect(Object.values(client)).not.toContain(API_KEY)
    expect((client as unknown as Record<string, unknown>).apiKey).toBeUndefined()
    expect(JSON.parse(JSON.stringify(client))).toEqual({
      apiUrl: "https://api.woowup.com/apiv3",
      usage: { used: 0, limit: 140, windowMs: 60_000, paused_until: null, source: "memory" },
    })
  })

  it("paces its limiter at windowMs / requestsPerMinute by default", () => {
    expect((client.limiter as unknown as { paceMs: number }).paceMs).toBeCloseTo(60_000 / 140)
  })
})
