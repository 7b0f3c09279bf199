/**
 * Issue 19: the catalog in WoowUp. Products made and changed through the admin API, a real app, the WoowUp sandbox
 * over HTTP: one WoowUp product per variant under the SKU its purchases carry, a call only when what is sent
 * changed, the job for what no event announces and for what failed.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { SandboxProduct } from "../../src/sandbox"
import {
  adminHeaders,
  capturePayment,
  placeOrder,
  request,
  seedStore,
  type AuthHeaders,
  type SeededStore,
} from "../helpers"
import { createCatalogProduct } from "../helpers/catalog"
import { afterEvent, reconcileJob, useWoowupSandbox, waitForReward } from "../helpers/woowup"

// Catalog calls get half the limit: raised so that the tests do not wait on the pacing.
const LIMIT = 600
const woowup = useWoowupSandbox(
  {
    pointsPerCurrencyUnit: 1,
    requestsPerMinute: LIMIT,
    // The test app's store keeps Medusa's default currency (eur); the seeded region sells in usd.
    catalog: { enabled: true, currency: "usd" },
    storefrontUrl: "https://shop.example/products/{handle}",
    reconcile: { enabled: false, schedule: "*/15 * * * *" },
  },
  { requestsPerMinute: LIMIT }
)

/**
 * Waits until no variant's sync is under way. An event's handler may find a variant held by another event's (a
 * product's creation emits one per variant too), which then syncs it once more: the handler awaited is not the last.
 */
