/** The bench's table: a heading with the machine, then each part's rows (figure, measured, target met or missed). */
import type { BenchPart } from "./parts/part"
import type { Results } from "./figures"
import { round } from "./util"

/** Figure, measured, and "met", "MISSED: …" or "" when the figure has no target. */
export type Row = [string, string, string]

export type TableTools = {
  /** "met", or "MISSED: text" (and the miss is listed in the results). */
  miss: (ok: boolean, text: string) => string
  /** A number rounded to `digits`, or "n/a". */
  f: (v: number, digits?: number) => string
}

export function renderTable(r: Results, parts: BenchPart[]): { table: string; misses: string[] } {
  const misses: string[] = []
  const tools: TableTools = {
    miss: (ok, text) => {
      if (!ok) {
        misses.push(text)
      }
      return ok ? "met" : `MISSED: ${text}`
    },
    f: (v, d = 1) => (Number.isFinite(v) ? String(round(v, d)) : "n/a"),
  }
  const rows = parts.flatMap((p) => p.rows(r, tools))

  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i].length), ["Figure", "Measured", "Target"][i].length))
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`
  const m = r.machine
  const table = [
    `medusa-plugin-woowup bench, ${r.date.slice(0, 16).replace("T", " ")} UTC: ${m.cpus} CPUs (${m.cpu_model}), ${m.memory_gb} GB, Node ${m.node}` +
      `, load average ${m.load_avg_at_start[0]} at the start and ${m.load_avg_at_end?.[0] ?? "?"} at the end` +
      `${r.options.smoke ? ", SMOKE (tiny numbers, not figures)" : ""}`,
    line(["Figure", "Measured", "Target"]),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
  ].join("\n")
  return { table, misses }
}
