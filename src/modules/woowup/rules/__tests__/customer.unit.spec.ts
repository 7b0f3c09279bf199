import { customerBodyHash, planCustomerSync, type SyncCustomer } from "../customer"
import { marketingConsent, toWoowupCustomer } from "../identity"
import { buildOrder } from "./fixtures"

const customer = (over: Partial<SyncCustomer> = {}): SyncCustomer => ({
  id: "cus_1",
  email: " Ana@Example.com ",
  first_name: "Ana",
  last_name: "García",
  phone: "+54 11 5555",
  has_account: true,
  metadata: { dni: "30111222", newsletter: "yes" },
  addresses: [
    { first_name: "A", city: "Rosario", province: "Santa Fe", address_1: "Calle 2", country_code: "ar", created_at: "2026-02-01T00:00:00Z" },
    { first_name: "A", city: "Córdoba", province: "Córdoba", address_1: "Calle 1", country_code: "ar", created_at: "2026-01-01T00:00:00Z" },
  ],
  ...over,
})

describe("planCustomerSync: the award path's identity and body, for a customer", () => {
  it("sends names, phone, the first address (by creation) and the country as alpha-3, under the email", () => {
    const plan = planCustomerSync(customer(), { identifier: "email" })
    expect(plan).toEqual({
      action: "send",
      identity: { field: "email", value: "ana@example.com" },
      body: {
        email: "ana@example.com",
        first_name: "Ana",
        last_name: "García",
        telephone: "+54 11 5555",
        city: "Córdoba",
        state: "Córdoba",
        street: "Calle 1",
        country: "ARG",
      },
      body_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    })
  })

  it("prefers the default shipping address, and falls back to its names when the customer has none", () => {
    const c = customer({ first_name: null, last_name: null })
    c.addresses![0] = { ...c.addresses![0]!, is_default_shipping: true, last_name: "Pérez" }
    const plan = planCustomerSync(c, { identifier: "email" })
    expect(plan).toMatchObject({ body: { first_name: "A", last_name: "Pérez", city: "Rosario", street: "Calle 2" } })
  })

  it("is the same body as the award path builds for an order of theirs", () => {
    const c = customer({ addresses: [customer().addresses![1]] })
    const plan = planCustomerSync(c, { identifier: "document", identifierMetadataKey: "dni" })
    const { addresses: _a, has_account: _h, ...orderCustomer } = c
    const order = buildOrder({ email: c.email, customer: orderCustomer, shipping_address: c.addresses![0] })
    const identity = { field: "document" as const, value: "30111222" }
    expect(plan).toMatchObject({ action: "send", identity, body: toWoowupCustomer(order, identity) })
  })

  it("skips guests, customers without the identity, and customers that are gone", () => {
    expect(planCustomerSync(customer({ has_account: false }), { identifier: "email" })).toEqual({ action: "skip", reason: "guest" })
    expect(planCustomerSync(customer({ metadata: {} }), { identifier: "document", identifierMetadataKey: "dni" })).toEqual({
      action: "skip",
      reason: "no_identity",
    })
    expect(planCustomerSync(null, { identifier: "email" })).toEqual({ action: "skip", reason: "customer_deleted" })
  })

  it("sends mailing_enabled only when the store keeps consent and the value is recognised", () => {
    const key = { identifier: "email" as const, marketingConsentMetadataKey: "newsletter" }
    expect(planCustomerSync(customer(), key)).toMatchObject({ body: { mailing_enabled: true } })
    expect(planCustomerSync(customer({ metadata: { newsletter: false } }), key)).toMatchObject({ body: { mailing_enabled: false } })
    const unknown = planCustomerSync(customer({ metadata: { newsletter: "maybe" } }), key)
    expect(unknown.action === "send" && unknown.body).not.toHaveProperty("mailing_enabled")
    const off = planCustomerSync(customer(), { identifier: "email" })
    expect(off.action === "send" && off.body).not.toHaveProperty("mailing_enabled")
  })
})

describe("customerBodyHash", () => {
  it("is the same for the same data in any field order, and differs when a field changes", () => {
    const a = customerBodyHash({ email: "a@b.co", first_name: "Ana", telephone: "1" })
    expect(customerBodyHash({ telephone: "1", first_name: "Ana", email: "a@b.co" })).toBe(a)
    expect(customerBodyHash({ email: "a@b.co", first_name: "Anna", telephone: "1" })).not.toBe(a)
    expect(customerBodyHash({ email: "a@b.co", first_name: "Ana" })).not.toBe(a)
  })
})

describe("marketingConsent", () => {
  it.each([
    [true, true],
    [false, false],
    [1, true],
    [0, false],
    [" YES ", true],
    ["true", true],
    ["subscribed", true],
    ["no", false],
    ["Unsubscribed", false],
    ["0", false],
    ["maybe", null],
    [null, null],
    [undefined, null],
    [2, null],
    [{}, null],
  ])("%j → %j", (value, expected) => {
    expect(marketingConsent(value)).toBe(expected)
  })
})
