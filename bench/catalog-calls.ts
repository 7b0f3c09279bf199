/**
 * "WoowUp calls per catalog change": a product of a few variants made and changed through the admin API of a running
 * app with the catalog feed on, and the catalog calls each change cost, counted at the sandbox.
 */
import { request, type AuthHeaders, type HttpClient } from "../integration-tests/helpers"
import { queryApp, type SeededApp } from "../integration-tests/helpers/medusa-process"
import type { WoowupSandbox } from "../src/sandbox"
import type { CatalogChangeFigure } from "./figures"
import { waitUntil } from "./wait-until"

const COLORS = ["Black", "White", "Blue"]

/** The catalog calls WoowUp has seen so far. */
const catalogCalls = (sandbox: WoowupSandbox) => sandbox.requests.filter((r) => r.path.startsWith("/products"))

/**
 * Waits until the change's syncs are over: no sync record pending, and no catalog call for a second (an event's
 * handler runs a few ms after the route answers; a second of quiet is far more than it needs).
 */
async function settled(app: SeededApp, sandbox: WoowupSandbox) {
  let seen = -1
  let quietSince = Date.now()
  await waitUntil(
    "the catalog's syncs to settle",
    async () => {
      const n = catalogCalls(sandbox).length
      if (n !== seen) {
        seen = n
        quietSince = Date.now()
      }
      const [{ count }] = await queryApp(app.databaseUrl, `SELECT COUNT(*)::int AS count FROM woowup_product_sync WHERE status = 'pending'`)
      return count === 0 && Date.now() - quietSince >= 1000
    },
    120_000,
    100
  )
}

/** Each change in turn, with the calls it made (method, path and status) and the calls expected of it. */
export async function callsPerCatalogChange(opts: { api: HttpClient; admin: AuthHeaders; app: SeededApp; sandbox: WoowupSandbox }): Promise<CatalogChangeFigure[]> {
  const { api, admin, app, sandbox } = opts
  const { store } = app
  const post = (what: string, path: string, body: unknown) => request(what, "post", api, path, body, admin)
  const figures: CatalogChangeFigure[] = []
  let product: { id: string } | undefined
  let variants: Array<{ id: string; sku: string; inventory_items: Array<{ inventory_item_id: string }> }> = []
  const stocked = () => variants.find((v) => v.sku === `BENCH-TEE-${COLORS[0].toUpperCase()}`)!
  const measure = async (change: string, expected: number, action: () => Promise<unknown>) => {
    const before = catalogCalls(sandbox).length
    await action()
    await settled(app, sandbox)
    const calls = catalogCalls(sandbox).slice(before)
    figures.push({ change, expected, calls: calls.length, by_call: calls.map((r) => `${r.method} ${r.path.startsWith("/products/") ? "/products/{sku}" : r.path} ${r.status}`) })
  }

  await measure(`created with ${COLORS.length} variants and the stock of one`, COLORS.length + 1, async () => {
    product = (
      await post("product", "/admin/products", {
        title: "Bench Tee",
        status: "published",
        options: [{ title: "Color", values: COLORS }],
        variants: COLORS.map((color, i) => ({
          title: color,
          sku: `BENCH-TEE-${color.toUpperCase()}`,
          options: { Color: color },
          manage_inventory: i === 0,
          prices: [{ currency_code: store.currencyCode, amount: 30 }],
        })),
        sales_channels: [{ id: store.salesChannelId }],
        shipping_profile_id: store.shippingProfileId,
      })
    ).product
    variants = (await request("variants", "get", api, `/admin/products/${product!.id}/variants?fields=id,sku,*inventory_items`, undefined, admin)).variants
    // The stocked variant's level at the store's location: a second call for it (0 → 7 units).
    await post("stock level", `/admin/inventory-items/${stocked().inventory_items[0].inventory_item_id}/location-levels`, {
      location_id: store.stockLocationId,
      stocked_quantity: 7,
    })
  })
  await measure("title edited", COLORS.length, () => post("title", `/admin/products/${product!.id}`, { title: "Bench Tee 2" }))
  await measure("weight edited (not sent to WoowUp)", 0, () => post("weight", `/admin/products/${product!.id}`, { weight: 250 }))
  await measure("one variant's price changed", 1, () =>
    post("price", `/admin/products/${product!.id}/variants/${stocked().id}`, { prices: [{ currency_code: store.currencyCode, amount: 35 }] })
  )
  await measure("one variant's stock changed", 1, () =>
    post("stock", `/admin/inventory-items/${stocked().inventory_items[0].inventory_item_id}/location-levels/${store.stockLocationId}`, { stocked_quantity: 3 })
  )
  return figures
}
