/**
 * The customer's points in the storefront (issue 11): `GET /store/customers/me/woowup` and
 * `GET /store/woowup/points-preview`. Real app, real orders captured through the admin API, the WoowUp sandbox
 * over HTTP.
 */
import type { IEventBusModuleService } from "@medusajs/framework/types"
import { Modules, OrderWorkflowEvents, PaymentEvents } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import {
  adminHeaders,
  capturePayment,
  refundPayment,
  loginOrRegisterCustomer,
  placeOrder,
  seedStore,
  storeHeaders,
  type AuthHeaders,
  type CustomerInput,
  type SeededStore,
  verifyWoowupIdentity,
} from "../helpers"
import { EVENT_WAIT_MS, useWoowupSandbox, waitForReward } from "../helpers/woowup"
import { STORE_READS_PER_MINUTE } from "../../src/api/store/woowup/throttle"
import type { StoreWoowupPointsPreviewResponse, StoreWoowupPointsResponse } from "../../src/api/store/woowup/types"

// Rules that make the preview worth checking: a fractional rate, rounding up, shipping counted.
const woowup = useWoowupSandbox({ pointsPerCurrencyUnit: 1.5, rounding: "ceil", includeShipping: true, storeCacheSeconds: 60 })

let phones = 0
const person = (name: string): CustomerInput => ({
  email: `${name}@example.com`,
  password: "secret-123",
  first_name: name,
  last_name: "Test",
  phone: `+5491100000${String(++phones).padStart(3, "0")}`,
})

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let admin: AuthHeaders

    beforeAll(async () => {
      store = await seedStore(getContainer())
      admin = await adminHeaders(getContainer())
    })

    afterEach(() => {
      jest.restoreAllMocks()
      woowup.sandbox.setFaults({})
    })

    const bus = () => getContainer().resolve<IEventBusModuleService>(Modules.EVENT_BUS)

    async function rewardedOrder(customer: CustomerInput, quantity = 3) {
      const placedHandled = TestEventUtils.waitSubscribersExecution(OrderWorkflowEvents.PLACED, bus(), { timeout: EVENT_WAIT_MS })
      const order = await placeOrder(api, store, { customer, items: [{ variant_id: store.variants.standard, quantity }] })
      await placedHandled
      const captureHandled = TestEventUtils.waitSubscribersExecution(PaymentEvents.CAPTURED, bus(), { timeout: EVENT_WAIT_MS })
      await capturePayment(api, admin, order.id)
      await captureHandled
      const reward = await waitForReward(getContainer(), order.id, (r) => r.reason !== "nothing_captured")
      expect(reward).toMatchObject({ status: "synced" })
      // Points are shown only under an identity the store has proven (README, "Proven identities").
      await verifyWoowupIdentity(api, admin, order.customer!.id)
      return { order, reward, token: order.customer!.token }
    }

    /** A customer with an account whose identity the store has proven. */
    async function provenCustomer(customer: CustomerInput) {
      const me = await loginOrRegisterCustomer(api, store, customer)
      await verifyWoowupIdentity(api, admin, me.id)
      return me
    }

    /** The route's answer, whatever its status. */
    const me = async (token: string | undefined, query = "") => {
      const res = await api.get(`/store/customers/me/woowup${query}`, { ...storeHeaders(store, token), validateStatus: () => true } as any)
      return { status: res.status as number, body: res.data }
    }

    const woowupReads = () =>
      woowup.sandbox.requests.filter((r) => r.method === "GET" && r.path.startsWith("/multiusers/")).map((r) => r.path)

    /** Makes the read cached a minute ago look old: the cache's and the reader's clocks both read Date.now. */
    const laterBy = (ms: number) => {
      const now = Date.now.bind(Date)
      jest.spyOn(Date, "now").mockImplementation(() => now() + ms)
    }

    it("answers 401 without a logged-in customer, and refuses to read anyone else's", async () => {
      expect((await me(undefined)).status).toBe(401)
      expect((await me("not-a-token")).status).toBe(401)
      const { token } = await loginOrRegisterCustomer(api, store, person("nobody"))
      const other = await me(token, "?customer_id=cus_someone_else")
      expect(other.status).toBe(400)
      expect(woowupReads()).toEqual([])
    })

    it("shows a customer their own points after an order is rewarded; another customer sees their own 0", async () => {
      const ana = person("ana")
      const { order, reward, token } = await rewardedOrder(ana)
      expect(reward.points).toBeGreaterThan(0)

      const own = await me(token)
      expect(own.status).toBe(200)
      const body = own.body as StoreWoowupPointsResponse
      expect(body.woowup).toEqual({
        verified: true,
        points: reward.points,
        updated_at: expect.any(String),
        transactions: [
          { id: expect.any(String), kind: "earned", points: reward.points, order_id: order.id, description: order.id, created_at: expect.stringMatching(/Z$/) },
        ],
        limit: 20,
        offset: 0,
      })
      expect(body.woowup).not.toHaveProperty("stale")
      expect(woowup.sandbox.requests.filter((r) => r.path === "/multiusers/find").map((r) => r.query)).toEqual([{ email: ana.email }])

      // Until the store proves Bruno's identity, he gets nothing of WoowUp's, and WoowUp is not asked.
      const bruno = await loginOrRegisterCustomer(api, store, person("bruno"))
      expect(await me(bruno.token)).toEqual({ status: 200, body: { woowup: { verified: false } } })
      expect(woowup.sandbox.requests.filter((r) => r.path === "/multiusers/find")).toHaveLength(1)
      await verifyWoowupIdentity(api, admin, bruno.id)
      const theirs = await me(bruno.token)
      expect(theirs.status).toBe(200)
      expect(theirs.body.woowup).toMatchObject({ verified: true, points: 0, transactions: [] })
      // Bruno was looked up under his own identity, and never under Ana's again.
      expect(woowup.sandbox.requests.filter((r) => r.path === "/multiusers/find").map((r) => r.query)).toEqual([
        { email: ana.email },
        { email: "bruno@example.com" },
      ])
    })

    it("pages the transactions with limit and offset", async () => {
      const carla = person("carla")
      const { token } = await provenCustomer(carla)
      const { sandbox } = woowup
      const post = (path: string, body: unknown) =>
        fetch(`${sandbox.url}${path}`, {
          method: "POST",
          headers: { authorization: `Basic ${sandbox.apiKey}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        })
      await post("/users", { email: carla.email })
      for (let i = 1; i <= 7; i++) {
        await post("/multiusers/points", { email: carla.email, points: i, concept: "gift", description: `gift ${i}` })
      }
      const page = await me(token, "?limit=3&offset=2")
      expect(page.status).toBe(200)
      expect(page.body.woowup.points).toBe(28)
      // Newest first: gifts 7, 6 are skipped.
      expect(page.body.woowup.transactions.map((t: any) => t.description)).toEqual(["gift 5", "gift 4", "gift 3"])
      expect(page.body.woowup).toMatchObject({ limit: 3, offset: 2 })
      expect(page.body.woowup.transactions.map((t: any) => t.kind)).toEqual(["adjusted", "adjusted", "adjusted"])
      // Bounded, each refusal naming its field: the storefront pages through the latest 100 movements.
      for (const [query, field] of [
        ["?limit=101", "limit"],
        ["?limit=0", "limit"],
        ["?offset=-1", "offset"],
        ["?offset=100", "offset"],
        ["?offset=4999999999999", "offset"],
        ["?limit=abc", "limit"],
      ]) {
        const refused = await me(token, query)
        expect([query, refused.status]).toEqual([query, 400])
        expect(refused.body.message).toContain(field)
      }
      // Every page came from the one read of the customer.
      expect(woowupReads()).toEqual(["/multiusers/find", "/multiusers/transactions"])
      expect((await me(token, "?limit=2&offset=6")).body.woowup.transactions.map((t: any) => t.description)).toEqual(["gift 1"])
      expect(woowupReads()).toHaveLength(2)
    })

    it("shows points taken back by a refund in the customer's words, at once: the cached balance is cleared", async () => {
      const hugo = person("hugo")
      const { order, reward, token } = await rewardedOrder(hugo)
      const before = await me(token)
      expect(before.body.woowup.points).toBe(reward.points)

      const refunded = TestEventUtils.waitSubscribersExecution(PaymentEvents.REFUNDED, bus(), { timeout: EVENT_WAIT_MS })
      await refundPayment(api, admin, order.id)
      await refunded
      // Well within storeCacheSeconds: without the clearing, the old balance would be answered.
      const after = await me(token)
      expect(after.status).toBe(200)
      expect(after.body.woowup.points).toBe(0)
      expect(after.body.woowup.transactions).toEqual([
        {
          id: expect.any(String),
          kind: "taken_back",
          points: -reward.points!,
          order_id: order.id,
          description: "Points taken back for a refund",
          created_at: expect.any(String),
        },
        expect.objectContaining({ kind: "earned", points: reward.points, order_id: order.id }),
      ])
      // What WoowUp holds carries the mark (it finds a lost answer); the storefront never shows it.
      expect(woowup.sandbox.state.transactions.some((t) => t.description?.includes(`[${order.id}:`))).toBe(true)
      expect(JSON.stringify(after.body)).not.toContain(`[${order.id}`)
    })

    it("costs one WoowUp read for 100 requests at once of one customer, the ones past the throttle answered 429", async () => {
      const dora = person("dora")
      const { token } = await rewardedOrder(dora)
      woowup.sandbox.requests.length = 0

      const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => me(token, `?limit=1&offset=${i % 3}`)))
      const ok = answers.filter((a) => a.status === 200)
      const throttled = answers.filter((a) => a.status === 429)
      expect(ok).toHaveLength(STORE_READS_PER_MINUTE)
      expect(throttled).toHaveLength(100 - STORE_READS_PER_MINUTE)
      expect(throttled[0].body).toEqual({ type: "too_many_requests", message: expect.stringContaining("Try again in") })
      expect(new Set(ok.map((a) => a.body.woowup.points)).size).toBe(1)
      expect(woowupReads()).toEqual(["/multiusers/find", "/multiusers/transactions"])
    })

    it("answers the last balance known, marked stale, while WoowUp is down; 503 when none is known; never a 500", async () => {
      const eva = person("eva")
      const { reward, token } = await rewardedOrder(eva)
      const fresh = await me(token)
      expect(fresh.body.woowup.points).toBe(reward.points)

      woowup.sandbox.setFaults({ errorRate: 1, errorStatuses: [503] })
      laterBy(61_000)
      const stale = await me(token)
      expect(stale.status).toBe(200)
      expect(stale.body.woowup).toEqual({ ...fresh.body.woowup, stale: true })
      expect(woowupReads().slice(-1)).toEqual(["/multiusers/find"]) // it did try

      const { token: newcomer } = await provenCustomer(person("fede"))
      const unknown = await me(newcomer)
      expect(unknown.status).toBe(503)
      expect(unknown.body).toEqual({ type: "woowup_unavailable", message: expect.stringMatching(/WoowUp cannot be reached/) })
      expect(JSON.stringify(unknown.body)).not.toContain(woowup.sandbox.apiKey)

      // Hangs too: the read gives up in seconds, not after the award path's retries.
      woowup.sandbox.setFaults({ hangRate: 1 })
      expect((await me(newcomer)).status).toBe(503)

      woowup.sandbox.setFaults({})
      const back = await me(token)
      expect(back.status).toBe(200)
      expect(back.body.woowup).not.toHaveProperty("stale")
    })

    it("previews the points a cart earns, as the order then earns them", async () => {
      const gabi = person("gabi")
      const { order, reward } = await rewardedOrder(gabi, 5)
      woowup.sandbox.requests.length = 0

      const { data }: { data: StoreWoowupPointsPreviewResponse } = await api.get(
        `/store/woowup/points-preview?cart_id=${order.cart_id}`,
        storeHeaders(store)
      )
      expect(data.points_preview).toEqual({ points: reward.points, amount: reward.amount, currency_code: "usd", reason: null })
      expect(woowup.sandbox.requests).toHaveLength(0)

      const ask = (query: string) =>
        api.get(`/store/woowup/points-preview${query}`, { ...storeHeaders(store), validateStatus: () => true } as any)
      const missing = await ask("")
      expect(missing.status).toBe(400)
      expect(missing.data.message).toContain("cart_id")
      const bad = await ask("?cart_id=nope")
      expect(bad.status).toBe(400)
      expect(bad.data.message).toContain("cart_id")
      expect((await ask("?cart_id=cart_01JZZZZZZZZZZZZZZZZZZZZZZZ")).status).toBe(404)
    })
  },
})
