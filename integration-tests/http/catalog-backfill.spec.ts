/**
 * Issue 19: a catalog backfill never delays a purchase. A backfill of 500 variants (the admin's resync of every
 * product) runs while orders are captured through the admin API; each purchase reaches WoowUp while the backfill is
 * still under way, past a handful of catalog calls at most, not behind the backlog.
 */
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import woowupReconcileJob from "../../src/jobs/woowup-reconcile"
import { adminHeaders, capturePayment, placeOrder, seedStore, type AuthHeaders, type SeededStore } from "../helpers"
import { useWoowupSandbox, waitForReward } from "../helpers/woowup"

// Fast enough for the test's time, slow enough that a backfill of 500 takes longer than a few orders.
const LIMIT = 3000
const VARIANTS = 500
const ORDERS = 3

const woowup = useWoowupSandbox(
  {
    pointsPerCurrencyUnit: 1,
    requestsPerMinute: LIMIT,
    catalog: { enabled: true, currency: "usd", backfillOnStart: true },
    reconcile: { enabled: false, schedule: "*/15 * * * *" },
  },
  { requestsPerMinute: LIMIT }
)

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let admin: AuthHeaders

    beforeAll(async () => {
      store = await seedStore(getContainer())
      admin = await adminHeaders(getContainer())
    })

    const pg = () => getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
    const catalogCalls = () => woowup.sandbox.requests.filter((r) => r.path.startsWith("/products")).length

    it("sends every purchase during a backfill of 500 variants within a few catalog calls of its capture", async () => {
      // 100 products of 5 variants, made through the product module (as an import would), their events held in
      // a group that is then dropped: a catalog WoowUp has never seen, and no sync under way.
      const eventGroupId = "catalog-backfill-import"
      await getContainer()
        .resolve(Modules.PRODUCT)
        .createProducts(
          Array.from({ length: VARIANTS / 5 }, (_, p) => ({
            title: `Backfill ${p}`,
            status: "published" as const,
            options: [{ title: "Size", values: ["XS", "S", "M", "L", "XL"] }],
            variants: ["XS", "S", "M", "L", "XL"].map((size) => ({
              title: size,
              sku: `BF-${p}-${size}`,
              options: { Size: size },
            })),
          })),
          { eventGroupId }
        )
      await getContainer().resolve(Modules.EVENT_BUS).clearGroupedEvents(eventGroupId)
      // Forgotten, with whatever the seed's own variants left (their syncs may still be on the wire).
      await pg().raw(`DELETE FROM woowup_product_sync`)
      woowup.sandbox.reset()

      const { data } = await api.post(`/admin/woowup/resync`, { products: "all" }, admin)
      expect(data.resync.products_found).toBeGreaterThanOrEqual(VARIANTS)
      const total = data.resync.products_found

      const figures: Array<{ ms: number; catalogCallsBetween: number; catalogDone: number }> = []
      for (let i = 0; i < ORDERS; i++) {
        const order = await placeOrder(api, store, {
          email: `backfill-${i}@example.com`,
          items: [{ variant_id: store.variants.standard, quantity: 1 }],
        })
        const before = catalogCalls()
        const capturedAt = Date.now()
        await capturePayment(api, admin, order.id)
        let arrived: number | undefined
        for (let t = 0; t < 1200 && arrived === undefined; t++) {
          if (woowup.sandbox.state.purchases.some((p) => p.invoice_number === order.id)) {
            arrived = Date.now()
          } else {
            await new Promise((r) => setTimeout(r, 25))
          }
        }
        expect(arrived).toBeDefined()
        figures.push({ ms: arrived! - capturedAt, catalogCallsBetween: catalogCalls() - before, catalogDone: catalogCalls() })
        await waitForReward(getContainer(), order.id, (r) => r.status === "synced")
      }
      // The backfill goes on to the end, one call per variant.
      for (let i = 0; i < 1200; i++) {
        const { data: run } = await api.get(`/admin/woowup/resync/${data.resync.id}`, admin)
        if (run.resync.status === "done") {
          expect(run.resync).toMatchObject({ products_found: total, products_sent: total, products_failed: 0 })
          break
        }
        await new Promise((r) => setTimeout(r, 100))
      }
      expect(woowup.sandbox.state.products.length).toBeGreaterThanOrEqual(VARIANTS)
      console.info(`catalog backfill of ${total} variants, captures during it: ${JSON.stringify(figures)}`)
      for (const figure of figures) {
        // The backfill was still under way when the purchase arrived, and the purchase waited for a few catalog
        // calls at most (those on the wire, and those granted while its own workflow ran), never the backlog.
        expect(figure.catalogDone).toBeLessThan(total)
        expect(figure.catalogCallsBetween).toBeLessThan(40)
      }
    })

    it("asks for the backfill once, from the job's first tick, on a store whose catalog was never sent", async () => {
      const runs = async () =>
        (await pg().raw(`SELECT id FROM woowup_reconcile_run WHERE all_products AND deleted_at IS NULL`)).rows.length
      // As on the day the plugin is installed: no variant ever synced, no backfill asked for.
      await pg().raw(`DELETE FROM woowup_product_sync`)
      await pg().raw(`DELETE FROM woowup_reconcile_run`)
      await woowupReconcileJob(getContainer())
      expect(await runs()).toBe(1)
      await woowupReconcileJob(getContainer())
      await woowupReconcileJob(getContainer())
      expect(await runs()).toBe(1)
    })
  },
})
