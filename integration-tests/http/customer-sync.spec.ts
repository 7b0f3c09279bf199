/**
 * Issue 11: customers are kept in step with WoowUp from sign-up, not only when they buy. Real app, customers signing
 * up and changing through the store API, orders captured through the admin API, the WoowUp sandbox over HTTP.
 */
import type { IEventBusModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, CustomerWorkflowEvents, Modules, OrderWorkflowEvents, PaymentEvents } from "@medusajs/framework/utils"
import { medusaIntegrationTestRunner, TestEventUtils } from "@medusajs/test-utils"
import { WOOWUP_MODULE } from "../../src/modules/woowup"
import { accountFingerprint } from "../../src/modules/woowup/account"
import type WoowupModuleService from "../../src/modules/woowup/service"
import type { CustomerSyncRecord } from "../../src/modules/woowup/service"
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
import { EVENT_WAIT_MS, useWoowupSandbox, waitForReward, reconcileJob } from "../helpers/woowup"
import { WOOWUP_IDENTITY_PROVEN } from "../../src/workflows/utils/identity-proof"

// The job is run by the tests themselves, at times of their choosing: the minute ticker stays off.
const woowup = useWoowupSandbox({
  syncCustomers: true,
  pointsPerCurrencyUnit: 1,
  reconcile: { enabled: false, schedule: "*/15 * * * *" },
})

