import { BigNumber, MathBN } from "@medusajs/framework/utils"
import {
  currencyDecimals,
  decimalOr,
  roundMoney,
  roundToInteger,
  sumDecimals,
  toDecimal,
  toNumber,
} from "../money"

describe("toDecimal / toNumber", () => {
  it.each([
    ["a number", 19.99, "19.99"],
    ["a numeric string", "19.99", "19.99"],
    ["a string with spaces", " 15000 ", "15000"],
    ["a raw value object", { value: "19.99", precision: 20 }, "19.99"],
    ["a raw value object with a number", { value: 7 }, "7"],
    ["a Medusa BigNumber", new BigNumber(19.99), "19.99"],
    ["a Medusa BigNumber from a raw value", new BigNumber({ value: "123456789012.34", precision: 20 }), "123456789012.34"],
    ["a bignumber.js instance", MathBN.convert("0.3"), "0.3"],
    ["a serialized BigNumber-like object", { numeric: 12.5 }, "12.5"],
    ["a negative", -3.5, "-3.5"],
  ])("reads %s", (_label, input, expected) => {
    expect(toDecimal(input)!.toString()).toBe(expected)
  })

  it.each([
    ["null", null],
    ["undefined", undefined],
    ["an empty string", ""],
    ["a non-numeric string", "abc"],
    ["NaN", NaN],
    ["Infinity", Infinity],
    ["an object without a value", { foo: 1 }],
    ["a boolean", true],
  ])("returns null for %s", (_label, input) => {
    expect(toDecimal(input)).toBeNull()
  })

  it("falls back to 0 (or the given fallback) for missing values", () => {
    expect(toNumber(undefined)).toBe(0)
    expect(toNumber("oops")).toBe(0)
    expect(decimalOr(null, 5).toNumber()).toBe(5)
  })

  it("never yields -0", () => {
    expect(Object.is(toNumber("-0"), 0)).toBe(true)
    expect(Object.is(roundMoney(-0.001, "usd"), 0)).toBe(true)
  })

  it("sums without float drift", () => {
    expect(0.1 + 0.2).not.toBe(0.3)
    expect(sumDecimals([0.1, 0.2]).toNumber()).toBe(0.3)
    expect(sumDecimals([0.1, new BigNumber(0.2), { value: "0.3" }, null]).toNumber()).toBe(0.6)
  })
})

describe("currencyDecimals", () => {
  it.each([
    ["usd", 2],
    ["USD", 2],
    ["eur", 2],
    ["ars", 2],
    ["clp", 0],
    ["JPY", 0],
    ["pyg", 0],
    ["krw", 0],
    ["vnd", 0],
    ["kwd", 3],
    ["bhd", 3],
    ["clf", 4],
    [" clp ", 0],
    ["xyz", 2],
    ["", 2],
    [null, 2],
  ])("%s has %d decimals", (code, decimals) => {
    expect(currencyDecimals(code as string | null)).toBe(decimals)
  })
})

describe("roundMoney", () => {
  it("removes float drift (0.1 + 0.2)", () => {
    expect(roundMoney(0.1 + 0.2, "usd")).toBe(0.3)
  })

  it("keeps USD cents and rounds half away from zero", () => {
    expect(roundMoney(19.99, "usd")).toBe(19.99)
    expect(roundMoney(1.005, "usd")).toBe(1.01) // 1.005 as a double is 1.00499999..., its decimal text is 1.005
    expect(roundMoney("2.345", "usd")).toBe(2.35)
    expect(roundMoney("2.344999", "usd")).toBe(2.34)
    expect(roundMoney("-2.345", "usd")).toBe(-2.35)
  })

  it("rounds CLP to whole pesos (Medusa stores 15000 CLP as 15000)", () => {
    expect(roundMoney(15000, "clp")).toBe(15000)
    expect(roundMoney("15000.5", "clp")).toBe(15001)
    expect(roundMoney("15000.49", "CLP")).toBe(15000)
  })

  it("rounds three-decimal currencies to mils", () => {
    expect(roundMoney("1.2345", "kwd")).toBe(1.235)
  })

  it("is exact for 1e12 with cents", () => {
    expect(roundMoney("999999999999.99", "usd")).toBe(999999999999.99)
    expect(roundMoney(new BigNumber({ value: "1000000000000.005", precision: 20 }), "usd")).toBe(1000000000000.01)
    expect(sumDecimals(["999999999999.99", "0.01"]).toNumber()).toBe(1e12)
    expect(roundMoney(sumDecimals(["500000000000.10", "499999999999.20"]), "usd")).toBe(999999999999.3)
  })

  it("reads BigNumber inputs", () => {
    expect(roundMoney(new BigNumber(MathBN.convert("10.126")), "usd")).toBe(10.13)
  })

  it("gives 0 for missing values", () => {
    expect(roundMoney(undefined, "usd")).toBe(0)
  })
})

describe("roundToInteger", () => {
  it.each([
    ["2.5", "floor", 2],
    ["2.5", "ceil", 3],
    ["2.5", "round", 3],
    ["2.4999", "round", 2],
    ["2.0000001", "ceil", 3],
    ["2", "ceil", 2],
    ["2.9999", "floor", 2],
  ] as const)("%s with %s is %d", (value, mode, expected) => {
    expect(roundToInteger(MathBN.convert(value), mode).toNumber()).toBe(expected)
  })
})
