/**
 * The options as the README documents them, against the schema that validates them (options.ts): every option has a
 * row in the README's options table; every row (there, and in any docs/*.md table of options) names a real option,
 * with the default the schema gives, the bounds it enforces, and the values an enum takes. So a range or default
 * changed in one place and not the other fails here.
 */
import fs from "node:fs"
import path from "node:path"
import { woowupOptionsSchema } from "../options"

const ROOT = path.resolve(__dirname, "../../../..")
const API_KEY = "docs-test-key"

type Row = { file: string; option: string; cells: Record<string, string> }

/** Rows of every markdown table whose header starts with "Option", keyed by the header's names. */
function optionRows(file: string): Row[] {
  const lines = fs.readFileSync(path.join(ROOT, file), "utf8").split("\n")
  const rows: Row[] = []
  let header: string[] | null = null
  for (const line of lines) {
    if (!line.startsWith("|")) {
      header = null
      continue
    }
    const cells = splitRow(line)
    if (!header) {
      header = cells[0] === "Option" ? cells.map((c) => c.toLowerCase()) : []
      continue
    }
    if (!header.length || /^-+$/.test(cells[0].replace(/[:\s]/g, ""))) {
      continue
    }
    const option = /^`([\w.]+)`$/.exec(cells[0])?.[1]
    if (option) {
      rows.push({ file, option, cells: Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ""])) })
    }
  }
  return rows
}

// Cells split on pipes that are not escaped (`\|` inside a cell is a literal pipe).
function splitRow(line: string): string[] {
  return line
    .replace(/^\|/, "")
    .replace(/\|\s*$/, "")
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, "|"))
}

const shape = (woowupOptionsSchema as any).shape as Record<string, any>

/** The schema of an option (`reconcile.concurrency` included), without its default/optional wrappers. */
function schemaOf(option: string): any {
  const [head, sub] = option.split(".")
  let schema = unwrap(shape[head])
  if (sub) {
    schema = schema?._zod.def.shape ? unwrap(schema._zod.def.shape[sub]) : undefined
  }
  return schema
}

function unwrap(schema: any): any {
  let s = schema
  while (s?._zod?.def?.innerType) {
    s = s._zod.def.innerType
  }
  return s
}

/** Every option path: top-level options, and `parent.child` for the nested objects. */
function optionPaths(): string[] {
  return Object.keys(shape).flatMap((key) => {
    const inner = unwrap(shape[key])
    return inner._zod.def.type === "object" ? Object.keys(inner._zod.def.shape).map((sub) => `${key}.${sub}`) : [key]
  })
}

/** Whether `{ apiKey, [option]: value }` passes the schema. */
/** Options bound to another (`afterMinutes` < `maxAgeHours` × 60): tried beside the other's most lenient value. */
const COMPANIONS: Record<string, Record<string, unknown>> = {
  "abandonedCarts.afterMinutes": { maxAgeHours: 720 },
  "abandonedCarts.maxAgeHours": { afterMinutes: 1 },
}

function accepts(option: string, value: unknown): boolean {
  const [head, sub] = option.split(".")
  const input: Record<string, unknown> = { apiKey: API_KEY }
  input[head] = sub ? { ...COMPANIONS[option], [sub]: value } : value
  return woowupOptionsSchema.safeParse(input).success
}

const defaults = woowupOptionsSchema.parse({ apiKey: API_KEY }) as Record<string, any>
const defaultOf = (option: string) => option.split(".").reduce<any>((o, k) => o?.[k], defaults)

/** `integer 1–32`, `integer ≥ 1`, `number ≥ 0`, `integer 1–50000`: the bounds a type cell states. */
function statedBounds(type: string): { min?: number; max?: number; above?: number } {
  // `number > 0, ≤ 1`: an exclusive minimum.
  const above = /(?:^|\s)>\s*(-?\d+)/.exec(type)
  if (above) {
    const max = /≤\s*(-?\d+)/.exec(type)
    return { above: Number(above[1]), max: max ? Number(max[1]) : undefined }
  }
  const range = /(-?\d+)\s*[–-]\s*(-?\d+)/.exec(type)
  if (range) {
    return { min: Number(range[1]), max: Number(range[2]) }
  }
  const min = /≥\s*(-?\d+)/.exec(type)
  const max = /≤\s*(-?\d+)/.exec(type)
  return { min: min ? Number(min[1]) : undefined, max: max ? Number(max[1]) : undefined }
}