/** The customer's sync record, read through the customer's link, as the admin would. */
async function getSync(container: MedusaContainer, customerId: string): Promise<CustomerSyncRecord | null> {
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
    const service = () => getContainer().resolve<WoowupModuleService>(WOOWUP_MODULE)
    const calls = () => woowup.sandbox.requests.filter((r) => !r.path.startsWith("/branches")).map((r) => `${r.method} ${r.path} ${r.status}`)
    const inWoowup = (email: string) => woowup.sandbox.state.customers.find((c) => c.email === email)
    const handled = (event: string, triggerCount = 1) =>
      TestEventUtils.waitSubscribersExecution(event, bus(), { timeout: EVENT_WAIT_MS, triggerCount })

    const runJob = reconcileJob(getContainer).run

    async function waitForRun(id: string) {
      for (let i = 0; i < 600; i++) {
        const { data } = await api.get(`/admin/woowup/resync/${id}`, admin)
        if (data.resync.status === "done" || data.resync.status === "failed") {
          return data.resync
        }
        await new Promise((r) => setTimeout(r, 100))
      }
      throw new Error(`resync ${id} did not finish`)
    }

    /** Signs the customer up through the store API and waits for the plugin's `customer.created` subscriber. */
    async function signUp(customer: CustomerInput): Promise<LoggedInCustomer> {
      const created = handled(CustomerWorkflowEvents.CREATED)
      const me = await loginOrRegisterCustomer(api, store, customer)
      await created
      return me
    }

    /**
     * The store proves the customer's identity (an admin's verify), and the sync it starts is done: until then the
     * sync never updates what WoowUp has of them (identity-proof.spec.ts).
     */
    async function prove(me: LoggedInCustomer) {
      const proven = handled(WOOWUP_IDENTITY_PROVEN)
      await request("verify", "post", api, `/admin/woowup/customers/${me.id}/verify`, {}, admin)
      await proven
    }

    async function update(me: LoggedInCustomer, body: Record<string, unknown>) {
      return await request("update customer", "post", api, "/store/customers/me", body, storeHeaders(store, me.token))
    }

    const person = (name: string, phone?: string): CustomerInput => ({
      email: `${name.toLowerCase()}@example.com`,
      password: "secret-123",
      first_name: name,
      last_name: "Gómez",
      ...(phone ? { phone } : {}),
    })

    it("creates the customer at sign-up, updates them when they change, and their first order costs one call", async () => {
      const { sandbox } = woowup
      const ana = await signUp(person("Ana", "+5491100000001"))
      expect(calls()).toEqual(["POST /users 201"])
      // Not proven yet: the email and names; the phone is anyone's until then (identity-proof.spec.ts).
      expect(sandbox.requests[0].body).toEqual({ email: "ana@example.com", first_name: "Ana", last_name: "Gómez" })
      expect(await getSync(getContainer(), ana.id)).toMatchObject({
        status: "synced",
        trigger: "customer_created",
        identifier: "email",
        identity: "ana@example.com",
        customer_created: true,
        dirty: false,
        attempts: 1,
      })

      // Proven: the proof's sync sends the rest (the phone).
      await prove(ana)
      expect(calls()).toEqual(["POST /users 201", "PUT /multiusers 200"])
      expect(inWoowup("ana@example.com")).toMatchObject({ telephone: "+5491100000001" })

      // An address (no event of its own), then names and phone: one PUT with all of it.
      await request(
        "add address",
        "post",
        api,
        "/store/customers/me/addresses",
        { first_name: "Ana", last_name: "Gómez", address_1: "Av. Corrientes 1234", city: "Buenos Aires", province: "CABA", postal_code: "1043", country_code: "ar", is_default_shipping: true },
        storeHeaders(store, ana.token)
      )
      sandbox.requests.length = 0
      const updated = handled(CustomerWorkflowEvents.UPDATED)
      await update(ana, { first_name: "Ana María", last_name: "Gómez Paz", phone: "+5491100000002" })
      await updated
      expect(calls()).toEqual(["PUT /multiusers 200"])
      expect(sandbox.requests[0].body).toEqual({
        email: "ana@example.com",
        first_name: "Ana María",
        last_name: "Gómez Paz",
        telephone: "+5491100000002",
        city: "Buenos Aires",
        state: "CABA",
        street: "Av. Corrientes 1234",
        country: "ARG",
      })
      expect(inWoowup("ana@example.com")).toMatchObject({ first_name: "Ana María", telephone: "+5491100000002", country: "ARG" })
      expect(sandbox.state.customers).toHaveLength(1)
      expect(await getSync(getContainer(), ana.id)).toMatchObject({ status: "synced", trigger: "customer_updated", attempts: 3 })

      // The same data again: no call.
      const again = handled(CustomerWorkflowEvents.UPDATED)
      await update(ana, { first_name: "Ana María" })
      await again
      expect(sandbox.requests).toHaveLength(1)

      // Their first order: WoowUp knows them, so the purchase goes through at once.
      sandbox.requests.length = 0
      const placed = handled(OrderWorkflowEvents.PLACED)
      const order = await placeOrder(api, store, {
        customer: { ...person("Ana"), first_name: "Ana María" },
        items: [{ variant_id: store.variants.standard, quantity: 1 }],
      })
      await placed
      const captured = handled(PaymentEvents.CAPTURED)
      await capturePayment(api, admin, order.id)
      await captured
      const reward = await waitForReward(getContainer(), order.id, (r) => r.reason !== "nothing_captured")
      expect(reward).toMatchObject({ status: "synced", identity: "ana@example.com", customer_created: false })
      expect(calls()).toEqual(["POST /purchases 201"])
      expect(sandbox.state.customers).toHaveLength(1)
    })

    it("does not sync guests", async () => {
      const created = handled(CustomerWorkflowEvents.CREATED)
      const { data } = await api.post("/admin/customers", { email: "guest-by-admin@example.com", first_name: "Gus" }, admin)
      await created
      expect(data.customer.has_account).toBe(false)
      expect(woowup.sandbox.requests).toHaveLength(0)
      expect(await getSync(getContainer(), data.customer.id)).toMatchObject({ status: "skipped", reason: "guest" })
    })

    it("records a sync WoowUp failed as retryable, and the job syncs it once WoowUp is back and it is due", async () => {
      const { sandbox } = woowup
      sandbox.setFaults({ errorRate: 1, errorStatuses: [503] })
      const bea = await signUp(person("Bea"))
      const failed = await getSync(getContainer(), bea.id)
      expect(failed).toMatchObject({ status: "failed", retryable: true, failed_attempts: 1 })
      expect(new Date(failed!.next_attempt_at!).getTime()).toBeGreaterThan(Date.now())
      expect(inWoowup("bea@example.com")).toBeUndefined()

      // Not due yet: the job spends nothing on it, but reports the failure to WoowUp's screen.
      sandbox.setFaults({})
      sandbox.requests.length = 0
      expect(await runJob()).toMatchObject({ status: "done", customers_found: 0 })
      expect(sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["POST /integration-stats"])
      expect((sandbox.requests[0].body as any).customers.failed).toEqual([expect.objectContaining({ element: bea.id })])

      await service().updateWoowupCustomerSyncs({ id: failed!.id, next_attempt_at: new Date(Date.now() - 1_000) })
      expect(await runJob()).toMatchObject({
        status: "done",
        customers_found: 1,
        customers_sent: 1,
        customers_failed: 0,
      })
      // The customer, then the run's report of it (created: WoowUp did not know them).
      expect(calls()).toEqual(["POST /integration-stats 201", "POST /users 201", "POST /integration-stats 201"])
      expect((sandbox.requests[2].body as any).customers).toEqual({ created: 1, updated: 0, failed: [] })
      expect(inWoowup("bea@example.com")).toMatchObject({ first_name: "Bea" })
      expect(await getSync(getContainer(), bea.id)).toMatchObject({
        status: "synced",
        trigger: "reconcile",
        retryable: false,
        failed_attempts: 0,
        next_attempt_at: null,
      })
      expect(await runJob()).toMatchObject({ customers_found: 0 })
    })

    it("costs at most two calls for a burst of five updates, and WoowUp ends with the last one", async () => {
      const { sandbox } = woowup
      const cleo = await signUp(person("Cleo"))
      await prove(cleo)
      sandbox.requests.length = 0
      // Each WoowUp answer takes a while: the burst lands while the first sync is on the wire.
      sandbox.setFaults({ latencyMs: 1_000 })
      const updated = handled(CustomerWorkflowEvents.UPDATED, 5)
      await Promise.all([1, 2, 3, 4, 5].map((i) => update(cleo, { first_name: `Cleo ${i}`, phone: `+54911000000${i}` })))
      await updated
      sandbox.setFaults({})

      const { customer } = await request("me", "get", api, "/store/customers/me", undefined, storeHeaders(store, cleo.token))
      expect(calls().length).toBeGreaterThanOrEqual(1)
      expect(calls().length).toBeLessThanOrEqual(2)
      expect(calls().every((c) => c === "PUT /multiusers 200")).toBe(true)
      expect(inWoowup("cleo@example.com")).toMatchObject({ first_name: customer.first_name, telephone: customer.phone })
      expect(await getSync(getContainer(), cleo.id)).toMatchObject({ status: "synced", dirty: false })
    })

    it("syncs a customer whose phone belongs to another WoowUp customer, without it, and never touches the other", async () => {
      const { sandbox } = woowup
      const PHONE = "+5491144440000"
      const post = (path: string, body: unknown) =>
        fetch(`${sandbox.url}${path}`, {
          method: "POST",
          headers: { authorization: `Basic ${sandbox.apiKey}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        })
      expect((await post("/users", { email: "dora@example.com", telephone: PHONE, first_name: "Dora" })).status).toBe(201)
      const dora = { ...inWoowup("dora@example.com")! }
      sandbox.requests.length = 0

      const eva = await signUp(person("Eva", PHONE))
      expect(calls()).toEqual(["POST /users 201"])
      expect(await getSync(getContainer(), eva.id)).toMatchObject({ status: "synced", customer_created: true })

      // Proven, the sync sends her phone: WoowUp refuses it (Dora's), so Eva is updated without it.
      sandbox.requests.length = 0
      await prove(eva)
      expect(calls()).toEqual(["PUT /multiusers 500", "PUT /multiusers 200"])
      expect(inWoowup("eva@example.com")).toMatchObject({ first_name: "Eva", last_name: "Gómez" })
      expect(inWoowup("eva@example.com")).not.toHaveProperty("telephone")
      sandbox.requests.length = 0
      const updated = handled(CustomerWorkflowEvents.UPDATED)
      await update(eva, { last_name: "Gómez Ruiz" })
      await updated
      expect(calls()).toEqual(["PUT /multiusers 500", "PUT /multiusers 200"])
      expect(inWoowup("eva@example.com")).toMatchObject({ last_name: "Gómez Ruiz" })
      expect(inWoowup("dora@example.com")).toEqual(dora)
    })

    it("backfills existing customers by id and all of them, in the background, sending only what WoowUp lacks", async () => {
      const { sandbox } = woowup
      // Customers from before the plugin: created without a workflow, so no event.
      const customers = getContainer().resolve(Modules.CUSTOMER)
      const [old1, old2] = await customers.createCustomers([
        { email: "old1@example.com", first_name: "Olga", last_name: "Uno", has_account: true },
        { email: "old2@example.com", first_name: "Oscar", last_name: "Dos", has_account: true },
      ])

      const { data: byId } = await api.post("/admin/woowup/resync", { customer_ids: [old1.id] }, admin)
      expect(byId.resync).toMatchObject({ status: "queued", customer_ids: [old1.id], customers_found: 1, found: 0 })
      expect(await waitForRun(byId.resync.id)).toMatchObject({ status: "done", customers_found: 1, customers_sent: 1 })
      expect(calls()).toEqual(["POST /users 201"])
      expect(inWoowup("old1@example.com")).toMatchObject({ first_name: "Olga", last_name: "Uno" })
      expect(inWoowup("old2@example.com")).toBeUndefined()

      // A dry run counts every customer with an account (the runner empties the database between tests) and sends
      // nothing.
      sandbox.requests.length = 0
      const { data: dry } = await api.post("/admin/woowup/resync", { customers: "all", dry_run: true }, admin)
      expect(dry.resync).toMatchObject({ status: "done", customers: "all", dry_run: true, customers_found: 2 })
      expect(sandbox.requests).toHaveLength(0)

      // All: old2 has never been sent; old1 WoowUp accepted as it is, so it costs nothing.
      const { data: all } = await api.post("/admin/woowup/resync", { customers: "all" }, admin)
      expect(await waitForRun(all.resync.id)).toMatchObject({
        status: "done",
        customers_found: 2,
        customers_sent: 1,
        customers_already_synced: 1,
        customers_failed: 0,
      })
      expect(calls()).toEqual(["POST /users 201"])
      expect(inWoowup("old2@example.com")).toMatchObject({ first_name: "Oscar" })
      expect(await getSync(getContainer(), old2.id)).toMatchObject({ status: "synced", trigger: "resync" })
    })

    it("syncs again, for this WoowUp account, a customer WoowUp accepted under another account", async () => {
      const { sandbox } = woowup
      const this_account = accountFingerprint(sandbox.url, sandbox.apiKey)
      const gus = await signUp(person("Gus"))
      const sync = await getSync(getContainer(), gus.id)
      expect(sync).toMatchObject({ status: "synced", account: this_account })
      // The database came from staging: the customer went to staging's WoowUp account, not to this one.
      const staging = accountFingerprint("https://staging.example.com/apiv3", "staging-key")
      await service().updateWoowupCustomerSyncs({ id: sync!.id, account: staging })
      sandbox.reset()

      const { data } = await api.post("/admin/woowup/resync", { customer_ids: [gus.id] }, admin)
      expect(await waitForRun(data.resync.id)).toMatchObject({ status: "done", customers_sent: 1, customers_already_synced: 0 })
      expect(inWoowup("gus@example.com")).toMatchObject({ first_name: "Gus" })
      expect(await getSync(getContainer(), gus.id)).toMatchObject({ status: "synced", account: this_account })
    })

    it("answers 400 naming the field for bad customer resync input, and 404 for an unknown customer", async () => {
      const bad = async (body: unknown, field: RegExp, status = 400) => {
        const error = await api.post("/admin/woowup/resync", body, admin).catch((e: any) => e)
        expect(error.response?.status).toBe(status)
        expect(error.response.data.message).toMatch(field)
      }
      await bad({ customer_ids: [] }, /customer_ids/)
      await bad({ customer_ids: "cus_1" }, /customer_ids/)
      await bad({ customer_ids: ["cus 1"] }, /customer_ids/)
      await bad({ customer_ids: Array.from({ length: 1001 }, (_, i) => `cus_${i}`) }, /customer_ids/)
      await bad({ customers: "some" }, /customers/)
      await bad({ customer_ids: ["cus_1"], customers: "all" }, /customer_ids/)
      await bad({ customer_ids: ["cus_unknown"] }, /cus_unknown/, 404)
    })
  },
})
