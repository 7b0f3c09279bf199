import { MathBN } from "@medusajs/framework/utils"

/**
 * Money helpers for the award rules.
 *
 * Medusa 2 stores amounts in major units (19.99 USD is `19.99`, 15000 CLP is `15000`) and hands them out as
 * numbers, numeric strings, `BigNumber` instances or raw `{ value }` objects depending on the path (query.graph,
 * a workflow's serialized result, an HTTP response). Everything here goes through `MathBN` (bignumber.js), so
 * sums and roundings are exact decimals: no `0.1 + 0.2` drift, exact up to and beyond 1e12 with cents.
 */

/** The decimal type MathBN works with (bignumber.js), without depending on bignumber.js directly. */
export type Decimal = ReturnType<typeof MathBN.convert>

/** Anything query.graph or a serialized workflow result can hold in a money (or quantity) field. */
export type MoneyValue =
  | number
  | string
  | { value: string | number; precision?: number }
  | { numeric: number; raw?: { value: string | number } | null; bigNumber?: unknown }
  | Decimal
  | null
  | undefined

// bignumber.js rounding modes (BigNumber.ROUND_*), named here so the code reads.
const ROUND_CEIL = 2
const ROUND_FLOOR = 3
const ROUND_HALF_UP = 4

/**
 * Converts a money value to an exact decimal. `null` when the value is missing (`null`, `undefined`, `""`)
 * or is not a finite number (a non-numeric string, NaN, Infinity, an unknown object).
 */
export function toDecimal(value: unknown): Decimal | null {
  if (value === null || value === undefined) {
    return null
  }
  let input: unknown = value
  if (typeof value === "object") {
    const v = value as Record<string, any>
    if (typeof v.isBigNumber === "boolean" || typeof v.dividedBy === "function") {
      // bignumber.js instance (what MathBN returns)
      input = value
    } else if (v.raw && typeof v.raw === "object" && v.raw.value !== undefined && v.raw.value !== null) {
      // Medusa BigNumber (possibly from another copy of @medusajs/utils, so no instanceof)
      input = String(v.raw.value)
    } else if (v.value !== undefined && v.value !== null) {
      // raw value `{ value, precision }`
      input = typeof v.value === "number" ? v.value : String(v.value)
    } else if (typeof v.numeric === "number") {
      input = v.numeric
    } else if (v.bigNumber && typeof v.bigNumber === "object") {
      input = v.bigNumber
    } else {
      return null
    }
  } else if (typeof value === "string") {
    const trimmed = value.trim()
    if (trimmed === "") {
      return null
    }
    input = trimmed
  } else if (typeof value !== "number" && typeof value !== "bigint") {
    return null
  }
  let converted: Decimal
  try {
    converted = MathBN.convert(typeof input === "bigint" ? input.toString() : (input as any))
  } catch {
    return null
  }
  return converted.isFinite() ? converted : null
}

/** Like {@link toDecimal}, with `fallback` (0 by default) for missing or invalid values. */
export function decimalOr(value: unknown, fallback: number | Decimal = 0): Decimal {
  return toDecimal(value) ?? MathBN.convert(fallback as any)
}

/** A money value as a JS number (0 when missing or invalid). */
export function toNumber(value: unknown): number {
  return normalizeZero(decimalOr(value).toNumber())
}

/**
 * ISO 4217 minor units of the currencies that do not have 2. Medusa's own table (`defaultCurrencies`) is a
 * display table that disagrees with ISO for a few currencies (e.g. COP and HUF 0, IQD 0); ISO is what payment
 * providers and WoowUp's accounting use, and rounding to more decimals than shown never loses money.
 */
const MINOR_UNITS: Record<string, number> = {
  // zero-decimal
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  // three decimals
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  // four decimals
  CLF: 4,
  UYW: 4,
}

/** Decimals of a currency (ISO 4217 minor units, case-insensitive); 2 for any currency not listed. */
export function currencyDecimals(currencyCode: string | null | undefined): number {
  const code = (currencyCode ?? "").trim().toUpperCase()
  return MINOR_UNITS[code] ?? 2
}

/** Rounds an exact decimal to `decimals` places, half away from zero. */
export function roundDecimal(value: Decimal, decimals: number): Decimal {
  return value.decimalPlaces(decimals, ROUND_HALF_UP)
}

/**
 * Rounds a money value to its currency's decimals (half away from zero) and returns a JS number:
 * `roundMoney(0.1 + 0.2, "usd") === 0.3`, `roundMoney("15000.4", "clp") === 15000`. Missing values give 0.
 */
export function roundMoney(value: unknown, currencyCode: string | null | undefined): number {
  return normalizeZero(roundDecimal(decimalOr(value), currencyDecimals(currencyCode)).toNumber())
}

export type PointsRounding = "floor" | "ceil" | "round"

/** Rounds to an integer: floor, ceil, or half away from zero. */
export function roundToInteger(value: Decimal, mode: PointsRounding): Decimal {
  const rm = mode === "floor" ? ROUND_FLOOR : mode === "ceil" ? ROUND_CEIL : ROUND_HALF_UP
  return value.integerValue(rm)
}

/** Sum of money values as an exact decimal (missing values count as 0). */
export function sumDecimals(values: unknown[]): Decimal {
  return values.reduce<Decimal>((acc, v) => acc.plus(decimalOr(v)), MathBN.convert(0))
}

export function zero(): Decimal {
  return MathBN.convert(0)
}

// -0 serializes as 0 in JSON but fails `toBe(0)` and reads oddly in logs.
function normalizeZero(n: number): number {
  return n === 0 ? 0 : n
}
