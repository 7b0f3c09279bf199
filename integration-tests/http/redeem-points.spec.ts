/**
 * Spending WoowUp points at checkout (issue 18, docs/redeem-points.md). One app boot: real carts through the store
 * API, real completion and capture through Medusa, real HTTP to the WoowUp sandbox.
 */
import type { IEventBusModuleService, MedusaContainer } from "@medusajs/framework/types"
import { CartWorkflowEvents, ContainerRegistrationKeys, Modules, OrderWorkflowEvents, PaymentEvents } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import {
  adminHeaders,
  cancelOrder,
  capturePayment,
  loginOrRegisterCustomer,
  refundPayment,
  seedStore,
  storeHeaders,
  verifyWoowupIdentity,
  type AuthHeaders,
  type CustomerInput,
  type SeededStore,
} from "../helpers"
import { completeCart, createCart, type OpenCart } from "../helpers/store-carts"
import { afterEvent, useWoowupSandbox, waitForReward } from "../helpers/woowup"
import { WOOWUP_MODULE } from "../../src/modules/woowup"
import WoowupModuleService from "../../src/modules/woowup/service"
import { lapseWoowupPointsHoldsWorkflow } from "../../src/workflows/lapse-woowup-points-holds"
import { rewardOrderWorkflow } from "../../src/workflows/reward-order"
import type { StoreWoowupPointsCartResponse } from "../../src/api/store/woowup/types"

jest.setTimeout(180_000)

const woowup = useWoowupSandbox({ redeem: { enabled: true, pointValue: { usd: 0.1 }, minPoints: 5, maxShareOfCart: 0.5 } })

