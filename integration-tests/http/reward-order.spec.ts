import type { IEventBusModuleService } from "@medusajs/framework/types"
import { Modules, OrderWorkflowEvents, PaymentEvents } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import {
  adminHeaders,
  AUTO_CAPTURE_PROVIDER_ID,
  capturePayment,
  getOrderPayment,
  placeOrder,
  seedStore,
  type AuthHeaders,
  type SeededStore,
} from "../helpers"
import { EVENT_WAIT_MS, getReward, purchaseRequests, useWoowupSandbox, waitForReward } from "../helpers/woowup"
import { WOOWUP_MODULE } from "../../src/modules/woowup"
import { fromWoowupSku } from "../../src/modules/woowup/rules"
import type WoowupModuleService from "../../src/modules/woowup/service"


// A rate for USD only: the CLP store below has none. Orders under 10 USD of items earn nothing.
const woowup = useWoowupSandbox({ pointsPerCurrencyUnit: { usd: 2 }, minimumOrderAmount: 10 })

const ana = { email: "ana@example.com", password: "secret-123", first_name: "Ana", last_name: "García", phone: "+5491155550000" }

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let usd: SeededStore
    let clp: SeededStore
    let admin: AuthHeaders

    beforeAll(async () => {
      usd = await seedStore(getContainer())
      clp = await seedStore(getContainer(), { currency: "clp", suffix: "-cl" })
      admin = await adminHeaders(getContainer())
    })

    const bus = () => getContainer().resolve<IEventBusModuleService>(Modules.EVENT_BUS)
    const getAdjustments = (orderId: string) =>
      getContainer().resolve<WoowupModuleService>(WOOWUP_MODULE).listWoowupPointsAdjustments({ order_id: orderId })

    /** Emits the events at once, as redeliveries or a race would, and waits until every one was handled. */
    async function deliver(events: { name: string; data: { id: string } }[]) {
      const counts = new Map<string, number>()
      events.forEach((e) => counts.set(e.name, (counts.get(e.name) ?? 0) + 1))
      const handled = Promise.all(
        [...counts].map(([name, triggerCount]) => TestEventUtils.waitSubscribersExecution(name, bus(), { triggerCount, timeout: EVENT_WAIT_MS }))
      )
      await bus().emit(events)
      await handled
    }

    /** Places an order and waits for the plugin's `order.placed` handling to finish. */
    async function placed(store: SeededStore, opts: Parameters<typeof placeOrder>[2]) {
      const handled = TestEventUtils.waitSubscribersExecution(OrderWorkflowEvents.PLACED, bus(), { timeout: EVENT_WAIT_MS })
      const order = await placeOrder(api, store, opts)
      await handled
      return order
    }

    /** Captures through the admin API and waits for the plugin's `payment.captured` handling to finish. */
    async function captured(orderId: string, amount?: number) {
      const handled = TestEventUtils.waitSubscribersExecution(PaymentEvents.CAPTURED, bus(), { timeout: EVENT_WAIT_MS })
      await capturePayment(api, admin, orderId, amount != null ? { amount } : {})
      await handled
      return await waitForReward(getContainer(), orderId)
    }

    it("records a captured order's purchase in WoowUp once, with its items, prices, points and a new customer", async () => {
      const { sandbox } = woowup
      const order = await placed(usd, { customer: ana, items: [{ variant_id: usd.variants.standard, quantity: 2 }] })

      // Placed but not captured: nothing sent yet, and the record says why.
      expect(await getReward(getContainer(), order.id)).toMatchObject({ status: "skipped", reason: "nothing_captured" })
      expect(sandbox.state.purchases).toHaveLength(0)

      const reward = await captured(order.id)
      expect(reward).toMatchObject({
        status: "synced",
        trigger: "payment_captured",
        invoice_number: order.id,
        identifier: "email",
        identity: ana.email,
        customer_created: true,
        points: 100, // 2 x 25 USD of items (shipping not counted) x 2 points per USD
        currency_code: "usd",
        attempts: 1,
      })
      expect(Number(reward.amount)).toBe(50)
      expect(reward.synced_at).toBeTruthy()
      // The admin reads the same record through the order route.
      const { data } = await api.get(`/admin/orders/${order.id}?fields=id,*woowup_reward`, admin)
      expect(data.order.woowup_reward).toMatchObject({ id: reward.id, status: "synced", points: 100 })

      expect(sandbox.state.purchases).toHaveLength(1)
      const purchase = sandbox.state.purchases[0] as any
      expect(purchase).toMatchObject({
        email: ana.email,
        invoice_number: order.id,
        points: 100,
        channel: "web",
        branch_name: "Medusa",
        prices: { gross: 50, discount: 0, shipping: 5, tax: 0, total: 50 },
        purchase_detail: [
          expect.objectContaining({
            sku: "TSHIRT-M-BLUE",
            quantity: 2,
            unit_price: 25,
            variations: expect.arrayContaining([
              { name: "Size", value: "M" },
              { name: "Color", value: "Blue" },
            ]),
          }),
        ],
        payment: [{ type: "other", total: 55 }],
      })
      expect(sandbox.state.customers).toEqual([
        expect.objectContaining({ email: ana.email, first_name: "Ana", last_name: "García", points: 100 }),
      ])
      // Unknown customer: purchase refused, customer created, purchase sent again.
      expect(sandbox.requests.filter((r) => !r.path.startsWith("/branches")).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
        "POST /purchases 404",
        "POST /users 201",
        "POST /purchases 201",
      ])

      // A returning customer costs one call.
      sandbox.requests.length = 0
      const second = await placed(usd, { customer: ana, items: [{ variant_id: usd.variants.oddSku, quantity: 1 }] })
      const again = await captured(second.id)
      expect(again).toMatchObject({ status: "synced", customer_created: false, points: 60 })
      expect(sandbox.requests.filter((r) => !r.path.startsWith("/branches")).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(["POST /purchases 201"])
      expect(sandbox.state.customers).toHaveLength(1)
      expect(sandbox.state.customers[0].points).toBe(160)
    })

    it("identifies a guest by the order's email, encodes a SKU WoowUp would reject, and falls back to the variant id", async () => {
      const { sandbox } = woowup
      const order = await placed(usd, {
        email: "Guest.Buyer@Example.com",
        items: [
          { variant_id: usd.variants.oddSku, quantity: 1 },
          { variant_id: usd.variants.noSku, quantity: 2 },
        ],
      })
      const reward = await captured(order.id)
      expect(reward).toMatchObject({ status: "synced", identity: "guest.buyer@example.com", points: 74 })

      const purchase = sandbox.state.purchases[0] as any
      const skus = purchase.purchase_detail.map((d: any) => d.sku)
      expect(skus).toHaveLength(2)
      for (const sku of skus) {
        expect(sku).toMatch(/^[^-][a-zA-Z0-9_%-]+$/)
      }
      expect(skus.map(fromWoowupSku)).toEqual(expect.arrayContaining(["TSHIRT.M/blue ñ", usd.variants.noSku]))
    })

    it("skips an order in a currency without a rate, and one below the minimum, saying why", async () => {
      const { sandbox } = woowup
      const inClp = await placed(clp, { email: "cl@example.com", items: [{ variant_id: clp.variants.standard, quantity: 1 }] })
      expect(await captured(inClp.id)).toMatchObject({
        status: "skipped",
        reason: "no_rate_for_currency",
        invoice_number: inClp.id,
        identity: "cl@example.com",
        currency_code: "clp",
      })

      const small = await placed(usd, { email: "small@example.com", items: [{ variant_id: usd.variants.noSku, quantity: 1 }] })
      expect(await captured(small.id)).toMatchObject({ status: "skipped", reason: "below_minimum" })

      expect(sandbox.requests).toHaveLength(0)
    })

    it("sends one purchase when payment.captured arrives three times at once, and when it races order.placed", async () => {
      const { sandbox } = woowup
      const order = await placed(usd, { email: "race@example.com", items: [{ variant_id: usd.variants.standard, quantity: 1 }] })
      await captured(order.id)
      const payment = await getOrderPayment(api, admin, order.id)

      // The same order, again and again: redeliveries and the order.placed of a capture-at-checkout race.
      await deliver([
        { name: PaymentEvents.CAPTURED, data: { id: payment.id } },
        { name: PaymentEvents.CAPTURED, data: { id: payment.id } },
        { name: PaymentEvents.CAPTURED, data: { id: payment.id } },
        { name: OrderWorkflowEvents.PLACED, data: { id: order.id } },
      ])

      expect(sandbox.state.purchases.filter((p: any) => p.invoice_number === order.id)).toHaveLength(1)
      expect(purchaseRequests(sandbox, order.id).filter((r) => r.status === 201)).toHaveLength(1)
      expect(await getReward(getContainer(), order.id)).toMatchObject({ status: "synced", attempts: 1 })
    })

    it("sends one purchase when the first deliveries of payment.captured race each other", async () => {
      const { sandbox } = woowup
      const order = await placed(usd, { email: "race2@example.com", items: [{ variant_id: usd.variants.standard, quantity: 1 }] })
      // Captured without the plugin seeing it yet: then every handler finds it unclaimed at the same moment.
      const payment = await getOrderPayment(api, admin, order.id)
      await getContainer().resolve(Modules.PAYMENT).capturePayment({ payment_id: payment.id })

      await deliver([
        { name: PaymentEvents.CAPTURED, data: { id: payment.id } },
        { name: PaymentEvents.CAPTURED, data: { id: payment.id } },
        { name: OrderWorkflowEvents.PLACED, data: { id: order.id } },
      ])
      expect(await getReward(getContainer(), order.id)).toMatchObject({ status: "synced" })

      expect(sandbox.state.purchases).toHaveLength(1)
      expect(purchaseRequests(sandbox, order.id).filter((r) => r.status === 201)).toHaveLength(1)
    })

    it("rewards an order whose provider captures at checkout, through order.placed", async () => {
      const { sandbox } = woowup
      const order = await placed(usd, {
        email: "auto@example.com",
        provider_id: AUTO_CAPTURE_PROVIDER_ID,
        items: [{ variant_id: usd.variants.standard, quantity: 1 }],
      })
      const reward = await waitForReward(getContainer(), order.id)
      expect(reward).toMatchObject({ status: "synced", trigger: "order_placed", points: 50 })
      expect(sandbox.state.purchases).toHaveLength(1)
    })

    it("gives points for the captured share, then tops them up once when the rest is captured", async () => {
      const { sandbox } = woowup
      // 2 x 25 + 5 shipping = 55; capture 27.5, half of it: points on half the items' 50.
      const order = await placed(usd, { email: "half@example.com", items: [{ variant_id: usd.variants.standard, quantity: 2 }] })
      const reward = await captured(order.id, 27.5)
      expect(reward).toMatchObject({ status: "synced", points: 50 })
      expect(Number(reward.amount)).toBe(25)
      expect((sandbox.state.purchases[0] as any).points).toBe(50)

      // The rest: the same purchase, and the other 50 points as an adjustment.
      await captured(order.id)
      const payment = await getOrderPayment(api, admin, order.id)
      await deliver([{ name: PaymentEvents.CAPTURED, data: { id: payment.id } }])

      expect(sandbox.state.purchases).toHaveLength(1)
      expect(sandbox.state.customers[0].points).toBe(100)
      expect(sandbox.state.transactions.map((t: any) => t.points)).toEqual(expect.arrayContaining([50, 50]))
      expect(sandbox.state.transactions).toHaveLength(2)
      const adjustments = await getAdjustments(order.id)
      expect(adjustments).toEqual([expect.objectContaining({ cause: "capture", points: 50, status: "applied", attempts: 1 })])
    })

    it("applies a top-up once when WoowUp stores it but the answer is lost", async () => {
      const { sandbox } = woowup
      const order = await placed(usd, { email: "topup@example.com", items: [{ variant_id: usd.variants.standard, quantity: 2 }] })
      await captured(order.id, 27.5)

      sandbox.setFaults({ script: [{ method: "POST", path: "/multiusers/points", fault: "drop-after-store", times: 1 }] })
      await captured(order.id)
      const [unknown] = await getAdjustments(order.id)
      expect(unknown).toMatchObject({ status: "pending", error_code: expect.any(String), sent_at: expect.any(Date) })
      // Its next attempt is spaced: a redelivered event right away leaves it be.
      expect(new Date(unknown.next_attempt_at!).getTime()).toBeGreaterThan(Date.now())
      const payment = await getOrderPayment(api, admin, order.id)
      await deliver([{ name: PaymentEvents.CAPTURED, data: { id: payment.id } }])
      expect(await getAdjustments(order.id)).toEqual([expect.objectContaining({ status: "pending", attempts: 1 })])

      // Once due, the next run for the order finds the points in WoowUp by their mark and sends nothing.
      const woowupService = getContainer().resolve<WoowupModuleService>(WOOWUP_MODULE)
      await woowupService.updateWoowupPointsAdjustments({ id: unknown.id, next_attempt_at: new Date(Date.now() - 1_000) })
      await deliver([{ name: PaymentEvents.CAPTURED, data: { id: payment.id } }])

      expect(await getAdjustments(order.id)).toEqual([expect.objectContaining({ status: "applied", points: 50, attempts: 2 })])
      expect(sandbox.requests.filter((r) => r.path === "/multiusers/points")).toHaveLength(1)
      expect(sandbox.state.customers[0].points).toBe(100)
    })

    it("completes with a top-up a purchase an earlier attempt left in WoowUp with fewer points", async () => {
      const { sandbox } = woowup
      const order = await placed(usd, { email: "earlier@example.com", items: [{ variant_id: usd.variants.standard, quantity: 1 }] })
      // As if a process had sent the purchase on a partial capture (20 points) and died before recording it.
      const call = (path: string, body: object) =>
        fetch(`${sandbox.url}${path}`, {
          method: "POST",
          headers: { authorization: `Basic ${sandbox.apiKey}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        })
      expect((await call("/users", { email: "earlier@example.com" })).status).toBe(201)
      const earlier = { email: "earlier@example.com", invoice_number: order.id, points: 20, prices: { total: 10 } }
      expect((await call("/purchases", { ...earlier, purchase_detail: [{ sku: "TSHIRT-M-BLUE", quantity: 1, unit_price: 10 }] })).status).toBe(201)

      const reward = await captured(order.id)
      expect(reward).toMatchObject({ status: "synced", points: 20 })
      expect(await getAdjustments(order.id)).toEqual([expect.objectContaining({ points: 30, status: "applied" })])
      expect(sandbox.state.purchases).toHaveLength(1)
      expect(sandbox.state.customers[0].points).toBe(50)
    })

    it("gets to synced after WoowUp answers 503 twice, with the retries on the record's story", async () => {
      const { sandbox } = woowup
      sandbox.setFaults({ script: [{ method: "POST", path: "/purchases", fault: 503, times: 2 }] })
      const order = await placed(usd, { email: "retry@example.com", items: [{ variant_id: usd.variants.standard, quantity: 1 }] })
      const reward = await captured(order.id)
      expect(reward).toMatchObject({ status: "synced" })
      expect(purchaseRequests(sandbox, order.id).map((r) => r.status)).toEqual([503, 503, 404, 201])
      expect(sandbox.state.purchases).toHaveLength(1)
    })

    it("records a 400 as a permanent failure with WoowUp's reason, without retrying", async () => {
      const { sandbox } = woowup
      sandbox.setFaults({ script: [{ method: "POST", path: "/purchases", fault: 400, times: 1 }] })
      const order = await placed(usd, { email: "bad@example.com", items: [{ variant_id: usd.variants.standard, quantity: 1 }] })
      const reward = await captured(order.id)
      expect(reward).toMatchObject({ status: "failed", retryable: false, error_code: "bad_request" })
      expect(reward.reason).toEqual(expect.any(String))
      expect(JSON.stringify(reward)).not.toContain(sandbox.apiKey)
      expect(purchaseRequests(sandbox, order.id)).toHaveLength(1)
      expect(sandbox.state.purchases).toHaveLength(0)
    })

    it("records a purchase once when WoowUp stores it but the answer is lost", async () => {
      const { sandbox } = woowup
      // The customer exists, so the first POST /purchases stores it; its answer never arrives.
      sandbox.state.customers.push({ email: "lost@example.com", service_uid: "lost", points: 0 } as any)
      sandbox.setFaults({ script: [{ method: "POST", path: "/purchases", fault: "drop-after-store", times: 1 }] })
      const order = await placed(usd, { email: "lost@example.com", items: [{ variant_id: usd.variants.standard, quantity: 1 }] })
      const reward = await captured(order.id)
      expect(reward).toMatchObject({ status: "synced" })
      expect(purchaseRequests(sandbox, order.id).map((r) => r.status)).toEqual(["dropped", 409])
      expect(sandbox.state.purchases).toHaveLength(1)
      expect(sandbox.state.customers[0].points).toBe(50)
    })
  },
})
