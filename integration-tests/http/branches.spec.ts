import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { adminHeaders, capturePayment, placeOrder, seedStore, type AuthHeaders, type SeededStore } from "../helpers"
import { reconcileJob, useWoowupSandbox, waitForReward } from "../helpers/woowup"

// Two sales channels: the seeded webshop ("WoowUp Webshop") and a second store's channel ("WoowUp Webshop POS"),
// each mapped to its branch by name; the POS is a physical store.
const woowup = useWoowupSandbox({
  pointsPerCurrencyUnit: 1,
  branchName: {
    "WoowUp Webshop": "Online",
    "WoowUp Webshop POS": { branch: "Palermo", in_store: true },
    default: "Medusa",
  },
})

jest.setTimeout(180_000)

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let web: SeededStore
    let pos: SeededStore
    let admin: AuthHeaders

    beforeAll(async () => {
      web = await seedStore(getContainer())
      pos = await seedStore(getContainer(), { suffix: "POS", countries: ["ca"] })
      admin = await adminHeaders(getContainer())
    })

    /** An order in `store`'s sales channel, captured through the admin API, and its purchase in WoowUp. */
    async function rewarded(store: SeededStore, email: string, quantity = 2) {
      const order = await placeOrder(api, store, { email, items: [{ variant_id: store.variants.standard, quantity }] })
      await capturePayment(api, admin, order.id)
      const reward = await waitForReward(getContainer(), order.id, (r) => r.status === "synced")
      const purchase = woowup.sandbox.state.purchases.find((p) => p.invoice_number === reward.invoice_number)
      expect(purchase).toBeDefined()
      return { order, reward, purchase: purchase! }
    }

    const branchCreations = () => woowup.sandbox.requests.filter((r) => r.method === "POST" && r.path === "/branches")
    const statsPosts = () => woowup.sandbox.requests.filter((r) => r.method === "POST" && r.path === "/integration-stats")
    const audit = async (from: Date) =>
      (await api.get(`/admin/woowup/audit?from=${from.toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`, admin)).data.audit
    const branchOf = (a: any, name: string) => a.branches.find((b: any) => b.branch === name)

    it("sends each order's purchase to its sales channel's branch, and creates each branch once", async () => {
      const first = await rewarded(web, "ana@example.com")
      const second = await rewarded(pos, "beto@example.com")
      const third = await rewarded(web, "carla@example.com")

      expect(first.purchase).toMatchObject({ branch_name: "Online", channel: "web" })
      expect(second.purchase).toMatchObject({ branch_name: "Palermo", channel: "in-store" })
      expect(third.purchase).toMatchObject({ branch_name: "Online", channel: "web" })
      expect(woowup.sandbox.state.branches).toEqual([
        { name: "Online", is_web: true },
        { name: "Palermo", is_web: false },
      ])
      // Once each: the third order's branch was known, with no call at all.
      expect(branchCreations().map((r) => (r.body as any).name)).toEqual(["Online", "Palermo"])
      expect(woowup.sandbox.requests.filter((r) => r.path.startsWith("/branches/"))).toHaveLength(2)
    })

    it("audits WoowUp's stats against the plugin's records: 0 difference, then 1 for a purchase sent behind its back", async () => {
      const from = new Date(Date.now() - 1_000)
      const sent = [await rewarded(web, "dora@example.com"), await rewarded(web, "eli@example.com", 3), await rewarded(pos, "fede@example.com", 1)]
      const online = sent.filter((s) => s.purchase.branch_name === "Online")
      const revenue = (list: typeof sent) => Math.round(list.reduce((sum, s) => sum + (s.purchase.prices as any).total, 0) * 100) / 100

      const agreed = await audit(from)
      expect(branchOf(agreed, "Online")).toMatchObject({
        plugin: { purchases: 2, revenue: revenue(online), units: 5 },
        woowup: { purchases: 2, revenue: revenue(online), units: 5, customers: 2 },
        difference: { purchases: 0, revenue: 0, units: 0 },
        pending: 0,
        causes: [],
      })
      expect(branchOf(agreed, "Palermo")).toMatchObject({ plugin: { purchases: 1, units: 1 }, difference: { purchases: 0, revenue: 0, units: 0 } })
      expect(agreed.difference).toEqual({ purchases: 0, revenue: 0, units: 0 })

      // Another integration (a POS) records a purchase in the same branch: the plugin never heard of it.
      woowup.sandbox.state.purchases.push({
        id: "pos-1",
        service_uid: "someone-else",
        invoice_number: "POS-0001",
        branch_name: "Online",
        createtime: new Date().toISOString().replace(/\.\d{3}Z$/, "+00:00"),
        prices: { total: 12.5 },
        purchase_detail: [{ sku: "OTHER", quantity: 1, unit_price: 12.5 }],
      })
      const differs = await audit(from)
      expect(branchOf(differs, "Online")).toMatchObject({ difference: { purchases: 1, revenue: 12.5, units: 1 } })
      expect(branchOf(differs, "Online").causes[0]).toMatch(/another integration/)
      expect(branchOf(differs, "Palermo").difference).toEqual({ purchases: 0, revenue: 0, units: 0 })
      expect(differs.difference).toEqual({ purchases: 1, revenue: 12.5, units: 1 })
    })

    it("refuses an audit window it cannot read, naming the field", async () => {
      const bad = await api.get(`/admin/woowup/audit?from=yesterday`, admin).catch((e: any) => e.response)
      expect(bad.status).toBe(400)
      expect(bad.data.message).toMatch(/from must be an ISO 8601 date/)
      const reversed = await api
        .get(`/admin/woowup/audit?from=2026-12-02&to=2026-12-01`, admin)
        .catch((e: any) => e.response)
      expect(reversed.status).toBe(400)
      expect(reversed.data.message).toMatch(/from must be before to/)
    })

    it("posts the integration's counts once per reconcile run with activity, none for a run without", async () => {
      const job = reconcileJob(getContainer)
      await job.run() // reports what earlier tests synced
      const before = statsPosts().length
      const { purchase } = await rewarded(pos, "gabi@example.com", 4)

      await job.run()
      expect(statsPosts()).toHaveLength(before + 1)
      expect(woowup.sandbox.state.integrationStats.at(-1)).toMatchObject({
        purchases: { created: 1, updated: 0, duplicated: 0, failed: [], revenue: (purchase.prices as any).total, units: 4 },
        customers: { created: 0, updated: 0, failed: [] },
        products: { created: 0, updated: 0, failed: [] },
      })

      await job.run()
      expect(statsPosts()).toHaveLength(before + 1)
    })
  },
})