async function settled(container: MedusaContainer) {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  let quiet = 0
  for (let i = 0; i < 600 && quiet < 3; i++) {
    const [{ count }] = (await pg.raw(`SELECT COUNT(*)::int AS count FROM woowup_product_sync WHERE status = 'pending'`)).rows
    quiet = count === 0 ? quiet + 1 : 0
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** The product sync record of a variant. */
async function productSync(container: MedusaContainer, variantId: string) {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  const [row] = await pg.raw(`SELECT * FROM woowup_product_sync WHERE variant_id = ?`, [variantId]).then((r: any) => r.rows)
  return row
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let admin: AuthHeaders

    beforeAll(async () => {
      store = await seedStore(getContainer())
      admin = await adminHeaders(getContainer())
      // The seed's own products are synced in the background: done before the first test counts calls.
      await settled(getContainer())
    })

    const job = reconcileJob(getContainer)
    const calls = () => woowup.sandbox.requests.filter((r) => r.path.startsWith("/products"))
    const callLines = () => calls().map((r) => `${r.method} ${r.path} ${r.status}`)
    const product = (sku: string): SandboxProduct | undefined => woowup.sandbox.state.products.find((p) => p.sku === sku)
    const post = (what: string, path: string, body: unknown) => request(what, "post", api, path, body, admin)
    /** Makes the change, waits for its event's handlers, then for every sync they started. */
    const changed = async <T>(event: string, action: () => Promise<T>) => {
      const result = await afterEvent(getContainer(), event, action)
      await settled(getContainer())
      return result
    }
    const created = async (prefix: string) => {
      const tee = await createCatalogProduct(api, admin, getContainer(), store, prefix)
      await settled(getContainer())
      return tee
    }

    it("sends each variant once, with its fields, under the SKU its purchases carry", async () => {
      const tee = await created("CAT")
      // Created: one POST each; the stock level then moves the stocked one (0 → 7: a PUT).
      expect(callLines()).toEqual([
        expect.stringMatching(/^POST \/products 201$/),
        expect.stringMatching(/^POST \/products 201$/),
        expect.stringMatching(/^PUT \/products\/\S+ 200$/),
      ])
      expect(product("CAT%2FBLK%2042")).toMatchObject({
        name: "CAT Tee (Black)",
        base_name: "CAT Tee",
        url: "https://shop.example/products/cat-tee",
        image_url: "https://img.example/cat-tee.png",
        thumbnail_url: "https://img.example/cat-tee-thumb.png",
        price: 30,
        available: true,
        category: expect.arrayContaining(["CAT Tees"]),
        brand: "CAT Collection",
        specifications: [{ name: "Color", value: "Black" }],
      })
      expect(product("CAT%2FBLK%2042")).not.toHaveProperty("stock")
      expect(product("CAT-WHT-42")).toMatchObject({ price: 32, stock: 7, available: true })

      // Bought: the purchase's line carries the catalog's SKU.
      const order = await placeOrder(api, store, {
        email: "catalog@example.com",
        items: [{ variant_id: tee.odd.id, quantity: 1 }],
      })
      await capturePayment(api, admin, order.id)
      await waitForReward(getContainer(), order.id, (r) => r.status === "synced")
      const purchase = woowup.sandbox.state.purchases.find((p) => p.invoice_number.endsWith(order.id))!
      expect(purchase.purchase_detail.map((d) => d.sku)).toEqual(["CAT%2FBLK%2042"])
    })

    it("calls only when what is sent changed: a title, a price, a stock level; not an untracked field", async () => {
      const tee = await created("EDIT")
      const before = calls().length

      await changed("product.updated", () => post("title", `/admin/products/${tee.id}`, { title: "EDIT Tee 2" }))
      expect(calls().slice(before).map((r) => r.method)).toEqual(["PUT", "PUT"])
      expect(product("EDIT-WHT-42")!.name).toBe("EDIT Tee 2 (White)")

      const afterTitle = calls().length
      await changed("product.updated", () => post("weight", `/admin/products/${tee.id}`, { weight: 250 }))
      expect(calls().length).toBe(afterTitle)

      await changed("product-variant.updated", () =>
        post("price", `/admin/products/${tee.id}/variants/${tee.stocked.id}`, {
          prices: [{ currency_code: store.currencyCode, amount: 35 }],
        })
      )
      expect(calls().length).toBe(afterTitle + 1)
      expect(product("EDIT-WHT-42")!.price).toBe(35)

      await changed("inventory-level.updated", () =>
        post("stock", `/admin/inventory-items/${tee.stocked.inventory_item_id}/location-levels/${store.stockLocationId}`, {
          stocked_quantity: 3,
        })
      )
      expect(calls().length).toBe(afterTitle + 2)
      expect(product("EDIT-WHT-42")!.stock).toBe(3)

      // A job run finds nothing more to send.
      await job.run()
      expect(calls().length).toBe(afterTitle + 2)
    })

    it("tells WoowUp once that a deleted variant is no longer available", async () => {
      const tee = await created("GONE")
      const before = calls().length
      await changed("product-variant.deleted", () =>
        api.delete(`/admin/products/${tee.id}/variants/${tee.odd.id}`, admin)
      )
      expect(calls().slice(before).map((r) => [r.method, r.body])).toEqual([["PUT", { available: false, stock: 0 }]])
      expect(product("GONE%2FBLK%2042")).toMatchObject({ available: false, stock: 0 })
      await job.run()
      await job.run()
      expect(calls().length).toBe(before + 1)
      expect(await productSync(getContainer(), tee.odd.id)).toMatchObject({ status: "synced", available: false })
    })

    it("finds through the job what no event announces: a sale price list", async () => {
      const tee = await created("SALE")
      const before = calls().length
      await post("price list", "/admin/price-lists", {
        title: "Summer sale",
        description: "20% off",
        type: "sale",
        status: "active",
        prices: [{ variant_id: tee.stocked.id, currency_code: store.currencyCode, amount: 25 }],
      })
      expect(calls().length).toBe(before)
      await job.run()
      expect(calls().slice(before).map((r) => r.method)).toEqual(["PUT"])
      expect(product("SALE-WHT-42")).toMatchObject({ price: 32, offer_price: 25 })
    })

    it("converges once through the job when WoowUp was down during a change", async () => {
      const tee = await created("DOWN")
      woowup.sandbox.setFaults({ errorRate: 1, errorStatuses: [503] })
      await changed("product.updated", () => post("title", `/admin/products/${tee.id}`, { title: "DOWN Tee 2" }))
      woowup.sandbox.setFaults({})
      const failed = await productSync(getContainer(), tee.stocked.id)
      expect(failed).toMatchObject({ status: "failed", retryable: true, error_code: expect.any(String) })
      expect(product("DOWN-WHT-42")!.name).toBe("DOWN Tee (White)")

      // Its retry is due (the job spaces retries: 1 minute after the first failure).
      const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
      await pg.raw(`UPDATE woowup_product_sync SET next_attempt_at = now() - interval '1 second' WHERE status = 'failed'`)
      const before = calls().filter((r) => typeof r.status === "number" && r.status < 300).length
      await job.run()
      await job.run()
      expect(calls().filter((r) => typeof r.status === "number" && r.status < 300).length).toBe(before + 2)
      expect(product("DOWN-WHT-42")!.name).toBe("DOWN Tee 2 (White)")
      expect(product("DOWN%2FBLK%2042")!.name).toBe("DOWN Tee 2 (Black)")
    })

    it("resyncs named products from the admin, and refuses what it cannot take", async () => {
      const tee = await created("RESYNC")
      woowup.sandbox.reset()
      const { data } = await api.post(`/admin/woowup/resync`, { products: [tee.id], dry_run: true }, admin)
      expect(data.resync).toMatchObject({ products: [tee.id], products_found: 2, dry_run: true })
      const bad = await api.post(`/admin/woowup/resync`, { products: "some" }, admin).catch((e: any) => e.response)
      expect(bad.status).toBe(400)
      expect(JSON.stringify(bad.data)).toMatch(/products/)
      const missing = await api.post(`/admin/woowup/resync`, { products: ["prod_missing"] }, admin).catch((e: any) => e.response)
      expect(missing.status).toBe(404)
      const { data: status } = await api.get(`/admin/woowup/status`, admin)
      expect(status.status.feeds.products).toMatchObject({ enabled: true, counts: expect.objectContaining({ synced: expect.any(Number) }) })
    })
  },
})
