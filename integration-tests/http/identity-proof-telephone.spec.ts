/**
 * Issue 17, item 1: a store that knows WoowUp customers by `telephone` (the customer's phone, or
 * `metadata.whatsapp` when set). Anyone can type any phone or metadata into their own account: until the store
 * proves it theirs, they read nothing of WoowUp's and the sync writes nothing. Real app, real HTTP, the sandbox.
 */
import type { IEventBusModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, CustomerWorkflowEvents, Modules, OrderWorkflowEvents, PaymentEvents } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import { WOOWUP_IDENTITY_PROVEN } from "../../src/workflows/utils/identity-proof"
import {
  adminHeaders,
  capturePayment,
  loginOrRegisterCustomer,
  placeOrder,
  request,
  seedStore,
  storeHeaders,
  type AuthHeaders,
  type CustomerInput,
  type LoggedInCustomer,
  type SeededStore,
} from "../helpers"
import { EVENT_WAIT_MS, useWoowupSandbox, waitForReward } from "../helpers/woowup"

const woowup = useWoowupSandbox({
  identifier: "telephone",
  identifierMetadataKey: "whatsapp",
  syncCustomers: true,
  pointsPerCurrencyUnit: 4,
  storeCacheSeconds: 60,
})

const VICTIM_PHONE = "+5491155550001"

async function getSync(container: MedusaContainer, customerId: string) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "customer", fields: ["id", "woowup_customer_sync.*"], filters: { id: customerId } })
  return (data[0] as any)?.woowup_customer_sync ?? null
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let admin: AuthHeaders

    beforeAll(async () => {
      store = await seedStore(getContainer())
      admin = await adminHeaders(getContainer())
    })

    const bus = () => getContainer().resolve<IEventBusModuleService>(Modules.EVENT_BUS)
    const handled = (event: string) => TestEventUtils.waitSubscribersExecution(event, bus(), { timeout: EVENT_WAIT_MS })
    const byPhone = (phone: string) => woowup.sandbox.state.customers.find((c) => c.telephone === phone)

    const person = (name: string, phone: string): CustomerInput => ({
      email: `${name.toLowerCase()}@example.com`,
      password: "secret-123",
      first_name: name,
      last_name: "Test",
      phone,
    })

    async function signUp(customer: CustomerInput): Promise<LoggedInCustomer> {
      const created = handled(CustomerWorkflowEvents.CREATED)
      const me = await loginOrRegisterCustomer(api, store, customer)
      await created
      return me
    }

    async function update(who: LoggedInCustomer, body: Record<string, unknown>) {
      const updated = handled(CustomerWorkflowEvents.UPDATED)
      await request("update", "post", api, "/store/customers/me", body, storeHeaders(store, who.token))
      await updated
    }

    const me = async (token: string) => {
      const before = woowup.sandbox.requests.length
      const res = await api.get(`/store/customers/me/woowup`, { ...storeHeaders(store, token), validateStatus: () => true } as any)
      return { status: res.status as number, body: res.data, calls: woowup.sandbox.requests.slice(before).map((r) => r.path) }
    }

    async function verify(customerId: string) {
      const proven = handled(WOOWUP_IDENTITY_PROVEN)
      const { data } = await api.post(`/admin/woowup/customers/${customerId}/verify`, {}, admin)
      await proven
      return data.woowup_identity
    }

    /** The victim: an account with their phone, an order rewarded under it, proven by the store. */
    async function victimWithPoints() {
      const victim = person("Vera", VICTIM_PHONE)
      const vera = await signUp(victim)
      const placed = handled(OrderWorkflowEvents.PLACED)
      const order = await placeOrder(api, store, { customer: victim, items: [{ variant_id: store.variants.standard, quantity: 2 }] })
      await placed
      const captured = handled(PaymentEvents.CAPTURED)
      await capturePayment(api, admin, order.id)
      await captured
      const reward = await waitForReward(getContainer(), order.id, (r) => r.reason !== "nothing_captured")
      expect(reward).toMatchObject({ status: "synced", identity: VICTIM_PHONE })
      expect(reward.points).toBeGreaterThan(0)
      return { vera, order, reward }
    }

    it("item 1: a stranger who sets the victim's phone (or metadata) on their account gets no points, no history, and WoowUp is untouched", async () => {
      const { sandbox } = woowup
      const { vera, order, reward } = await victimWithPoints()
      const victimInWoowup = { ...byPhone(VICTIM_PHONE)! }
      expect(victimInWoowup).toMatchObject({ first_name: "Vera", points: reward.points })
      const transactions = sandbox.state.transactions.length

      // Stranger one signs up, then types the victim's phone into their account.
      sandbox.requests.length = 0
      const mallory = await signUp(person("Mallory", "+5491155550002"))
      await update(mallory, { phone: VICTIM_PHONE, first_name: "Mallory", last_name: "Renamed" })
      // Stranger two puts it in the metadata the identity is read from.
      const trudy = await signUp(person("Trudy", "+5491155550003"))
      await update(trudy, { metadata: { whatsapp: VICTIM_PHONE }, first_name: "Trudy" })

      for (const stranger of [mallory, trudy]) {
        expect(await me(stranger.token)).toEqual({ status: 200, body: { woowup: { verified: false } }, calls: [] })
        expect(await getSync(getContainer(), stranger.id)).toMatchObject({ status: "skipped", reason: "identity_not_proven" })
      }
      // Not one call: an unproven phone is neither read nor synced.
      expect(sandbox.requests).toEqual([])
      expect(byPhone(VICTIM_PHONE)).toEqual(victimInWoowup)
      expect(sandbox.state.transactions).toHaveLength(transactions)

      // Codes prove emails; a phone is the store's to prove.
      const code = await api.post("/store/customers/me/woowup/verification", {}, { ...storeHeaders(store, mallory.token), validateStatus: () => true } as any)
      expect(code.status).toBe(400)
      expect(code.data.message).toMatch(/telephone/)

      // The owner, unproven, sees nothing either; once the store proves their phone, their own points and history.
      expect(await me(vera.token)).toEqual({ status: 200, body: { woowup: { verified: false } }, calls: [] })
      expect(await verify(vera.id)).toMatchObject({ verified: true, identifier: "telephone", identity: VICTIM_PHONE })
      expect((await me(vera.token)).body.woowup).toMatchObject({
        verified: true,
        points: reward.points,
        transactions: [expect.objectContaining({ points: reward.points, description: order.id })],
      })
    })

    it("a proof is of the phone proven: after the owner changes it, it no longer applies, until proven again", async () => {
      const owner = person("Olivia", "+5491155550010")
      const olivia = await signUp(owner)
      expect(await verify(olivia.id)).toMatchObject({ verified: true, identity: "+5491155550010" })
      expect((await me(olivia.token)).body.woowup).toMatchObject({ verified: true, points: 0 })

      await update(olivia, { phone: "+5491155550011" })
      expect(await me(olivia.token)).toEqual({ status: 200, body: { woowup: { verified: false } }, calls: [] })
      expect(await getSync(getContainer(), olivia.id)).toMatchObject({ status: "skipped", reason: "identity_not_proven" })

      expect(await verify(olivia.id)).toMatchObject({ verified: true, identity: "+5491155550011" })
      expect((await me(olivia.token)).body.woowup.verified).toBe(true)
      expect(await getSync(getContainer(), olivia.id)).toMatchObject({ status: "synced", identity: "+5491155550011" })
      expect(byPhone("+5491155550011")).toMatchObject({ first_name: "Olivia" })
    })
  },
})
