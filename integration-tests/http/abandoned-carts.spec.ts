/**
 * Issue 21: abandoned carts to WoowUp, a feed of the sync engine. Real carts through the store API, a real app, the
 * WoowUp sandbox over HTTP, the reconcile job driven with a later clock (`reconcileJob`): a cart idle past
 * `afterMinutes` is sent once per content, its customer created first when WoowUp does not know them, told
 * recovered once when completed after it was sent, and never sent without an email, items, or once completed first.
 */
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { adminHeaders, capturePayment, seedStore, type AuthHeaders, type SeededStore } from "../helpers"
import { addCartItem, completeCart, createCart, type OpenCart } from "../helpers/store-carts"
import { afterEvent, reconcileJob, useWoowupSandbox, waitForReward } from "../helpers/woowup"

const LIMIT = 600
const RECOVER_URL = "https://shop.example/cart/recover/{cart_id}"
const woowup = useWoowupSandbox(
  {
    pointsPerCurrencyUnit: 1,
    requestsPerMinute: LIMIT,
    catalog: { enabled: true, currency: "usd" },
    abandonedCarts: { enabled: true, afterMinutes: 1, recoverUrl: RECOVER_URL, maxAgeHours: 72 },
    reconcile: { enabled: false, schedule: "*/15 * * * *" },
  },
  { requestsPerMinute: LIMIT }
)

const pgOf = (container: MedusaContainer) => container.resolve(ContainerRegistrationKeys.PG_CONNECTION)

