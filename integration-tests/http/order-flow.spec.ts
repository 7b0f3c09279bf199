// The app boots with the WoowUp module, which needs options. This suite never needs WoowUp to answer: point it
// at a closed port and make it give up at once, so its subscribers finish quickly.
process.env.WOOWUP_API_KEY = "order-flow-test-key"
process.env.WOOWUP_API_URL = "http://127.0.0.1:9"
process.env.WOOWUP_OPTIONS = JSON.stringify({ maxRetries: 0, timeoutMs: 2000 })

import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import type { IEventBusModuleService } from "@medusajs/framework/types"
import { Modules, OrderWorkflowEvents, PaymentEvents } from "@medusajs/framework/utils"
import {
  AUTO_CAPTURE_PROVIDER_ID,
  SYSTEM_PROVIDER_ID,
  adminHeaders,
  cancelOrder,
  capturePayment,
  getOrder,
  loginAdmin,
  placeOrder,
  recordEvents,
  refundPayment,
  seedStore,
  type AuthHeaders,
  type EventRecorder,
  type SeededStore,
} from "../helpers"


const sum = (rows: { amount: number }[] | undefined) => (rows ?? []).reduce((acc, r) => acc + Number(r.amount), 0)

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let seed: SeededStore
    let admin: AuthHeaders
    let recorder: EventRecorder
    let bus: IEventBusModuleService

    // Seeded once: the runner snapshots the database after this and restores it before every test.
    beforeAll(async () => {
      seed = await seedStore(getContainer(), { promotions: [{ code: "WOOWUP10", type: "percentage", value: 10 }] })
      admin = await adminHeaders(getContainer())
    })

    beforeEach(() => {
      bus = getContainer().resolve(Modules.EVENT_BUS)
      recorder = recordEvents(getContainer())
    })

    afterEach(() => recorder?.stop())

    /** 25 (M / Blue) x quantity + 5 shipping, no tax: the seed's USD prices. */
    const expectedTotal = (quantity: number) => seed.prices.standard * quantity + seed.prices.shipping

    it("seeds a region with both payment providers, a priced shipping option and the three variants", async () => {
      expect(seed.currencyCode).toBe("usd")
      expect(seed.paymentProviderIds).toEqual([SYSTEM_PROVIDER_ID, AUTO_CAPTURE_PROVIDER_ID])
      expect(seed.publishableKey).toMatch(/^pk_/)
      expect(seed.skus).toEqual({ standard: "TSHIRT-M-BLUE", oddSku: "TSHIRT.M/blue ñ", noSku: null })

      const { data } = await api.get(`/admin/regions/${seed.regionId}?fields=id,currency_code,*payment_providers,*countries`, admin)
      expect(data.region.payment_providers.map((p: { id: string }) => p.id).sort()).toEqual(
        [AUTO_CAPTURE_PROVIDER_ID, SYSTEM_PROVIDER_ID].sort()
      )
      expect(data.region.countries.map((c: { iso_2: string }) => c.iso_2)).toEqual(["us"])

      const { data: variants } = await api.get(
        `/admin/products/${seed.productIds.tshirt}/variants?fields=id,sku,*options`,
        admin
      )
      const standard = variants.variants.find((v: { id: string }) => v.id === seed.variants.standard)
      expect(standard.sku).toBe("TSHIRT-M-BLUE")
      expect(standard.options.map((o: { value: string }) => o.value).sort()).toEqual(["Blue", "M"])

      // The admin user's password is real: logging in over HTTP gives a token the admin API accepts.
      const loggedIn = await loginAdmin(api)
      const { data: me } = await api.get("/admin/users/me", loggedIn)
      expect(me.user.email).toBe("admin@woowup.test")
    })

    it("places a guest order that is authorized, not captured, and captures it through the admin route", async () => {
      const order = await placeOrder(api, seed, {
        email: "guest@example.com",
        items: [{ variant_id: seed.variants.standard, quantity: 2 }],
      })
      expect(order.total).toBe(expectedTotal(2))
      expect(order.currency_code).toBe("usd")
      expect(order.email).toBe("guest@example.com")

      // Medusa 2.21 gives a guest checkout a customer too: one without an account, found or created by email.
      const guest = await getOrder(api, admin, order.id, ["id", "customer_id", "*customer"])
      expect(guest.customer_id).toMatch(/^cus_/)
      expect(guest.customer).toMatchObject({ email: "guest@example.com", has_account: false })

      const before = await getOrder(api, admin, order.id)
      const [collection] = before.payment_collections
      const [payment] = collection.payments
      expect(before.payment_status).toBe("authorized")
      expect(collection.status).toBe("authorized")
      expect(collection.captured_amount ?? 0).toBe(0)
      expect(payment.provider_id).toBe(SYSTEM_PROVIDER_ID)
      expect(payment.captured_at).toBeNull()
      expect(payment.captures).toEqual([])

      const captured = TestEventUtils.waitSubscribersExecution(PaymentEvents.CAPTURED, bus)
      const returned = await capturePayment(api, admin, order.id)
      await captured

      expect(returned.id).toBe(payment.id)
      expect(returned.captured_at).toEqual(expect.any(String))
      const after = await getOrder(api, admin, order.id)
      expect(after.payment_status).toBe("captured")
      expect(after.payment_collections[0].captured_amount).toBe(expectedTotal(2))
      expect(after.payment_collections[0].status).toBe("completed")
      expect(sum(after.payment_collections[0].payments[0].captures)).toBe(expectedTotal(2))
      expect(recorder.of(PaymentEvents.CAPTURED)).toEqual([{ id: payment.id }])
    })

    it("links a registered customer's order to the customer", async () => {
      const customer = {
        email: "ana.perez@example.com",
        password: "s3cret-pass",
        first_name: "Ana",
        last_name: "Pérez",
        phone: "+56911112222",
      }
      const order = await placeOrder(api, seed, {
        customer,
        items: [{ variant_id: seed.variants.standard, quantity: 1 }],
      })
      expect(order.customer?.id).toMatch(/^cus_/)

      const stored = await getOrder(api, admin, order.id, ["id", "email", "customer_id", "*customer"])
      expect(stored.customer_id).toBe(order.customer!.id)
      expect(stored.email).toBe(customer.email)
      expect(stored.customer).toMatchObject({
        email: customer.email,
        first_name: "Ana",
        last_name: "Pérez",
        phone: "+56911112222",
        has_account: true,
      })

      // Logging in again (same email and password) reuses the account.
      const second = await placeOrder(api, seed, { customer, items: [{ variant_id: seed.variants.noSku, quantity: 1 }] })
      expect(second.customer!.id).toBe(order.customer!.id)
    })

    it("captures only the amount given, then the rest, one payment.captured per capture", async () => {
      const order = await placeOrder(api, seed, {
        email: "partial@example.com",
        items: [{ variant_id: seed.variants.standard, quantity: 1 }],
      })
      expect(order.total).toBe(30)

      const first = TestEventUtils.waitSubscribersExecution(PaymentEvents.CAPTURED, bus)
      const partly = await capturePayment(api, admin, order.id, { amount: 10 })
      await first
      expect(partly.captured_at).toBeNull()
      expect(sum(partly.captures)).toBe(10)
      const mid = await getOrder(api, admin, order.id)
      expect(mid.payment_status).toBe("partially_captured")
      expect(mid.payment_collections[0].captured_amount).toBe(10)
      // The collection has no partial status: it stays "authorized" until everything is captured.
      expect(mid.payment_collections[0].status).toBe("authorized")

      // The bare route captures the payment's whole amount, not the rest: refused after a partial capture.
      await expect(api.post(`/admin/payments/${partly.id}/capture`, {}, admin)).rejects.toMatchObject({
        response: { status: 400 },
      })

      const second = TestEventUtils.waitSubscribersExecution(PaymentEvents.CAPTURED, bus)
      const fully = await capturePayment(api, admin, order.id)
      await second
      expect(fully.captured_at).toEqual(expect.any(String))
      expect(sum(fully.captures)).toBe(30)
      const done = await getOrder(api, admin, order.id)
      expect(done.payment_status).toBe("captured")
      expect(done.payment_collections[0].status).toBe("completed")
      expect(recorder.of(PaymentEvents.CAPTURED)).toEqual([{ id: partly.id }, { id: partly.id }])
    })

    it("captures at checkout with the auto-capture provider, emitting order.placed and no payment.captured", async () => {
      const placed = TestEventUtils.waitSubscribersExecution(OrderWorkflowEvents.PLACED, bus)
      const order = await placeOrder(api, seed, {
        email: "auto@example.com",
        items: [
          { variant_id: seed.variants.standard, quantity: 1 },
          { variant_id: seed.variants.oddSku, quantity: 1 },
          { variant_id: seed.variants.noSku, quantity: 2 },
        ],
        provider_id: AUTO_CAPTURE_PROVIDER_ID,
      })
      await placed
      const total = seed.prices.standard + seed.prices.oddSku + 2 * seed.prices.noSku + seed.prices.shipping
      expect(order.total).toBe(total)

      const stored = await getOrder(api, admin, order.id)
      const [payment] = stored.payment_collections[0].payments
      expect(payment.provider_id).toBe(AUTO_CAPTURE_PROVIDER_ID)
      expect(payment.captured_at).toEqual(expect.any(String))
      expect(stored.payment_status).toBe("captured")
      expect(stored.payment_collections[0].captured_amount).toBe(total)
      expect(sum(payment.captures)).toBe(total)

      // Events of one workflow are released together: once order.placed is out, a payment.captured would be too.
      expect(recorder.of(OrderWorkflowEvents.PLACED)).toEqual([{ id: order.id }])
      expect(recorder.names()).not.toContain(PaymentEvents.CAPTURED)
    })

    it("refunds a captured payment and cancels an authorized order", async () => {
      const paid = await placeOrder(api, seed, {
        email: "refund@example.com",
        items: [{ variant_id: seed.variants.standard, quantity: 1 }],
        provider_id: AUTO_CAPTURE_PROVIDER_ID,
      })
      const refunded = TestEventUtils.waitSubscribersExecution(PaymentEvents.REFUNDED, bus)
      const payment = await refundPayment(api, admin, paid.id, { amount: 12 })
      await refunded
      expect(sum(payment.refunds)).toBe(12)
      expect((await getOrder(api, admin, paid.id)).payment_collections[0].refunded_amount).toBe(12)

      const open = await placeOrder(api, seed, {
        email: "cancel@example.com",
        items: [{ variant_id: seed.variants.standard, quantity: 1 }],
      })
      const canceled = await cancelOrder(api, admin, open.id)
      expect(canceled.status).toBe("canceled")
      const stored = await getOrder(api, admin, open.id)
      expect(stored.payment_collections[0].payments[0].canceled_at).toEqual(expect.any(String))
    })

    it("applies a promo code to the items", async () => {
      const order = await placeOrder(api, seed, {
        email: "promo@example.com",
        items: [{ variant_id: seed.variants.standard, quantity: 2 }],
        promo_code: "WOOWUP10",
      })
      // 10% off 2 x 25; shipping untouched.
      expect(order.discount_total).toBe(5)
      expect(order.total).toBe(expectedTotal(2) - 5)
      const stored = await getOrder(api, admin, order.id)
      expect(stored.payment_collections[0].amount).toBe(expectedTotal(2) - 5)
    })

    it("seeds and sells in CLP too", async () => {
      const clp = await seedStore(getContainer(), { currency: "clp", suffix: "CLP", taxRate: 19 })
      expect(clp.skus.oddSku).toBe("TSHIRT.M/blue ñCLP")
      const order = await placeOrder(api, clp, {
        email: "cliente@example.cl",
        items: [{ variant_id: clp.variants.standard, quantity: 1 }],
        provider_id: AUTO_CAPTURE_PROVIDER_ID,
      })
      expect(order.currency_code).toBe("clp")
      const stored = await getOrder(api, admin, order.id, ["id", "region_id", "*shipping_address"])
      expect(stored.region_id).toBe(clp.regionId)
      expect(stored.shipping_address.country_code).toBe("cl")
      // 20000 + 4000 shipping, plus 19% tax on both.
      expect(order.total).toBe(28560)
      expect(order.tax_total).toBe(4560)
    })
  },
})
