/**
 * `npm run bench -- --smoke` as part of `npm test`, so the bench cannot rot: tiny numbers, every part run, and only
 * that it completes and writes its figures is checked. Speed and memory targets belong to the bench's printed
 * table, never to a test.
 */
import { spawn } from "node:child_process"
import fs from "node:fs"
import os from "node:os"
import path from "node:path"

jest.setTimeout(900_000)

const REPO = path.resolve(__dirname, "../..")

describe("npm run bench -- --smoke", () => {
  it("runs every part and writes the figures as JSON", async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "woowup-bench-smoke-")), "results.json")
    const { NODE_OPTIONS: _o, JEST_WORKER_ID: _w, ...env } = process.env
    let output = ""
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [require.resolve("ts-node/dist/bin.js"), "--transpile-only", "bench/run.ts", "--smoke", "--out", out], {
        cwd: REPO,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      })
      child.stdout!.on("data", (d) => (output += d))
      child.stderr!.on("data", (d) => (output += d))
      child.on("close", resolve)
    })
    process.stdout.write(output.split("\n").filter((l) => !l.startsWith('{"level"')).join("\n"))
    expect(code).toBe(0)

    const results = JSON.parse(fs.readFileSync(out, "utf8"))
    expect(results.machine).toMatchObject({ cpus: expect.any(Number), node: process.version })
    expect(typeof results.date).toBe("string")
    expect(results.calls.scenarios.map((s: { scenario: string }) => s.scenario)).toEqual([
      "returning_customer",
      "new_customer",
      "customer_synced_at_signup",
      "same_event_three_times",
      "partial_capture_then_rest",
      "refund",
    ])
    for (const s of results.calls.scenarios) {
      expect(s.per_order).toEqual(expect.any(Number))
    }
    expect(results.queries_per_redelivered_event.workflow).toBeGreaterThan(0)
    expect(results.catchup.one_process).toMatchObject({ share_of_limit: expect.any(Number), too_many_429: expect.any(Number) })
    expect(results.catchup.one_process.memory.live_heap.end_mb).toEqual(expect.any(Number))
    // Without a Redis the three-process run says why it was skipped.
    expect(results.catchup.three_processes.share_of_limit ?? results.catchup.three_processes.skipped).toBeDefined()
    expect(results.capture.plugin_on.p50_ms).toEqual(expect.any(Number))
    expect(results.capture.capture_to_woowup.p50_ms).toEqual(expect.any(Number))
    expect(results.flood.capture_to_woowup).toMatchObject({ flood: { p50_ms: expect.any(Number) }, quiet: { p50_ms: expect.any(Number) } })
    expect(results.table).toContain("under a storefront flood")
    expect(results.query.page_ms.p50).toEqual(expect.any(Number))
    expect(results.query.indexes.length).toBeGreaterThan(0)
    expect(results.catalog.changes.length).toBeGreaterThan(0)
    for (const c of results.catalog.changes) {
      expect(c.calls).toEqual(expect.any(Number))
    }
    expect(results.catalog.backfill).toMatchObject({ calls_per_variant: expect.any(Number), share_of_limit: expect.any(Number), rss_end_minus_quarter_mb: expect.any(Number) })
    expect(results.catalog.capture_to_woowup).toMatchObject({ during: { p50_ms: expect.any(Number) }, without: { p50_ms: expect.any(Number) } })
    expect(results.table).toContain("Catalog backfill of")
    expect(results.import.import).toMatchObject({ status: "done", share_of_limit: expect.any(Number), calls_per_order: expect.any(Number) })
    expect(results.import.import.processed).toBe(results.import.import.total)
    expect(results.import.import.memory.live_heap.end_mb).toEqual(expect.any(Number))
    expect(results.import.capture_to_woowup).toMatchObject({ during: { p50_ms: expect.any(Number) }, without: { p50_ms: expect.any(Number) } })
    expect(results.import.query.indexes.length).toBeGreaterThan(0)
    expect(results.table).toContain("History import of")
    expect(results.table).toContain("| Figure")
    fs.rmSync(path.dirname(out), { recursive: true, force: true })
  })
})
