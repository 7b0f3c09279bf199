import { WoowupError, pathWithoutQuery, safeText } from "../errors"
import { parseEnvelope } from "../schemas"

const KEY = "sk_live_SECRET_0123456789"

describe("WoowupError", () => {
  it("has a short message and a JSON form without the cause", () => {
    const error = new WoowupError({
      code: "internal_error",
      status: 500,
      retryable: true,
      method: "POST",
      path: "/purchases",
      attempts: 3,
      serverMessage: "boom",
      cause: new Error(`socket with ${KEY}`),
    })
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe("WoowupError")
    expect(error.message).toBe("WoowUp POST /purchases failed (HTTP 500, internal_error, 3 attempts): boom")
    const json = JSON.parse(JSON.stringify(error))
    expect(json).toEqual({
      name: "WoowupError",
      message: error.message,
      code: "internal_error",
      status: 500,
      retryable: true,
      outcomeUnknown: false,
      method: "POST",
      path: "/purchases",
      attempts: 3,
      serverMessage: "boom",
    })
    expect(JSON.stringify(error)).not.toContain(KEY)
    expect(Object.keys(error)).not.toContain("cause")
  })

  it("withAttempts keeps everything else", () => {
    const error = new WoowupError({ code: "timeout", retryable: true, method: "GET", path: "/x", attempts: 1, detail: "late" })
    const again = error.withAttempts(4)
    expect(again.attempts).toBe(4)
    expect(again.message).toBe("WoowUp GET /x failed (timeout, 4 attempts): late")
    expect(again.toJSON()).toEqual({ ...error.toJSON(), attempts: 4, message: again.message })
  })
})

describe("safeText", () => {
  it("redacts secrets and e-mails, reduces HTML to its title, cuts long text", () => {
    expect(safeText(`bad key ${KEY} for ana.perez+1@example.com.ar`, [KEY])).toBe("bad key [redacted] for [email]")
    expect(safeText("<html><head><title>503 Service Unavailable</title></head><body>" + "x".repeat(5000), [])).toBe(
      'HTML page "503 Service Unavailable"'
    )
    expect(safeText("<!DOCTYPE html><body>nothing</body>")).toBe("HTML page")
    expect(safeText("a".repeat(500), [], 20)).toHaveLength(20)
    expect(safeText({ errors: ["email: invalid"] })).toBe('{"errors":["email: invalid"]}')
    expect(safeText("   ")).toBeUndefined()
    expect(safeText(undefined)).toBeUndefined()
  })

  it("redacts the key's base64 and URL-encoded forms too", () => {
    const key = "sk_live/+abc=def?123"
    const base64 = Buffer.from(key).toString("base64")
    const forms = [key, base64, base64.replace(/=+$/, ""), Buffer.from(key).toString("base64url"), encodeURIComponent(key), encodeURIComponent(base64)]
    for (const form of forms) {
      const out = safeText(`echo: Authorization: Basic ${form} (end)`, [key])!
      expect([form, out]).toEqual([form, "echo: Authorization: Basic [redacted] (end)"])
    }
  })

  it("pathWithoutQuery drops the values that identify people", () => {
    expect(pathWithoutQuery("/multiusers/find?email=a%40b.c")).toBe("/multiusers/find")
    expect(pathWithoutQuery("/purchases")).toBe("/purchases")
  })
})

describe("parseEnvelope", () => {
  it.each([
    ["", "empty"],
    ["<html><body>Bad gateway</body></html>", "html"],
    ["{not json", "not_json"],
    ['{"payload":{},"message":"ok"}', "no_code"],
    ['{"code":""}', "no_code"],
    ["[1,2]", "no_code"],
    ["null", "no_code"],
  ])("refuses %p (%s)", (text, reason) => {
    expect(parseEnvelope(text)).toEqual({ ok: false, reason })
  })

  it("reads an envelope and keeps unknown fields", () => {
    expect(parseEnvelope('{"payload":{"exist":true},"message":"ok","code":"ok","time":"12ms","extra":1}')).toEqual({
      ok: true,
      envelope: { payload: { exist: true }, message: "ok", code: "ok", time: "12ms", extra: 1 },
    })
  })
})
