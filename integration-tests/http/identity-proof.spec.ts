/**
 * Issue 17, "Only proven identities are read or written", with the default `email` identity. Real app, customers
 * signing up through the store API, orders captured through the admin API, codes sent through Medusa's
 * Notification module, the WoowUp sandbox over HTTP.
 */
import type { IEventBusModuleService, INotificationModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, CustomerWorkflowEvents, Modules, OrderWorkflowEvents, PaymentEvents } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import { WOOWUP_IDENTITY_PROVEN } from "../../src/workflows/utils/identity-proof"
import {
  capturePayment,
  createAdminUser,
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

const woowup = useWoowupSandbox({ syncCustomers: true, pointsPerCurrencyUnit: 1, storeCacheSeconds: 60 })

async function getSync(container: MedusaContainer, customerId: string) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "customer", fields: ["id", "woowup_customer_sync.*"], filters: { id: customerId } })
  return (data[0] as any)?.woowup_customer_sync ?? null
}

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let store: SeededStore
    let admin: AuthHeaders
    let adminId: string

    beforeAll(async () => {
      store = await seedStore(getContainer())
      const user = await createAdminUser(getContainer())
      admin = user.headers
      adminId = user.userId
    })

    const bus = () => getContainer().resolve<IEventBusModuleService>(Modules.EVENT_BUS)
    const handled = (event: string, triggerCount = 1) =>
      TestEventUtils.waitSubscribersExecution(event, bus(), { timeout: EVENT_WAIT_MS, triggerCount })
    const calls = () => woowup.sandbox.requests.filter((r) => !r.path.startsWith("/branches")).map((r) => `${r.method} ${r.path}`)
    const inWoowup = (email: string) => woowup.sandbox.state.customers.find((c) => c.email === email)

    const person = (name: string, phone?: string): CustomerInput => ({
      email: `${name.toLowerCase()}@example.com`,
      password: "secret-123",
      first_name: name,
      last_name: "Test",
      ...(phone ? { phone } : {}),
    })

    async function signUp(customer: CustomerInput): Promise<LoggedInCustomer> {
      const created = handled(CustomerWorkflowEvents.CREATED)
      const me = await loginOrRegisterCustomer(api, store, customer)
      await created
      return me
    }

    async function rewardedOrder(opts: { customer?: CustomerInput; email?: string }) {
      const placed = handled(OrderWorkflowEvents.PLACED)
      const order = await placeOrder(api, store, { ...opts, items: [{ variant_id: store.variants.standard, quantity: 2 }] })
      await placed
      const captured = handled(PaymentEvents.CAPTURED)
      await capturePayment(api, admin, order.id)
      await captured
      const reward = await waitForReward(getContainer(), order.id, (r) => r.reason !== "nothing_captured")
      expect(reward).toMatchObject({ status: "synced" })
      expect(reward.points).toBeGreaterThan(0)
      return { order, reward }
    }

    /** `GET /store/customers/me/woowup`, and the WoowUp calls it made. */
    const me = async (token: string) => {
      const before = woowup.sandbox.requests.length
      const res = await api.get(`/store/customers/me/woowup`, { ...storeHeaders(store, token), validateStatus: () => true } as any)
      return { status: res.status as number, body: res.data, calls: woowup.sandbox.requests.slice(before).map((r) => r.path) }
    }

    const post = async (path: string, body: unknown, config: any) =>
      await api.post(path, body, { ...config, validateStatus: () => true } as any)
    const del = async (path: string, config: any) => await api.delete(path, { ...config, validateStatus: () => true } as any)

    async function verify(customerId: string) {
      const proven = handled(WOOWUP_IDENTITY_PROVEN)
      const res = await post(`/admin/woowup/customers/${customerId}/verify`, {}, admin)
      await proven
      return res
    }

    /** The codes the Notification module sent to `email`, newest first. */
    async function codesSentTo(email: string): Promise<string[]> {
      const notifications = getContainer().resolve<INotificationModuleService>(Modules.NOTIFICATION)
      const sent = await notifications.listNotifications(
        { to: email, template: "woowup-identity-verification" },
        { order: { created_at: "DESC" } }
      )
      return sent.map((n) => (n.data as any).code)
    }

    it("item 2: a stranger who signs up with a guest buyer's email reads nothing, and the guest's WoowUp profile is unchanged", async () => {
      const { sandbox } = woowup
      // The guest buys: WoowUp gets a customer with the shipping address's name and phone, and the points.
      const { reward } = await rewardedOrder({ email: "guest@example.com" })
      const guest = { ...inWoowup("guest@example.com")! }
      expect(guest).toMatchObject({ first_name: "Ana", last_name: "Pérez", telephone: "+56912345678", points: reward.points })
      const transactions = sandbox.state.transactions.length

      // A stranger registers an account with the guest's email (Medusa does not verify emails).
      sandbox.requests.length = 0
      const mallory = await signUp({ ...person("Mallory", "+5491199999999"), email: "guest@example.com" })
      expect(calls().every((c) => c === "POST /users")).toBe(true)
      expect(await getSync(getContainer(), mallory.id)).toMatchObject({ status: "skipped", reason: "identity_not_proven" })

      const updated = handled(CustomerWorkflowEvents.UPDATED)
      await request("update", "post", api, "/store/customers/me", { first_name: "Mal", phone: "+5491188888888" }, storeHeaders(store, mallory.token))
      await updated
      expect(calls().every((c) => c === "POST /users")).toBe(true)
      expect(await getSync(getContainer(), mallory.id)).toMatchObject({ status: "skipped", reason: "identity_not_proven" })

      const read = await me(mallory.token)
      expect(read).toEqual({ status: 200, body: { woowup: { verified: false } }, calls: [] })

      expect(inWoowup("guest@example.com")).toEqual(guest)
      expect(sandbox.state.customers).toHaveLength(1)
      expect(sandbox.state.transactions).toHaveLength(transactions)
    })

    it("a new email is still created in WoowUp at sign-up, but not updated until it is proven; the admin's proof then syncs it", async () => {
      const { sandbox } = woowup
      // Created with the email and names: the phone is anyone's until the account is proven.
      const nina = await signUp(person("Nina", "+5491100000011"))
      expect(calls()).toEqual(["POST /users"])
      expect(sandbox.requests[0].body).toEqual({ email: "nina@example.com", first_name: "Nina", last_name: "Test" })

      sandbox.requests.length = 0
      const updated = handled(CustomerWorkflowEvents.UPDATED)
      await request("update", "post", api, "/store/customers/me", { first_name: "Nina Sofía" }, storeHeaders(store, nina.token))
      await updated
      expect(calls()).toEqual([])
      expect(inWoowup("nina@example.com")).toMatchObject({ first_name: "Nina" })
      expect(await getSync(getContainer(), nina.id)).toMatchObject({ status: "skipped", reason: "identity_not_proven" })

      expect((await verify(nina.id)).status).toBe(200)
      expect(calls()).toEqual(["PUT /multiusers"])
      expect(inWoowup("nina@example.com")).toMatchObject({ first_name: "Nina Sofía", telephone: "+5491100000011" })
      expect(await getSync(getContainer(), nina.id)).toMatchObject({ status: "synced" })
    })

    it("item 4: anonymous sign-ups cost one call each, even with a phone WoowUp knows, and create a bare customer", async () => {
      const { sandbox } = woowup
      const PHONE = "+5491144440000"
      const res = await fetch(`${sandbox.url}/users`, {
        method: "POST",
        headers: { authorization: `Basic ${sandbox.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ email: "dora@example.com", telephone: PHONE, first_name: "Dora" }),
      })
      expect(res.status).toBe(201)
      const dora = { ...inWoowup("dora@example.com")! }
      sandbox.requests.length = 0

      // Only the publishable key: register, create the account, log in. Five strangers, Dora's phone each time.
      const strangers: LoggedInCustomer[] = []
      for (let i = 1; i <= 5; i++) {
        strangers.push(await signUp({ ...person(`Anon${i}`, PHONE) }))
      }
      expect(calls()).toEqual(Array(5).fill("POST /users"))
      expect(sandbox.requests.map((r) => r.status)).toEqual(Array(5).fill(201))
      expect(sandbox.requests.every((r) => !("telephone" in (r.body as object)))).toBe(true)
      expect(inWoowup("dora@example.com")).toEqual(dora)
      for (const stranger of strangers) {
        expect(await me(stranger.token)).toEqual({ status: 200, body: { woowup: { verified: false } }, calls: [] })
      }
    })

    it("the owner proven by an admin sees their own points; DELETE undoes it; a changed email is no longer proven", async () => {
      const olga = person("Olga")
      await signUp(olga)
      const { order, reward } = await rewardedOrder({ customer: olga })
      const { id, token } = order.customer!
      expect(await me(token)).toEqual({ status: 200, body: { woowup: { verified: false } }, calls: [] })
      const before = await api.get(`/admin/woowup/customers/${id}/verify`, admin)
      expect(before.data.woowup_identity).toEqual({
        customer_id: id,
        verified: false,
        identifier: "email",
        identity: "olga@example.com",
        proof: null,
      })

      const res = await verify(id)
      expect(res.status).toBe(200)
      expect(res.data.woowup_identity).toEqual({
        customer_id: id,
        verified: true,
        identifier: "email",
        identity: "olga@example.com",
        proof: {
          identifier: "email",
          identity: "olga@example.com",
          method: "admin",
          proven_by: adminId,
          proven_at: expect.any(String),
          revoked_by: null,
          revoked_at: null,
        },
      })
      expect((await api.get(`/admin/woowup/customers/${id}/verify`, admin)).data).toEqual(res.data)
      const own = await me(token)
      expect(own.status).toBe(200)
      expect(own.body.woowup).toMatchObject({
        verified: true,
        points: reward.points,
        transactions: [expect.objectContaining({ points: reward.points, description: order.id })],
      })

      const undone = await del(`/admin/woowup/customers/${id}/verify`, admin)
      expect(undone.status).toBe(200)
      expect(undone.data.woowup_identity).toMatchObject({
        verified: false,
        proof: { identifier: null, identity: null, method: null, revoked_by: adminId, revoked_at: expect.any(String) },
      })
      expect(await me(token)).toEqual({ status: 200, body: { woowup: { verified: false } }, calls: [] })

      // Proven again, then the email changes (an admin can change it): the proof was of the old one.
      expect((await verify(id)).status).toBe(200)
      expect((await me(token)).body.woowup.verified).toBe(true)
      const updated = handled(CustomerWorkflowEvents.UPDATED)
      await api.post(`/admin/customers/${id}`, { email: "olga.new@example.com" }, admin)
      await updated
      expect(await me(token)).toEqual({ status: 200, body: { woowup: { verified: false } }, calls: [] })
    })

    it("answers 404 for an unknown customer, 400 for a body, 401 without an admin", async () => {
      expect((await post(`/admin/woowup/customers/cus_unknown/verify`, {}, admin)).status).toBe(404)
      expect((await api.get(`/admin/woowup/customers/cus_unknown/verify`, { ...admin, validateStatus: () => true } as any)).status).toBe(404)
      expect((await del(`/admin/woowup/customers/cus_unknown/verify`, admin)).status).toBe(404)
      const { id } = await signUp(person("Pia"))
      const bad = await post(`/admin/woowup/customers/${id}/verify`, { identity: "someone@example.com" }, admin)
      expect(bad.status).toBe(400)
      expect(bad.data.message).toContain("identity")
      expect((await post(`/admin/woowup/customers/${id}/verify`, {}, {})).status).toBe(401)
      expect((await del(`/admin/woowup/customers/${id}/verify`, {})).status).toBe(401)
    })

    it("a customer proves their email with a code sent through the Notification module, once, and then sees their points", async () => {
      const rosa = person("Rosa")
      await signUp(rosa)
      const { reward, order } = await rewardedOrder({ customer: rosa })
      const { token, id } = order.customer!
      const headers = storeHeaders(store, token)

      const sent = await post("/store/customers/me/woowup/verification", {}, headers)
      expect(sent.status).toBe(202)
      expect(sent.data).toEqual({ verification: { email: "rosa@example.com", expires_at: expect.any(String) } })
      const [code] = await codesSentTo("rosa@example.com")
      expect(code).toMatch(/^\d{6}$/)
      // The plugin keeps only a hash of it.
      const proof = await (getContainer().resolve("woowup") as any).retrieveIdentityProof(id)
      expect(JSON.stringify(proof)).not.toContain(code)

      // At most one code a minute.
      const again = await post("/store/customers/me/woowup/verification", {}, headers)
      expect(again.status).toBe(429)
      expect(Number(again.headers["retry-after"])).toBeGreaterThan(0)
      expect(await codesSentTo("rosa@example.com")).toHaveLength(1)

      const confirm = (body: unknown) => post("/store/customers/me/woowup/verification/confirm", body, headers)
      const missing = await confirm({})
      expect(missing.status).toBe(400)
      expect(missing.data.message).toContain("code")
      expect((await confirm({ code: "abc" })).data.message).toContain("code")
      const wrong = await confirm({ code: code === "000000" ? "000001" : "000000" })
      expect(wrong.status).toBe(400)
      expect(wrong.data.message).toMatch(/code is not the one sent/)
      expect(await me(token)).toEqual({ status: 200, body: { woowup: { verified: false } }, calls: [] })

      const right = await confirm({ code })
      expect(right.status).toBe(200)
      expect(right.data).toEqual({ woowup: { verified: true } })
      expect((await me(token)).body.woowup).toMatchObject({ verified: true, points: reward.points })
      const record = await (getContainer().resolve("woowup") as any).retrieveIdentityProof(id)
      expect(record).toMatchObject({ identifier: "email", identity: "rosa@example.com", method: "email_code", proven_by: id, code_hash: null })

      // A code proves once.
      expect((await confirm({ code })).data.message).toMatch(/no code is pending/)
    })

    it("a code expires, and a customer gets at most five codes an hour", async () => {
      const tina = await signUp(person("Tina"))
      const headers = storeHeaders(store, tina.token)
      const service = getContainer().resolve("woowup") as any
      const send = () => post("/store/customers/me/woowup/verification", {}, headers)
      const rewind = async (fields: Record<string, Date>) => {
        const row = await service.retrieveIdentityProof(tina.id)
        await service.updateWoowupIdentityProofs({ id: row.id, ...fields })
      }

      expect((await send()).status).toBe(202)
      const [code] = await codesSentTo("tina@example.com")
      await rewind({ code_expires_at: new Date(Date.now() - 1_000) })
      const late = await post("/store/customers/me/woowup/verification/confirm", { code }, headers)
      expect(late.status).toBe(400)
      expect(late.data.message).toMatch(/code has expired/)

      // Four more, each a minute after the last (the minute rewound), then the hour's limit.
      for (let i = 2; i <= 5; i++) {
        await rewind({ code_sent_at: new Date(Date.now() - 61_000) })
        expect((await send()).status).toBe(202)
      }
      await rewind({ code_sent_at: new Date(Date.now() - 61_000) })
      const sixth = await send()
      expect(sixth.status).toBe(429)
      expect(Number(sixth.headers["retry-after"])).toBeGreaterThan(60)
      expect(await codesSentTo("tina@example.com")).toHaveLength(5)

      // The newest code still proves the email.
      const [newest] = await codesSentTo("tina@example.com")
      expect((await post("/store/customers/me/woowup/verification/confirm", { code: newest }, headers)).status).toBe(200)
    })

    it("a code takes five guesses, then even the right one is refused", async () => {
      const sara = await signUp(person("Sara"))
      const headers = storeHeaders(store, sara.token)
      expect((await post("/store/customers/me/woowup/verification", {}, headers)).status).toBe(202)
      const [code] = await codesSentTo("sara@example.com")
      const wrongCode = code === "999999" ? "999998" : "999999"
      const guesses = await Promise.all(
        Array.from({ length: 8 }, () => post("/store/customers/me/woowup/verification/confirm", { code: wrongCode }, headers))
      )
      expect(guesses.map((g) => g.status).sort()).toEqual([400, 400, 400, 400, 400, 429, 429, 429])
      const late = await post("/store/customers/me/woowup/verification/confirm", { code }, headers)
      expect(late.status).toBe(429)
      expect(late.data.message).toMatch(/too many wrong codes/)
      expect(await me(sara.token)).toEqual({ status: 200, body: { woowup: { verified: false } }, calls: [] })
    })
  },
})
