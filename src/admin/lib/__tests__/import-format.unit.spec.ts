import {
  durationWords,
  estimateText,
  etaText,
  IMPORT_CONFLICT,
  importActions,
  importErrorText,
  importPercent,
} from "../import-format"

describe("the import section's plain words and numbers", () => {
  it("says a time left in words, rounded as far as an estimate goes", () => {
    expect(durationWords(0)).toBe("less than a minute")
    expect(durationWords(59)).toBe("less than a minute")
    expect(durationWords(60)).toBe("about 1 minute")
    expect(durationWords(29 * 60 + 40)).toBe("about 30 minutes")
    expect(durationWords(3600)).toBe("about 1 hour")
    expect(durationWords(3600 + 59 * 60 + 50)).toBe("about 2 hours")
    // 100,000 orders at 140 calls a minute.
    expect(durationWords(Math.ceil((100_000 / 140) * 60))).toBe("about 11 hours 54 minutes")
    expect(durationWords(3 * 86400 + 5 * 3600)).toBe("about 3 days 5 hours")
    expect(durationWords(2 * 86400 + 23.7 * 3600)).toBe("about 3 days")
  })

  it("says where a running import stands, and that a paused one sends nothing", () => {
    expect(etaText({ status: "running", eta_seconds: 7200 })).toBe("about 2 hours left")
    expect(etaText({ status: "running", eta_seconds: null })).toBe("Measuring the pace…")
    expect(etaText({ status: "queued", eta_seconds: null })).toBe("Waiting to start.")
    expect(etaText({ status: "paused", eta_seconds: null })).toMatch(/nothing is sent until you resume/)
    expect(etaText({ status: "done", eta_seconds: 0 })).toBeNull()
  })

  it("fills the bar by orders done of the window's total", () => {
    expect(importPercent({ total: 4, processed: 1, status: "running" })).toBe(25)
    expect(importPercent({ total: 3, processed: 3, status: "done" })).toBe(100)
    expect(importPercent({ total: 0, processed: 0, status: "done" })).toBe(100)
    expect(importPercent({ total: 0, processed: 0, status: "queued" })).toBe(0)
  })

  it("offers pause, resume and cancel only where the routes allow them", () => {
    expect(importActions("running")).toEqual({ pause: true, resume: false, cancel: true })
    expect(importActions("queued")).toEqual({ pause: true, resume: false, cancel: true })
    expect(importActions("paused")).toEqual({ pause: false, resume: true, cancel: true })
    for (const over of ["done", "canceled", "failed"]) {
      expect(importActions(over)).toEqual({ pause: false, resume: false, cancel: false })
    }
  })

  it("says what a dry run found", () => {
    expect(estimateText(0, { orders: 0, customers: 0, calls: 0, seconds: 0 })).toBe("No captured order in this window.")
    expect(estimateText(4, { orders: 0, customers: 0, calls: 0, seconds: 0 })).toMatch(/^4 orders in this window, all of them already recorded/)
    expect(estimateText(1200, { orders: 1000, customers: 400, calls: 1400, seconds: 600 })).toBe(
      "1,200 orders in this window: 1,000 purchases and 400 customers to send, 1,400 WoowUp calls, about 10 minutes at the account's limit."
    )
  })

  it("shows the API's own message, but not Medusa's generic sentence for a 409", () => {
    expect(importErrorText({ status: 400, message: "from must be before to (the window is reversed or empty)" }, IMPORT_CONFLICT)).toBe(
      "from must be before to (the window is reversed or empty)"
    )
    const generic = "The request conflicted with another request. You may retry the request with the provided Idempotency-Key."
    expect(importErrorText({ status: 409, message: generic }, IMPORT_CONFLICT)).toBe(IMPORT_CONFLICT)
    const own = "An import is already running (wurun_1): only one import runs at a time; cancel it or wait for it to end"
    expect(importErrorText({ status: 409, message: own }, IMPORT_CONFLICT)).toBe(own)
  })
})
