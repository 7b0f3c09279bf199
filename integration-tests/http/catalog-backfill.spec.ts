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
const LIMIT = 1200
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
    const pending = async () =>
      (await pg().raw(`SELECT COUNT(*)::int AS count FROM woowup_product_sync WHERE status = 'pending'`)).rows[0].count
    const catalogCalls = () => woowup.sandbox.requests.filter((r) => r.path.startsWith("/products")).length

    it("sends every purchase during a backfill of 500 variants within a few catalog calls of its capture", async () => {
      // 100 products of 5 variants, made through the product module (as an import would): their syncs, if any
      // event starts them, are let finish, then forgotten, so the catalog is one WoowUp has never seen.
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
          }))
        )
      for (let i = 0; i < 600 && (await pending()) > 0; i++) {
        await new Promise((r) => setTimeout(r, 100))
      }
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
