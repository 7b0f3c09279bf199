/**
 * The bench's table is rendered by its parts (bench/parts): from the figures of runs made before the split (the
 * last full run in bench/results.json, and a `--smoke` run with the flood row), it must be the table those runs
 * printed, row for row, and list the same misses. And the command line names what it refuses.
 */
import fs from "node:fs"
import path from "node:path"
import { parseArgs } from "../options"
import { PARTS } from "../parts"
import { renderTable } from "../table"

const runs = {
  "the last full run (bench/results.json)": path.join(__dirname, "../results.json"),
  "a --smoke run with the flood row": path.join(__dirname, "fixtures/results-before-split.smoke.json"),
  "the history import's run (bench/results.import.json)": path.join(__dirname, "../results.import.json"),
}

describe("the bench's table", () => {
  it.each(Object.entries(runs))("renders %s as it was printed", (_, file) => {
    const results = JSON.parse(fs.readFileSync(file, "utf8"))
    const { table, misses } = renderTable(results, PARTS)
    expect(table).toBe(results.table)
    expect(misses).toEqual(results.misses)
  })

  it("leaves out the rows of parts that did not run", () => {
    const results = JSON.parse(fs.readFileSync(runs["a --smoke run with the flood row"], "utf8"))
    const { table } = renderTable({ ...results, catchup: undefined, flood: undefined }, PARTS)
    expect(table).not.toContain("Catch-up")
    expect(table).not.toContain("storefront flood")
    expect(table).toContain("Capture route p50")
  })
})

describe("the bench's options", () => {
  const names = PARTS.map((p) => p.name)

  it("runs every part unless --only names some", () => {
    expect(parseArgs(["--smoke"], names)).toMatchObject({ smoke: true, orders: 20, parts: names })
    expect(parseArgs(["--only", "capture,query"], names).parts).toEqual(["capture", "query"])
    expect(parseArgs(["--only=calls"], names).parts).toEqual(["calls"])
  })

  it("names the option it refuses", () => {
    expect(() => parseArgs(["--only", "calls,catalogue"], names)).toThrow(`--only: unknown part catalogue (${names.join(", ")})`)
    expect(() => parseArgs(["--orders", "0"], names)).toThrow("--orders must be a positive integer, got 0")
  })
})
