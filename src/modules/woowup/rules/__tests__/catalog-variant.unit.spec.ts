import { catalogPrices, categoryPaths, variantStock, type CatalogCategory } from "../catalog-variant"

describe("variantStock", () => {
  it("sums stocked minus reserved over every location", () => {
    const links = [
      {
        required_quantity: 1,
        inventory: {
          location_levels: [
            { stocked_quantity: 10, reserved_quantity: 2 },
            { stocked_quantity: "5", reserved_quantity: { value: "1" } },
          ],
        },
      },
    ]
    expect(variantStock(links)).toBe(12)
  })

  it("counts a kit by its scarcest item, in whole units of the variant", () => {
    const links = [
      { required_quantity: 2, inventory: { location_levels: [{ stocked_quantity: 9, reserved_quantity: 0 }] } },
      { required_quantity: 1, inventory: { location_levels: [{ stocked_quantity: 6, reserved_quantity: 0 }] } },
    ]
    expect(variantStock(links)).toBe(4)
  })

  it("is null without an inventory item, 0 with no level, negative when more is reserved than stocked", () => {
    expect(variantStock([])).toBeNull()
    expect(variantStock(null)).toBeNull()
    expect(variantStock([{ required_quantity: 1, inventory: { location_levels: [] } }])).toBe(0)
    expect(variantStock([{ required_quantity: 1, inventory: { location_levels: [{ stocked_quantity: 1, reserved_quantity: 3 }] } }])).toBe(-2)
  })
})

describe("catalogPrices", () => {
  it("takes the regular price and a lower sale price list's price from Medusa's calculated price", () => {
    const calculated = {
      calculated_amount: 19.5,
      original_amount: 25,
      currency_code: "usd",
      calculated_price: { price_list_type: "sale" },
    }
    expect(catalogPrices(calculated, [], "usd")).toEqual({ price: 25, sale_price: 19.5 })
  })

  it("sees no sale in an override price list (its price is the regular price)", () => {
    const calculated = {
      calculated_amount: 22,
      original_amount: 22,
      currency_code: "usd",
      calculated_price: { price_list_type: "override" },
    }
    expect(catalogPrices(calculated, [], "usd")).toEqual({ price: 22, sale_price: null })
  })

  it("sees no sale when the calculated price is the default one", () => {
    const calculated = { calculated_amount: 25, original_amount: 25, currency_code: "usd", calculated_price: { price_list_type: null } }
    expect(catalogPrices(calculated, [], "usd")).toEqual({ price: 25, sale_price: null })
  })

  it("falls back to the plain price in the currency: outside price lists and tiers, fewest rules first", () => {
    const prices = [
      { amount: 30, currency_code: "eur", rules_count: 0 },
      { amount: 12, currency_code: "usd", price_list_id: "plist_1", rules_count: 0 },
      { amount: 9, currency_code: "usd", min_quantity: 10, rules_count: 0 },
      { amount: 26, currency_code: "USD", rules_count: 1 },
      { amount: 25, currency_code: "usd", rules_count: 0 },
    ]
    expect(catalogPrices(null, prices, "usd")).toEqual({ price: 25, sale_price: null })
    expect(catalogPrices(undefined, prices.slice(0, 4), "usd")).toEqual({ price: 26, sale_price: null })
  })

  it("has no price when none is in the currency", () => {
    expect(catalogPrices(null, [{ amount: 30, currency_code: "eur" }], "usd")).toEqual({ price: null, sale_price: null })
    expect(catalogPrices({ calculated_amount: null, original_amount: null }, [], "usd")).toEqual({ price: null, sale_price: null })
  })
})

describe("categoryPaths", () => {
  const all: NonNullable<CatalogCategory>[] = [
    { id: "pcat_root", name: "Clothing", mpath: "pcat_root" },
    { id: "pcat_tops", name: "Tops", mpath: "pcat_root.pcat_tops" },
    { id: "pcat_tees", name: "Tees", mpath: "pcat_root.pcat_tops.pcat_tees" },
    { id: "pcat_hidden", name: "Staff picks", mpath: "pcat_hidden", is_internal: true },
    { id: "pcat_off", name: "Old", mpath: "pcat_root.pcat_off", is_active: false },
  ]
  const byId = new Map(all.map((c) => [c.id, c]))

  it("gives each category's names from the root down", () => {
    expect(categoryPaths([byId.get("pcat_tees")!, byId.get("pcat_root")!], byId)).toEqual([
      ["Clothing", "Tops", "Tees"],
      ["Clothing"],
    ])
  })

  it("leaves out internal and inactive categories, and paths through a category it cannot name", () => {
    expect(categoryPaths([byId.get("pcat_hidden")!, byId.get("pcat_off")!], byId)).toEqual([])
    expect(categoryPaths([{ id: "pcat_x", name: "X", mpath: "pcat_gone.pcat_x" }], byId)).toEqual([])
  })
})