/** Waits until no sync of `table` is under way (the catalog's seed syncs, a completion's cart sync). */
async function settled(container: MedusaContainer, table: string) {
  let quiet = 0
  for (let i = 0; i < 600 && quiet < 3; i++) {
    const [{ count }] = (await pgOf(container).raw(`SELECT COUNT(*)::int AS count FROM ${table} WHERE status = 'pending'`)).rows
    quiet = count === 0 ? quiet + 1 : 0
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Waits until the cart's activity shows a change its last sync did not take (its events were handled). */
async function untakenChange(container: MedusaContainer, cartId: string) {
  for (let i = 0; i < 300; i++) {
    const [row] = (
      await pgOf(container).raw(
        `SELECT 1 FROM woowup_cart_activity WHERE cart_id = ? AND (taken_at IS NULL OR changed_at > taken_at)`,
        [cartId]
      )
    ).rows
    if (row) {
      // Other events of the same burst may still be on their way: a little more time for them.
      await new Promise((r) => setTimeout(r, 300))
      return
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`no activity recorded for cart ${cartId}`)
}

async function cartSync(container: MedusaContainer, cartId: string) {
  const [row] = (await pgOf(container).raw(`SELECT * FROM woowup_cart_sync WHERE cart_id = ?`, [cartId])).rows
  return row
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let admin: AuthHeaders

    beforeAll(async () => {
      store = await seedStore(getContainer())
      admin = await adminHeaders(getContainer())
      await settled(getContainer(), "woowup_product_sync")
    })

    const job = reconcileJob(getContainer)
    const cartCalls = (cartId?: string) =>
      woowup.sandbox.requests.filter(
        (r) => r.path === "/multiusers/abandoned-cart" && (!cartId || (r.body as any)?.external_id === cartId)
      )
    /** The carts feed's counts as `GET /admin/woowup/status` gives them. */
    const cartCounts = async () => {
      const { data } = await api.get("/admin/woowup/status", admin)
      expect(data.status.feeds.carts.enabled).toBe(true)
      return data.status.feeds.carts.counts
    }
    const customerCreations = () => woowup.sandbox.requests.filter((r) => r.method === "POST" && r.path === "/users")
    const items = () => [
      { variant_id: store.variants.standard, quantity: 2 },
      { variant_id: store.variants.oddSku, quantity: 1 },
    ]
    const guestCart = async (email: string | undefined, withItems = items()) => {
      const cart = await createCart(api, store, { email, items: withItems })
      await untakenChange(getContainer(), cart.id)
      return cart
    }
    const complete = (cart: OpenCart, email: string) =>
      afterEvent(getContainer(), "order.placed", () => completeCart(api, store, cart, email))
    /** Creates the customer in WoowUp directly, as if another channel had. */
    const knownToWoowup = async (email: string) => {
      const answer = await fetch(`${woowup.sandbox.url}/users`, {
        method: "POST",
        headers: { Authorization: `Basic ${woowup.sandbox.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ email, first_name: "Known" }),
      })
      expect(answer.status).toBe(201)
    }

    it("sends a guest cart left idle once, with its fields, under the SKUs of the catalog and of purchases", async () => {
      const email = "idle-guest@example.com"
      const cart = await guestCart(email)
      expect(cartCalls(cart.id)).toHaveLength(0)

      await job.run()
      // Unknown to WoowUp: refused, the customer created from the cart, the cart sent again.
      expect(cartCalls(cart.id).map((r) => r.status)).toEqual([404, 200])
      expect(customerCreations().map((r) => (r.body as any).email)).toEqual([email])
      const body = cartCalls(cart.id)[1].body as any
      expect(Object.keys(body).sort()).toEqual(
        ["createtime", "email", "external_id", "products", "recover_url", "source", "total_price"].sort()
      )
      expect(body).toMatchObject({
        email,
        external_id: cart.id,
        source: "web",
        recover_url: `https://shop.example/cart/recover/${cart.id}`,
        createtime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/),
        total_price: expect.any(Number),
      })
      expect(body.total_price).toBeGreaterThanOrEqual(2 * store.prices.standard + store.prices.oddSku)
      expect(body.products).toEqual([
        { sku: expect.any(String), quantity: 2, unit_price: store.prices.standard },
        { sku: expect.any(String), quantity: 1, unit_price: store.prices.oddSku },
      ])
      // The catalog's products of these variants were sent under the same SKUs (the odd one percent-encoded).
      const skus = body.products.map((p: any) => p.sku)
      const { rows } = await pgOf(getContainer()).raw(
        `SELECT variant_id, sku FROM woowup_product_sync WHERE variant_id IN (?, ?)`,
        [store.variants.standard, store.variants.oddSku]
      )
      const sentAs = Object.fromEntries(rows.map((r: any) => [r.variant_id, r.sku]))
      expect(skus).toEqual([sentAs[store.variants.standard], sentAs[store.variants.oddSku]])
      expect(skus).toEqual(["TSHIRT-M-BLUE", "TSHIRT%2EM%2Fblue%20%C3%B1"])
      expect(woowup.sandbox.state.abandonedCarts).toEqual([
        expect.objectContaining({ external_id: cart.id, times_received: 1 }),
      ])
      expect(await cartSync(getContainer(), cart.id)).toMatchObject({
        status: "synced",
        identity: email,
        customer_created: true,
        recovered: false,
      })

      // Idle still, nothing changed: no call.
      await job.run()
      expect(cartCalls(cart.id)).toHaveLength(2)

      // Bought: the purchase carries the same SKUs.
      const orderId = await complete(cart, email)
      await capturePayment(api, admin, orderId)
      await waitForReward(getContainer(), orderId, (r) => r.status === "synced")
      const purchase = woowup.sandbox.state.purchases.find((p) => p.invoice_number.endsWith(orderId))!
      expect(purchase.purchase_detail.map((d) => d.sku).sort()).toEqual([...skus].sort())
    })

    it("sends a cart changed after it was sent once more when it is idle again", async () => {
      const email = "changed@example.com"
      await knownToWoowup(email)
      const cart = await guestCart(email)
      await job.run()
      expect(cartCalls(cart.id)).toHaveLength(1)

      await addCartItem(api, cart, { variant_id: store.variants.noSku, quantity: 1 })
      await untakenChange(getContainer(), cart.id)
      await job.run()
      expect(cartCalls(cart.id)).toHaveLength(2)
      expect((cartCalls(cart.id)[1].body as any).products).toHaveLength(3)
      expect(woowup.sandbox.state.abandonedCarts.find((c) => c.external_id === cart.id)).toMatchObject({
        times_received: 2,
        products: expect.arrayContaining([expect.objectContaining({ sku: store.variants.noSku })]),
      })

      await job.run()
      expect(cartCalls(cart.id)).toHaveLength(2)
    })

    it("never sends a cart without an email, nor an empty one", async () => {
      const noEmail = await guestCart(undefined)
      const empty = await guestCart("empty-cart@example.com", [])
      await job.run()
      await job.run()
      expect(cartCalls(noEmail.id)).toHaveLength(0)
      expect(cartCalls(empty.id)).toHaveLength(0)
      expect(await cartSync(getContainer(), noEmail.id)).toMatchObject({ status: "skipped", reason: "no_email" })
      expect(await cartSync(getContainer(), empty.id)).toMatchObject({ status: "skipped", reason: "no_items" })
      expect(customerCreations()).toHaveLength(0)
    })

    it("sends a known customer's cart in one call, creating no one", async () => {
      const email = "known@example.com"
      await knownToWoowup(email)
      const before = customerCreations().length
      const cart = await guestCart(email)
      await job.run()
      expect(cartCalls(cart.id).map((r) => r.status)).toEqual([200])
      expect(customerCreations()).toHaveLength(before)
      expect(await cartSync(getContainer(), cart.id)).toMatchObject({ status: "synced", customer_created: false })
    })

    it("tells WoowUp once that a cart completed after it was sent was recovered", async () => {
      const email = "recovered@example.com"
      await knownToWoowup(email)
      const cart = await guestCart(email)
      await job.run()
      expect(cartCalls(cart.id)).toHaveLength(1)

      await complete(cart, email)
      await settled(getContainer(), "woowup_cart_sync")
      expect(cartCalls(cart.id)).toHaveLength(2)
      expect(cartCalls(cart.id)[1].body).toMatchObject({ external_id: cart.id, recovered: true })
      expect(woowup.sandbox.state.abandonedCarts.find((c) => c.external_id === cart.id)).toMatchObject({ recovered: true })
      expect(await cartSync(getContainer(), cart.id)).toMatchObject({ status: "synced", recovered: true })
      // The admin's status counts it: sent, and recovered.
      expect(await cartCounts()).toMatchObject({ synced: 1, recovered: 1, failed: 0 })

      await job.run()
      await job.run()
      expect(cartCalls(cart.id)).toHaveLength(2)
    })

    it("never sends a cart completed before it was abandoned", async () => {
      const email = "quick-buyer@example.com"
      await knownToWoowup(email)
      const cart = await guestCart(email)
      await complete(cart, email)
      await settled(getContainer(), "woowup_cart_sync")
      await job.run()
      await job.run()
      expect(cartCalls(cart.id)).toHaveLength(0)
      expect(await cartSync(getContainer(), cart.id)).toMatchObject({
        status: "skipped",
        reason: "completed_before_abandoned",
      })
    })

    it("sends a cart that was due while WoowUp was down once, after WoowUp is back", async () => {
      const email = "down@example.com"
      await knownToWoowup(email)
      const cart = await guestCart(email)
      woowup.sandbox.setFaults({ errorRate: 1, errorStatuses: [503] })
      await job.run()
      woowup.sandbox.setFaults({})
      expect(cartCalls(cart.id).every((r) => r.status === 503)).toBe(true)
      expect(await cartSync(getContainer(), cart.id)).toMatchObject({ status: "failed", retryable: true })
      expect(woowup.sandbox.state.abandonedCarts).toHaveLength(0)
      expect(await cartCounts()).toMatchObject({ synced: 0, recovered: 0, failed: 1 })

      // Its next attempt falls due.
      await pgOf(getContainer()).raw(
        `UPDATE woowup_cart_sync SET next_attempt_at = now() - interval '1 second' WHERE cart_id = ?`,
        [cart.id]
      )
      const failedCalls = cartCalls(cart.id).length
      await job.run()
      expect(cartCalls(cart.id).slice(failedCalls).map((r) => r.status)).toEqual([200])
      expect(woowup.sandbox.state.abandonedCarts).toEqual([expect.objectContaining({ external_id: cart.id, times_received: 1 })])
      await job.run()
      expect(cartCalls(cart.id).slice(failedCalls)).toHaveLength(1)
      expect(await cartCounts()).toMatchObject({ synced: 1, failed: 0 })
    })
  },
})
