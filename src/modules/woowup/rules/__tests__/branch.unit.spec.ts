import { parseWoowupOptions } from "../../options"
import { configuredBranches, resolveBranch } from "../branch"
import { purchaseTotalsByBranch } from "../branch-totals"
import { auditCauses } from "../../../../workflows/utils/woowup-audit"

const KEY = "sk_test_branch"
const options = (branchName: unknown) => parseWoowupOptions({ apiKey: KEY, branchName })

describe("branches per sales channel", () => {
  it("keeps a string branchName for every order, online", () => {
    expect(resolveBranch({ sales_channel_id: "sc_1" }, options("Tienda"))).toEqual({ branch_name: "Tienda", channel: "web", is_web: true })
    expect(resolveBranch({}, parseWoowupOptions({ apiKey: KEY }))).toEqual({ branch_name: "Medusa", channel: "web", is_web: true })
  })

  it("maps a sales channel by id first, then by name, else the default, else Medusa", () => {
    const map = options({ sc_pos: { branch: "Palermo", in_store: true }, "Mercado Libre": "MELI", Webshop: "Online", default: "Otros" })
    expect(resolveBranch({ sales_channel_id: "sc_pos", sales_channel: { name: "Webshop" } }, map)).toEqual({
      branch_name: "Palermo",
      channel: "in-store",
      is_web: false,
    })
    expect(resolveBranch({ sales_channel_id: "sc_x", sales_channel: { name: "Mercado Libre" } }, map).branch_name).toBe("MELI")
    expect(resolveBranch({ sales_channel_id: "sc_y", sales_channel: { name: "Kiosk" } }, map).branch_name).toBe("Otros")
    expect(resolveBranch({ sales_channel_id: null }, options({ Webshop: "Online" })).branch_name).toBe("Medusa")
  })

  it("lists the configured branches once each, with Medusa when the map has no default", () => {
    expect(configuredBranches(options({ a: "Online", b: "Online", c: { branch: "Palermo", in_store: true } })).map((b) => b.branch_name)).toEqual([
      "Online",
      "Palermo",
      "Medusa",
    ])
    expect(configuredBranches(options("Tienda")).map((b) => b.branch_name)).toEqual(["Tienda"])
  })

  it("refuses a branch map it cannot read, naming the option", () => {
    expect(() => options({ Webshop: "" })).toThrow(/option "branchName.Webshop" must be a non-empty string/)
    expect(() => options(42)).toThrow(/option "branchName" must be a branch name, or a map of sales channel/)
    expect(() => options({ Webshop: { branch: "X", instore: true } })).toThrow(/"branchName/)
  })

  it("totals purchases per branch as they are sent (items after discounts, units)", () => {
    const order = (id: string, channel: string, unit: number, quantity: number) => ({
      id,
      currency_code: "usd",
      sales_channel_id: channel,
      item_subtotal: unit * quantity,
      item_total: unit * quantity,
      item_tax_total: 0,
      items: [{ id: `${id}-1`, variant_sku: "SKU-1", quantity, unit_price: unit, subtotal: unit * quantity, total: unit * quantity }],
    })
    const totals = purchaseTotalsByBranch(
      [order("o1", "sc_web", 10, 2), order("o2", "sc_pos", 5.5, 1), order("o3", "sc_web", 1.25, 4)],
      options({ sc_web: "Online", sc_pos: "Palermo" })
    )
    expect(Object.fromEntries(totals)).toEqual({
      Online: { purchases: 2, revenue: 25, units: 6 },
      Palermo: { purchases: 1, revenue: 5.5, units: 1 },
    })
  })

  it("names the likely causes of a difference", () => {
    expect(auditCauses({ purchases: 0, revenue: 0, units: 0 }, 0)).toEqual([])
    expect(auditCauses({ purchases: 1, revenue: 10, units: 1 }, 0)[0]).toMatch(/another integration/)
    expect(auditCauses({ purchases: -2, revenue: -10, units: -2 }, 2).join(" ")).toMatch(/queue.*2 order\(s\) of the window are still pending/)
    expect(auditCauses({ purchases: 0, revenue: 3, units: 0 }, 0)[0]).toMatch(/edited after they were sent/)
  })
})