const readme = optionRows("README.md")
const docs = fs
  .readdirSync(path.join(ROOT, "docs"))
  .filter((f) => f.endsWith(".md"))
  .flatMap((f) => optionRows(path.join("docs", f)))
const allRows = [...readme, ...docs]

describe("the options documented in the README and docs/, against options.ts", () => {
  it("has a README row for every option of the schema, and no row for an option that does not exist", () => {
    const documented = new Set(readme.map((r) => r.option))
    expect(optionPaths().filter((o) => !documented.has(o))).toEqual([])
    expect(allRows.filter((r) => !optionPaths().includes(r.option)).map((r) => `${r.file}: ${r.option}`)).toEqual([])
    expect(readme.length).toBeGreaterThanOrEqual(optionPaths().length)
  })

  it("states each option's default as the schema gives it, and none where it has none", () => {
    const wrong = allRows.flatMap((row) => {
      if (row.cells.required === "yes") {
        return []
      }
      const cell = row.cells.default ?? ""
      const expected = defaultOf(row.option)
      const literal = /^`([^`]*)`/.exec(cell)?.[1]
      if (expected === undefined) {
        // No default in the schema: empty, or words (e.g. "the store's default currency"), never a value.
        return literal === undefined ? [] : [`${row.file}: ${row.option} documents default ${literal}, the schema has none`]
      }
      if (literal === undefined) {
        return [`${row.file}: ${row.option} documents no default, the schema's is ${JSON.stringify(expected)}`]
      }
      let stated: unknown = literal
      try {
        stated = JSON.parse(literal)
      } catch {
        // a bare word (`floor`, `*/15 * * * *`): compared as text
      }
      return JSON.stringify(stated) === JSON.stringify(expected)
        ? []
        : [`${row.file}: ${row.option} documents default ${literal}, the schema's is ${JSON.stringify(expected)}`]
    })
    expect(wrong).toEqual([])
  })

  it("marks as required exactly the options the schema cannot do without", () => {
    const required = readme.filter((r) => r.cells.required === "yes").map((r) => r.option)
    expect(required).toEqual(optionPaths().filter((o) => !o.includes(".") && !woowupOptionsSchema.safeParse({ ...(o === "apiKey" ? {} : { apiKey: API_KEY }) }).success))
    expect(required).toEqual(["apiKey"])
  })

  it("states the bounds of every number option, and the schema enforces exactly them", () => {
    const wrong = allRows.flatMap((row) => {
      const schema = schemaOf(row.option)
      if (schema?._zod.def.type !== "number") {
        return []
      }
      const type = row.cells.type ?? ""
      const integer = schema.isInt === true
      const { min, max, above } = statedBounds(type)
      const problems: string[] = []
      const where = `${row.file}: ${row.option} ("${type}")`
      if (integer !== /integer/.test(type)) {
        problems.push(`${where}: the schema's is ${integer ? "an integer" : "any number"}`)
      }
      const step = integer ? 1 : 0.5
      // The lower bound: stated, accepted, and the value below it refused; none stated means the schema has none.
      if (above !== undefined) {
        if (accepts(row.option, above) || !accepts(row.option, above + 0.01)) {
          problems.push(`${where}: the schema's exclusive minimum is not ${above}`)
        }
      } else if (min === undefined) {
        if (!accepts(row.option, -1_000_000)) {
          problems.push(`${where}: states no minimum, the schema refuses -1000000`)
        }
      } else if (!accepts(row.option, min) || accepts(row.option, min - step)) {
        problems.push(`${where}: the schema's minimum is not ${min}`)
      }
      if (max === undefined) {
        if (!accepts(row.option, 1_000_000_000)) {
          problems.push(`${where}: states no maximum, the schema refuses 1000000000`)
        }
      } else if (!accepts(row.option, max) || accepts(row.option, max + step)) {
        problems.push(`${where}: the schema's maximum is not ${max}`)
      }
      return problems
    })
    expect(wrong).toEqual([])
  })

  it("names every value an enum option takes", () => {
    const wrong = allRows.flatMap((row) => {
      const schema = schemaOf(row.option)
      if (schema?._zod.def.type !== "enum") {
        return []
      }
      const values = Object.values(schema._zod.def.entries) as string[]
      const named = [...(row.cells.type ?? "").matchAll(/`([^`]+)`/g)].map((m) => m[1])
      return JSON.stringify([...named].sort()) === JSON.stringify([...values].sort())
        ? []
        : [`${row.file}: ${row.option} names ${named.join(", ")}; the schema takes ${values.join(", ")}`]
    })
    expect(wrong).toEqual([])
  })
})
