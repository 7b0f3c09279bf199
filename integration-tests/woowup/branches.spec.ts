import { WoowupClient, WoowupError, branchPath } from "../../src/modules/woowup/client"
import { startWoowupSandbox, type WoowupSandbox } from "../../src/sandbox"

/**
 * The account calls (`/branches`, `/integration-stats`, `/stats`) through the real client against the sandbox, over
 * real HTTP: a branch created once however many ask, the stats per branch and window, and bodies refused before
 * anything is sent.
 */

jest.setTimeout(30_000)

const API_KEY = "wu_live_BRANCHES_KEY_3f9a"
let sandbox: WoowupSandbox
let client: WoowupClient

beforeAll(async () => {
  sandbox = await startWoowupSandbox({ apiKey: API_KEY })
  client = new WoowupClient({
    apiKey: API_KEY,
    apiUrl: sandbox.url,
    timeoutMs: 400,
    maxRetries: 2,
    requestsPerMinute: 1_000,
    retryBaseDelayMs: 20,
    retryMaxDelayMs: 100,
  })
})
beforeEach(() => sandbox.reset())
afterAll(async () => {
  await client.close()
  await sandbox.close()
})

describe("branches", () => {
  it("creates a branch once: a second creation, even at the same moment, finds it there", async () => {
    expect(await client.findBranch("Palermo Soho")).toBeNull()
    const outcomes = await Promise.all([
      client.createBranch({ name: "Palermo Soho", is_web: false }),
      client.createBranch({ name: "Palermo Soho", is_web: false }),
    ])
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(["created", "exists"])
    expect(sandbox.state.branches).toEqual([{ name: "Palermo Soho", is_web: false }])
    expect(await client.findBranch("Palermo Soho")).toMatchObject({ name: "Palermo Soho", is_web: false })
    // The name travels base64- then URL-encoded.
    expect(sandbox.requests.at(-1)?.path).toBe(branchPath("Palermo Soho"))
  })

  it("refuses a branch without a name or is_web before sending anything", async () => {
    const error = await client.createBranch({ name: " ", is_web: true }).catch((e) => e)
    expect(error).toBeInstanceOf(WoowupError)
    expect((error as WoowupError).code).toBe("invalid_argument")
    expect((error as WoowupError).message).toMatch(/name/)
    expect(sandbox.requests).toHaveLength(0)
  })
})

describe("stats", () => {
  const purchase = (invoice: string, branch: string, createtime: string, total: number, quantity: number) => ({
    id: invoice,
    service_uid: `uid-${invoice}`,
    invoice_number: invoice,
    branch_name: branch,
    createtime,
    prices: { total },
    purchase_detail: [{ sku: "SKU-1", quantity, unit_price: total / quantity }],
  })

  it("answers /stats from the purchases of the window, in all and per branch", async () => {
    sandbox.state.purchases.push(
      purchase("A1", "Online", "2026-12-01T10:00:00+00:00", 10, 2),
      purchase("A2", "Online", "2026-12-01T11:00:00+00:00", 5.5, 1),
      purchase("B1", "Palermo", "2026-12-01T12:00:00+00:00", 20, 4),
      purchase("C1", "Online", "2026-11-01T12:00:00+00:00", 99, 9)
    )
    const window = { from: "2026-12-01T00:00:00+00:00", to: "2026-12-02T00:00:00+00:00" }
    const all = await client.getStats(window)
    expect(all).toMatchObject({ total_purchases: 3, total_revenue: 35.5, total_invoice_items: 7, total_customers: 3 })
    expect(all.per_branches).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ branch: "Online", total_purchases: 2, total_revenue: 15.5, total_invoice_items: 3 }),
        expect.objectContaining({ branch: "Palermo", total_purchases: 1, total_revenue: 20, total_invoice_items: 4 }),
      ])
    )
    const online = await client.getStats({ ...window, branch: "Online" })
    expect(online).toMatchObject({ total_purchases: 2, total_revenue: 15.5 })
    expect(online.per_branches).toHaveLength(1)
  })

  it("keeps the integration stats as sent, and refuses a body it cannot take", async () => {
    await client.postIntegrationStats({
      purchases: { created: 2, updated: 0, duplicated: 0, failed: [], revenue: 15.5, units: 3 },
      customers: { created: 1, updated: 0, failed: [{ element: "cus_1", message: "no email" }] },
    })
    expect(sandbox.state.integrationStats).toEqual([
      expect.objectContaining({
        purchases: { created: 2, updated: 0, duplicated: 0, failed: [], revenue: 15.5, units: 3 },
        customers: { created: 1, updated: 0, failed: [{ element: "cus_1", message: "no email" }] },
      }),
    ])
    const error = await client.postIntegrationStats({ purchases: { created: -1 } } as any).catch((e) => e)
    expect((error as WoowupError).code).toBe("invalid_argument")
    expect((error as WoowupError).message).toMatch(/purchases/)
    expect(sandbox.state.integrationStats).toHaveLength(1)
  })
})
