import { ISO_ALPHA2_TO_ALPHA3, toAlpha3 } from "../country"
import {
  identityFields,
  normalizeEmail,
  pickIdentity,
  secondaryIdentifiers,
  toWoowupCustomer,
  withoutSecondaryIdentifiers,
} from "../identity"
import { buildOrder } from "./fixtures"

const guest = () => buildOrder({ email: "  Guest@Example.COM ", customer: null })

describe("pickIdentity", () => {
  describe("email", () => {
    it("uses the order email, trimmed and lowercased", () => {
      expect(pickIdentity(buildOrder(), { identifier: "email" })).toEqual({ field: "email", value: "buyer@example.com" })
    })

    it("works for guest orders (no customer)", () => {
      expect(pickIdentity(guest(), { identifier: "email" })).toEqual({ field: "email", value: "guest@example.com" })
    })

    it("falls back to the customer's email when the order has none", () => {
      const order = buildOrder({ email: null, customer: { id: "cus_1", email: "Other@Example.com" } })
      expect(pickIdentity(order, { identifier: "email" })).toEqual({ field: "email", value: "other@example.com" })
    })

    it("is null without a usable email", () => {
      expect(pickIdentity(buildOrder({ email: null, customer: null }), { identifier: "email" })).toBeNull()
      expect(pickIdentity(buildOrder({ email: "not-an-email", customer: null }), { identifier: "email" })).toBeNull()
      expect(pickIdentity(buildOrder({ email: "   ", customer: null }), { identifier: "email" })).toBeNull()
    })
  })

  describe("document", () => {
    const withDni = (dni: unknown) =>
      buildOrder({ customer: { id: "cus_1", metadata: { dni } } })

    it("reads customer.metadata[identifierMetadataKey]", () => {
      expect(pickIdentity(withDni(" 30123456 "), { identifier: "document", identifierMetadataKey: "dni" })).toEqual({
        field: "document",
        value: "30123456",
      })
      expect(pickIdentity(withDni(30123456), { identifier: "document", identifierMetadataKey: "dni" })?.value).toBe(
        "30123456"
      )
    })

    it("is null without the metadata key, value or customer", () => {
      expect(pickIdentity(withDni("30123456"), { identifier: "document" })).toBeNull()
      expect(pickIdentity(withDni(""), { identifier: "document", identifierMetadataKey: "dni" })).toBeNull()
      expect(pickIdentity(withDni({ nested: 1 }), { identifier: "document", identifierMetadataKey: "dni" })).toBeNull()
      expect(pickIdentity(guest(), { identifier: "document", identifierMetadataKey: "dni" })).toBeNull()
    })
  })

  describe("telephone", () => {
    it("prefers the metadata value when the key is set and present", () => {
      const order = buildOrder({ customer: { id: "c", phone: "+1 555", metadata: { mobile: "+54 9 11 1234" } } })
      expect(pickIdentity(order, { identifier: "telephone", identifierMetadataKey: "mobile" })?.value).toBe("+54 9 11 1234")
    })

    it("falls back to the customer's phone, then the shipping address's", () => {
      const order = buildOrder()
      expect(pickIdentity(order, { identifier: "telephone", identifierMetadataKey: "mobile" })?.value).toBe(
        "+54 11 5555-0000"
      )
      expect(pickIdentity(guest(), { identifier: "telephone" })?.value).toBe("+54 11 4444-0000")
    })

    it("is null when no phone has a digit", () => {
      const order = buildOrder({
        customer: { id: "c", phone: "n/a" },
        shipping_address: { phone: "" },
      })
      expect(pickIdentity(order, { identifier: "telephone" })).toBeNull()
    })
  })

  describe("service_uid", () => {
    it("uses the metadata value when set, else the customer id", () => {
      const order = buildOrder({ customer: { id: "cus_9", metadata: { erp_id: "ERP-1" } } })
      expect(pickIdentity(order, { identifier: "service_uid", identifierMetadataKey: "erp_id" })?.value).toBe("ERP-1")
      expect(pickIdentity(order, { identifier: "service_uid" })?.value).toBe("cus_9")
      expect(pickIdentity(order, { identifier: "service_uid", identifierMetadataKey: "other" })?.value).toBe("cus_9")
    })

    it("is null for guests", () => {
      expect(pickIdentity(guest(), { identifier: "service_uid" })).toBeNull()
    })
  })

  it("identityFields spreads the identity into a body", () => {
    expect(identityFields({ field: "document", value: "1" })).toEqual({ document: "1" })
  })

  it("normalizeEmail", () => {
    expect(normalizeEmail(" A@B.co ")).toBe("a@b.co")
    expect(normalizeEmail("a b@c.d")).toBeNull()
    expect(normalizeEmail(42)).toBeNull()
  })
})

