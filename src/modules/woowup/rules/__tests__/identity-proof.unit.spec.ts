import { unprovenSync } from "../customer"
import {
  isIdentityProven,
  normalizeVerificationCode,
  sameHash,
  verificationCodeHash,
} from "../identity-proof"

describe("isIdentityProven: a proof holds for the value proven, and only for it", () => {
  const phone = { field: "telephone" as const, value: "+5491100000001" }

  it("holds when the proof names the same field and value", () => {
    expect(isIdentityProven("cus_1", phone, { identifier: "telephone", identity: "+5491100000001" })).toBe(true)
  })

  it("no longer holds once the customer's value changed (a new phone, another metadata value)", () => {
    expect(isIdentityProven("cus_1", { ...phone, value: "+5491100000002" }, { identifier: "telephone", identity: phone.value })).toBe(false)
  })

  it("does not carry from one field to another (an email proof proves no phone)", () => {
    expect(isIdentityProven("cus_1", phone, { identifier: "email", identity: phone.value })).toBe(false)
  })

  it("never holds without a proof, an undone proof, or without an identity", () => {
    expect(isIdentityProven("cus_1", phone, null)).toBe(false)
    expect(isIdentityProven("cus_1", phone, { identifier: null, identity: null })).toBe(false)
    expect(isIdentityProven("cus_1", null, { identifier: "telephone", identity: phone.value })).toBe(false)
  })

  it("holds for the Medusa customer id as service_uid (the store's own), not for a metadata value", () => {
    expect(isIdentityProven("cus_1", { field: "service_uid", value: "cus_1" }, null)).toBe(true)
    expect(isIdentityProven("cus_1", { field: "service_uid", value: "cus_2" }, null)).toBe(false)
    expect(isIdentityProven("cus_1", { field: "service_uid", value: "uid-77" }, null)).toBe(false)
  })
})

describe("unprovenSync: what the customer sync may do before the identity is proven", () => {
  const email = { field: "email" as const, value: "ana@example.com" }
  const state = { proven: false, known: false, createCustomers: true }

  it("proceeds as usual once proven", () => {
    expect(unprovenSync(email, { ...state, proven: true })).toBe("proceed")
    expect(unprovenSync({ field: "telephone", value: "+1" }, { ...state, proven: true, known: true })).toBe("proceed")
  })

  it("only creates under an unproven email, and never updates, not even a customer it created", () => {
    expect(unprovenSync(email, state)).toBe("create_only")
    expect(unprovenSync(email, { ...state, known: true })).toBe("skip")
    expect(unprovenSync(email, { ...state, createCustomers: false })).toBe("skip")
  })

  it("does nothing under an unproven phone, document or metadata value", () => {
    for (const field of ["telephone", "document", "service_uid"] as const) {
      expect(unprovenSync({ field, value: "x1" }, state)).toBe("skip")
    }
  })
})

describe("verification codes", () => {
  it("takes six digits, with spaces or dashes; nothing else", () => {
    expect(normalizeVerificationCode("123456")).toBe("123456")
    expect(normalizeVerificationCode(" 123-456 ")).toBe("123456")
    expect(normalizeVerificationCode("12345")).toBeNull()
    expect(normalizeVerificationCode("1234567")).toBeNull()
    expect(normalizeVerificationCode("12345a")).toBeNull()
  })

  it("hashes a code bound to the customer and the email it was sent to", () => {
    const hash = verificationCodeHash("cus_1", "ana@example.com", "123456")
    expect(hash).toMatch(/^[0-9a-f]{64}$/)
    expect(hash).not.toContain("123456")
    expect(sameHash(hash, verificationCodeHash("cus_1", "ana@example.com", "123456"))).toBe(true)
    expect(sameHash(hash, verificationCodeHash("cus_2", "ana@example.com", "123456"))).toBe(false)
    expect(sameHash(hash, verificationCodeHash("cus_1", "bob@example.com", "123456"))).toBe(false)
    expect(sameHash(hash, verificationCodeHash("cus_1", "ana@example.com", "123457"))).toBe(false)
    expect(sameHash(hash, "")).toBe(false)
  })
})
