/** Resident memory of the bench's Medusa processes over a measured stretch, and what the table reads from it. */
import type { BenchProcess } from "./processes"
import type { MemoryFigures } from "./figures"
import { round } from "./util"

type Sample = { s: number; rss_mb: number; done: number }

/** Resident memory of processes over time, with how many purchases WoowUp holds at each sample. */
export function sampleMemory(processes: BenchProcess[], done: () => number, intervalMs = 500) {
  const t0 = performance.now()
  const samples = new Map<string, Sample[]>()
  const take = () => {
    for (const p of processes) {
      const rss = p.rssMb()
      if (rss !== null) {
        const list = samples.get(p.name) ?? []
        list.push({ s: round((performance.now() - t0) / 1000, 1), rss_mb: round(rss, 1), done: done() })
        samples.set(p.name, list)
      }
    }
  }
  take()
  const timer = setInterval(take, intervalMs)
  return {
    samples,
    stop: () => {
      take()
      clearInterval(timer)
    },
  }
}

/** Before, peak and after of the measured stretch [startS, endS], and the peaks of its two halves (by purchases done of `total`). */
export function memoryFigures(name: string, samples: Sample[], startS: number, endS: number, total: number): MemoryFigures {
  const before = samples.filter((x) => x.s <= startS)
  const during = samples.filter((x) => x.s > startS && x.s <= endS)
  const after = samples.filter((x) => x.s > endS)
  const max = (xs: typeof samples) => (xs.length ? Math.max(...xs.map((x) => x.rss_mb)) : NaN)
  const first = max(during.filter((x) => x.done <= total / 2))
  const second = max(during.filter((x) => x.done > total / 2))
  return {
    process: name,
    before_mb: before.length ? before[before.length - 1].rss_mb : NaN,
    peak_mb: max(during),
    after_mb: after.length ? after[after.length - 1].rss_mb : NaN,
    first_half_peak_mb: first,
    second_half_peak_mb: second,
    growth_mb: round(second - first, 1),
    // A sample every 5 s is enough to show the shape.
    samples: samples.filter((_, i) => i % 10 === 0 || i === samples.length - 1),
  }
}