let people = 0
const person = (name: string): CustomerInput => ({
  email: `${name}-${++people}@redeem.example`,
  password: "secret-123",
  first_name: name,
  last_name: "Test",
})

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let admin: AuthHeaders

    beforeAll(async () => {
      store = await seedStore(getContainer())
      admin = await adminHeaders(getContainer())
    })

    afterEach(() => woowup.sandbox.setFaults({}))

    const service = () => getContainer().resolve<WoowupModuleService>(WOOWUP_MODULE)

    /** A WoowUp call as a storefront-less party makes it (a gift, or a purchase in a physical store). */
    const sandboxPost = (path: string, body: unknown) =>
      fetch(`${woowup.sandbox.url}${path}`, {
        method: "POST",
        headers: { authorization: `Basic ${woowup.sandbox.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      })

    /** A logged-in customer whose identity is proven, holding `points` in WoowUp. */
    async function customerWith(points: number, name = "ana") {
      const input = person(name)
      const me = await loginOrRegisterCustomer(api, store, input)
      await verifyWoowupIdentity(api, admin, me.id)
      await sandboxPost("/users", { email: input.email })
      await sandboxPost("/multiusers/points", { email: input.email, points, concept: "gift", description: "welcome" })
      return { ...me, input }
    }

    const balance = (email: string) => woowup.sandbox.state.customers.find((c) => c.email === email)?.points
    const redeemCalls = (email: string) =>
      woowup.sandbox.requests.filter((r) => r.method === "POST" && r.path === "/multiusers/points" && (r.body as any)?.email === email && (r.body as any)?.concept === "redeem")

    const cartOf = (token: string, items = [{ variant_id: store.variants.standard, quantity: 2 }]) =>
      createCart(api, store, { items, token })

    async function applyPoints(cart: Pick<OpenCart, "id">, points: unknown, token?: string) {
      const res = await api.post(`/store/carts/${cart.id}/woowup-points`, { points }, {
        ...storeHeaders(store, token),
        validateStatus: () => true,
      } as any)
      return { status: res.status as number, body: res.data as StoreWoowupPointsCartResponse & { message?: string } }
    }

    const holdsOf = (cartId: string) => service().listWoowupPointsHolds({ cart_id: cartId })
    const adjustmentsOf = (orderId: string) => service().listWoowupPointsAdjustments({ order_id: orderId })

    async function place(cart: OpenCart, email: string): Promise<string> {
      return await afterEvent(getContainer(), OrderWorkflowEvents.PLACED, () => completeCart(api, store, cart, email))
    }

    const rerun = (container: MedusaContainer, orderId: string) =>
      rewardOrderWorkflow(container).run({ input: { order_id: orderId, trigger: "resync", retry_now: true } })

    it("takes 20 of 50 points at 0.1 USD off the cart (−2.00); the order debits them, earns on the 48.00 paid, and a cancel gives them back once", async () => {
      const ana = await customerWith(50)
      const cart = await cartOf(ana.token)
      const before = (await api.get(`/store/carts/${cart.id}`, cart.headers)).data.cart

      const applied = await applyPoints(cart, 20, ana.token)
      expect(applied.status).toBe(200)
      expect(Number(before.total) - Number(applied.body.cart.total)).toBeCloseTo(2, 6)
      expect(applied.body.cart.discount_total).toBeCloseTo(2, 6)
      expect(applied.body.cart.promotions.map((p) => p.code)).toEqual([expect.stringMatching(/^WOOWUP-PTS-/)])
      expect(await holdsOf(cart.id)).toEqual([expect.objectContaining({ status: "held", points: 20, verified_balance: 50, currency_code: "usd" })])

      // What the storefront shows: the balance less other carts' holds; with this cart, what it can take.
      const me = (q: string) => api.get(`/store/customers/me/woowup${q}`, storeHeaders(store, ana.token) as any)
      expect((await me("")).data.woowup.redeemable).toEqual({ points: 30 })
      expect((await me(`?cart_id=${cart.id}`)).data.woowup.redeemable).toEqual({ points: 50, cart_points: 50, value: 5, currency_code: "usd" })

      const orderId = await place(cart, ana.input.email)
      await afterEvent(getContainer(), PaymentEvents.CAPTURED, () => capturePayment(api, admin, orderId))
      const reward = await waitForReward(getContainer(), orderId, (r) => r.status === "synced")
      expect(reward.points).toBe(48)
      expect(balance(ana.input.email)).toBe(50 - 20 + 48)
      expect(await holdsOf(cart.id)).toEqual([expect.objectContaining({ status: "spent", order_id: orderId })])
      expect((await adjustmentsOf(orderId)).map((a) => [a.cause, a.points, a.status])).toEqual([["redeem", -20, "applied"]])
      expect(redeemCalls(ana.input.email)).toHaveLength(1)
      expect(redeemCalls(ana.input.email)[0].body).toMatchObject({ points: -20, concept: "redeem", description: expect.stringContaining(`[${orderId}:redeem-`) })

      // The admin: the order's redemption, and the WoowUp page's count.
      const adminOrder = (await api.get(`/admin/woowup/orders/${orderId}`, admin)).data.woowup
      expect(adminOrder.redemption).toEqual({ points: 20, value: 2, currency_code: "usd", debit_status: "applied", debited: 20, given_back: 0 })
      expect(adminOrder.points).toEqual({ awarded: 48, taken_back: 0, net: 48 })
      const { redemptions } = (await api.get(`/admin/woowup/status`, admin)).data.status
      expect(redemptions.orders).toBeGreaterThanOrEqual(1)

      // The cancel: every redeemed point back, once, though order.canceled is delivered twice.
      await afterEvent(getContainer(), OrderWorkflowEvents.CANCELED, () => cancelOrder(api, admin, orderId))
      const bus = getContainer().resolve<IEventBusModuleService>(Modules.EVENT_BUS)
      await afterEvent(getContainer(), OrderWorkflowEvents.CANCELED, () => bus.emit({ name: OrderWorkflowEvents.CANCELED, data: { id: orderId } }))
      const causes = (await adjustmentsOf(orderId)).map((a) => [a.cause, a.points, a.status]).sort()
      expect(causes).toEqual([["cancel", -48, "applied"], ["redeem", -20, "applied"], ["redeem_return", 20, "applied"]].sort())
      expect(balance(ana.input.email)).toBe(50)
      expect(redeemCalls(ana.input.email).map((r) => (r.body as any).points)).toEqual([-20, 20])
      expect((await api.get(`/admin/woowup/orders/${orderId}`, admin)).data.woowup.redemption).toMatchObject({ debited: 0, given_back: 20 })
    })

    it("lets two carts at once hold no more than the balance: one of two 40-point applications of 50 is refused; both complete, one debit", async () => {
      const bruno = await customerWith(50, "bruno")
      const [one, two] = await Promise.all([cartOf(bruno.token), cartOf(bruno.token)])
      const answers = await Promise.all([applyPoints(one, 40, bruno.token), applyPoints(two, 40, bruno.token)])
      expect(answers.map((a) => a.status).sort()).toEqual([200, 400])
      expect(answers.find((a) => a.status === 400)!.body.message).toContain("points (40) is more than the 10 points available")

      await place(one, bruno.input.email)
      await place(two, bruno.input.email)
      expect(redeemCalls(bruno.input.email)).toHaveLength(1)
      expect(balance(bruno.input.email)).toBe(10)
    })

    it("refuses completion when the points were spent elsewhere meanwhile (the WoowUp balance dropped): nothing is charged", async () => {
      const carla = await customerWith(50, "carla")
      const cart = await cartOf(carla.token)
      expect((await applyPoints(cart, 20, carla.token)).status).toBe(200)
      // Spent in a physical store.
      await sandboxPost("/multiusers/points", { email: carla.input.email, points: -40, concept: "store_redemption", description: "in store" })

      const failed = await completeCart(api, store, cart, carla.input.email).catch((e) => e)
      expect(failed.status).toBe(400)
      expect(failed.response.data.message).toContain("Your WoowUp points changed: 10 are available and 20 are applied to this cart")
      const query = getContainer().resolve("query")
      const { data } = await query.graph({
        entity: "cart",
        fields: ["id", "completed_at", "payment_collection.status", "payment_collection.payment_sessions.status"],
        filters: { id: cart.id },
      })
      expect(data[0].completed_at).toBeNull()
      expect((data[0] as any).payment_collection.payment_sessions.map((s: any) => s.status)).not.toContain("authorized")
      expect(redeemCalls(carla.input.email)).toHaveLength(0)
      expect(balance(carla.input.email)).toBe(10)
    })

    it("honours the hold when WoowUp is down at completion: the order is placed and the debit reaches WoowUp once it is back, once", async () => {
      const dora = await customerWith(50, "dora")
      const cart = await cartOf(dora.token)
      expect((await applyPoints(cart, 20, dora.token)).status).toBe(200)

      woowup.sandbox.setFaults({ errorRate: 1, errorStatuses: [503] })
      const orderId = await place(cart, dora.input.email)
      expect((await adjustmentsOf(orderId)).map((a) => [a.cause, a.status])).toEqual([["redeem", "pending"]])
      expect(balance(dora.input.email)).toBe(50)

      woowup.sandbox.setFaults({})
      await rerun(getContainer(), orderId)
      await rerun(getContainer(), orderId)
      expect((await adjustmentsOf(orderId)).map((a) => [a.cause, a.status])).toEqual([["redeem", "applied"]])
      expect(balance(dora.input.email)).toBe(30)
      expect(woowup.sandbox.state.transactions.filter((t: any) => t.concept === "redeem")).toHaveLength(1)
    })

    it("applies the debit once when its answer is lost", async () => {
      const emma = await customerWith(50, "emma")
      const cart = await cartOf(emma.token)
      expect((await applyPoints(cart, 20, emma.token)).status).toBe(200)

      woowup.sandbox.setFaults({ script: [{ method: "POST", path: "/multiusers/points", fault: "drop-after-store" }] })
      const orderId = await place(cart, emma.input.email)
      expect((await adjustmentsOf(orderId))[0]).toMatchObject({ cause: "redeem", status: "pending", sent_at: expect.anything() })
      await rerun(getContainer(), orderId)
      expect((await adjustmentsOf(orderId)).map((a) => [a.cause, a.status])).toEqual([["redeem", "applied"]])
      expect(balance(emma.input.email)).toBe(30)
      expect(redeemCalls(emma.input.email)).toHaveLength(1)
    })

    it("caps the points when the cart loses items", async () => {
      const fede = await customerWith(50, "fede")
      const cart = await cartOf(fede.token, [
        { variant_id: store.variants.standard, quantity: 1 },
        { variant_id: store.variants.noSku, quantity: 1 },
      ])
      expect((await applyPoints(cart, 20, fede.token)).status).toBe(200)
      const { cart: full } = (await api.get(`/store/carts/${cart.id}?fields=*items`, cart.headers)).data
      const tshirt = full.items.find((i: any) => i.variant_id === store.variants.standard)
      await afterEvent(getContainer(), CartWorkflowEvents.UPDATED, () => api.delete(`/store/carts/${cart.id}/line-items/${tshirt.id}`, cart.headers))
      // 3.50 of items, half of it payable with points: 17 points, 1.70.
      expect(await holdsOf(cart.id)).toEqual([expect.objectContaining({ status: "held", points: 17 })])
      const { cart: capped } = (await api.get(`/store/carts/${cart.id}`, cart.headers)).data
      expect(capped.discount_total).toBeCloseTo(1.7, 6)

      // Taken off: no discount, the hold released.
      const removed = await api.delete(`/store/carts/${cart.id}/woowup-points`, storeHeaders(store, fede.token) as any)
      expect(removed.status).toBe(200)
      expect(removed.data.cart.discount_total).toBe(0)
      expect(removed.data.cart.promotions).toEqual([])
      expect(await holdsOf(cart.id)).toEqual([expect.objectContaining({ status: "released" })])
    })

    it("lapses a hold past holdMinutes: its points count for the customer's other carts again", async () => {
      const ivo = await customerWith(50, "ivo")
      const [first, second] = await Promise.all([cartOf(ivo.token), cartOf(ivo.token)])
      expect((await applyPoints(first, 40, ivo.token)).status).toBe(200)
      expect((await applyPoints(second, 40, ivo.token)).status).toBe(400)
      const [hold] = await holdsOf(first.id)
      // holdMinutes later.
      const pg = getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)
      await pg.raw(`UPDATE woowup_points_hold SET expires_at = now() - interval '1 minute' WHERE id = ?`, [hold.id])
      expect((await applyPoints(second, 40, ivo.token)).status).toBe(200)
      const { result: lapsed } = await lapseWoowupPointsHoldsWorkflow(getContainer()).run()
      expect(lapsed).toBeGreaterThanOrEqual(1)
      expect(await holdsOf(first.id)).toEqual([expect.objectContaining({ status: "lapsed" })])
    })

    it("gives back in proportion to a refund, never more than was redeemed", async () => {
      const jo = await customerWith(50, "jo")
      const cart = await cartOf(jo.token)
      expect((await applyPoints(cart, 20, jo.token)).status).toBe(200)
      const orderId = await place(cart, jo.input.email)
      await afterEvent(getContainer(), PaymentEvents.CAPTURED, () => capturePayment(api, admin, orderId))
      await waitForReward(getContainer(), orderId, (r) => r.status === "synced")
      // Half of the 53.00 paid (48.00 of items, 5.00 of shipping): half of the points spent come back.
      await afterEvent(getContainer(), PaymentEvents.REFUNDED, () => refundPayment(api, admin, orderId, { amount: 26.5 }))
      const causes = (await adjustmentsOf(orderId)).map((a) => [a.cause, a.points, a.status]).sort()
      expect(causes).toEqual([["redeem", -20, "applied"], ["redeem_return", 10, "applied"], ["refund", -24, "applied"]].sort())
      expect(balance(jo.input.email)).toBe(50 - 20 + 48 - 24 + 10)
    })

    it("answers every bad input with its 400, 401 or 403, and writes no hold", async () => {
      const gus = await customerWith(50, "gus")
      const cart = await cartOf(gus.token)
      const small = await cartOf(gus.token, [{ variant_id: store.variants.noSku, quantity: 1 }])

      expect((await applyPoints(cart, 20)).status).toBe(401)
      const other = await customerWith(50, "hugo")
      const theirs = await applyPoints(cart, 20, other.token)
      expect(theirs.status).toBe(403)
      expect(theirs.body.message).toContain("is not yours")

      const unproven = await loginOrRegisterCustomer(api, store, person("ines"))
      const unprovenCart = await cartOf(unproven.token)
      const notProven = await applyPoints(unprovenCart, 20, unproven.token)
      expect(notProven.status).toBe(403)
      expect(notProven.body.message).toContain("not proven")

      for (const [points, message] of [
        // Medusa words the schema's refusals itself, naming the field.
        [-5, "Value for field 'points' too small"],
        [2.5, "Expected type: 'int' for field 'points'"],
        ["20", "Expected type: 'number' for field 'points'"],
        [3, "points must be at least 5 (redeem.minPoints)"],
        [60, "points (60) is more than the 50 points available"],
      ] as const) {
        const refused = await applyPoints(cart, points, gus.token)
        expect([points, refused.status]).toEqual([points, 400])
        expect(refused.body.message).toContain(message)
      }
      const overShare = await applyPoints(small, 20, gus.token)
      expect(overShare.status).toBe(400)
      expect(overShare.body.message).toContain("would pay more than 50% of the cart's items: at most 17 points")

      // The store's settings, as another store would have them: redemption off; no value for the cart's currency.
      const withRedeem = (redeem: object) => {
        const real = WoowupModuleService.prototype.getOptions
        return jest.spyOn(WoowupModuleService.prototype, "getOptions").mockImplementation(async function (this: WoowupModuleService) {
          const options = await real.call(this)
          return { ...options, redeem: { ...options.redeem, ...redeem } }
        })
      }
      for (const [redeem, message] of [
        [{ enabled: false }, "Spending WoowUp points is not enabled in this store (redeem.enabled)"],
        [{ pointValue: { eur: 0.1 } }, "points cannot pay for a cart in USD: the store set no redeem.pointValue for this currency"],
      ] as const) {
        const spy = withRedeem(redeem)
        try {
          const refused = await applyPoints(cart, 20, gus.token)
          expect([refused.status, refused.body.message]).toEqual([400, message])
        } finally {
          spy.mockRestore()
        }
      }

      for (const id of [cart.id, small.id, unprovenCart.id]) {
        expect(await holdsOf(id)).toEqual([])
      }
    })
  },
})