describe("toWoowupCustomer", () => {
  it("maps the customer and the shipping address", () => {
    const order = buildOrder()
    expect(toWoowupCustomer(order, { field: "email", value: "buyer@example.com" })).toEqual({
      email: "buyer@example.com",
      first_name: "Ana",
      last_name: "García",
      telephone: "+54 11 5555-0000",
      city: "Buenos Aires",
      state: "CABA",
      street: "Av. Corrientes 1234",
      country: "ARG",
    })
  })

  it("takes names from the shipping address for guests, and leaves out what is missing", () => {
    const order = buildOrder({
      customer: null,
      shipping_address: { first_name: " Luis ", last_name: null, phone: null, country_code: "cl" },
    })
    expect(toWoowupCustomer(order, { field: "email", value: "g@example.com" })).toEqual({
      email: "g@example.com",
      first_name: "Luis",
      country: "CHL",
    })
  })

  it("falls back per field: a customer without a last name takes the address's", () => {
    const order = buildOrder({ customer: { id: "c", first_name: "Ana", last_name: "  " } })
    expect(toWoowupCustomer(order, { field: "email", value: "x@y.z" })).toMatchObject({
      first_name: "Ana",
      last_name: "García",
    })
  })

  it("has only the identity when there is nothing else", () => {
    const order = buildOrder({ customer: null, shipping_address: null })
    expect(toWoowupCustomer(order, { field: "email", value: "g@example.com" })).toEqual({ email: "g@example.com" })
  })

  it("sends the identity's telephone when matching on telephone", () => {
    const order = buildOrder()
    const body = toWoowupCustomer(order, { field: "telephone", value: "+54 9 11 1234" })
    expect(body.telephone).toBe("+54 9 11 1234")
    expect(body).not.toHaveProperty("email")
  })

  it("does not add the email when matching on another identity field", () => {
    const body = toWoowupCustomer(buildOrder(), { field: "document", value: "30123456" })
    expect(body.document).toBe("30123456")
    expect(body).not.toHaveProperty("email")
  })

  it("cuts overly long names", () => {
    const order = buildOrder({ customer: { id: "c", first_name: "ñ".repeat(500) } })
    expect(toWoowupCustomer(order, { field: "email", value: "x@y.z" }).first_name).toHaveLength(100)
  })

  it("leaves out an unknown country", () => {
    const order = buildOrder({ shipping_address: { country_code: "zz" } })
    expect(toWoowupCustomer(order, { field: "email", value: "x@y.z" })).not.toHaveProperty("country")
  })
})

describe("secondary identifiers of a POST /users body", () => {
  const email = { field: "email" as const, value: "buyer@example.com" }

  it("names the identifiers other than the configured identity: the telephone when matching on email", () => {
    const body = toWoowupCustomer(buildOrder(), email)
    expect(secondaryIdentifiers(body, email)).toEqual(["telephone"])
  })

  it("is empty when the body has no other identifier, or when the telephone is the identity", () => {
    const noPhone = buildOrder({ customer: { id: "c", phone: null }, shipping_address: { phone: null } })
    expect(secondaryIdentifiers(toWoowupCustomer(noPhone, email), email)).toEqual([])
    const phone = { field: "telephone" as const, value: "+54 9 11 1234" }
    expect(secondaryIdentifiers(toWoowupCustomer(buildOrder(), phone), phone)).toEqual([])
  })

  it("names every identifier field but the identity's", () => {
    const body = { document: "1", email: "a@b.c", telephone: "2", service_uid: "3", first_name: "Ana" }
    expect(secondaryIdentifiers(body, { field: "document", value: "1" }).sort()).toEqual([
      "email",
      "service_uid",
      "telephone",
    ])
  })

  it("leaves them out, keeping the identity, names and address", () => {
    const body = toWoowupCustomer(buildOrder(), email)
    expect(withoutSecondaryIdentifiers(body, email)).toEqual({
      email: "buyer@example.com",
      first_name: "Ana",
      last_name: "García",
      city: "Buenos Aires",
      state: "CABA",
      street: "Av. Corrientes 1234",
      country: "ARG",
    })
    expect(body.telephone).toBe("+54 11 5555-0000") // the input is not changed
  })

  it("keeps the telephone when it is the identity", () => {
    const phone = { field: "telephone" as const, value: "+54 9 11 1234" }
    const body = toWoowupCustomer(buildOrder(), phone)
    expect(withoutSecondaryIdentifiers(body, phone)).toEqual(body)
  })
})

describe("country", () => {
  it("has every ISO 3166-1 country, each with a distinct alpha-3 code", () => {
    const entries = Object.entries(ISO_ALPHA2_TO_ALPHA3)
    expect(entries).toHaveLength(250) // 249 ISO + XK
    for (const [a2, a3] of entries) {
      expect(a2).toMatch(/^[A-Z]{2}$/)
      expect(a3).toMatch(/^[A-Z]{3}$/)
    }
    expect(new Set(entries.map(([, a3]) => a3)).size).toBe(entries.length)
  })

  it.each([
    ["ar", "ARG"],
    ["BR", "BRA"],
    ["cl", "CHL"],
    ["uy", "URY"],
    ["py", "PRY"],
    ["mx", "MEX"],
    ["co", "COL"],
    ["pe", "PER"],
    ["us", "USA"],
    ["gb", "GBR"],
    ["de", "DEU"],
    ["es", "ESP"],
    ["ro", "ROU"],
    ["rs", "SRB"],
    ["ss", "SSD"],
    ["cw", "CUW"],
    ["ax", "ALA"],
    ["xk", "XKX"],
    [" ar ", "ARG"],
    ["ARG", "ARG"],
  ])("%j → %s", (input, expected) => {
    expect(toAlpha3(input)).toBe(expected)
  })

  it("is null for unknown or missing codes", () => {
    expect(toAlpha3("zz")).toBeNull()
    expect(toAlpha3("")).toBeNull()
    expect(toAlpha3(null)).toBeNull()
    expect(toAlpha3("XYZ")).toBeNull()
  })
})
