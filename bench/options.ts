/** The bench's command line: `--smoke`, the sizes of each part, `--only` and `--out`. */
import path from "node:path"
import { MedusaError } from "@medusajs/framework/utils"
import { REPO } from "../integration-tests/helpers/medusa-process"

export type BenchOptions = ReturnType<typeof parseArgs>

/** `argv` without node and the script; `parts` are the names `--only` may list (all of them by default). */
export function parseArgs(argv: string[], parts: string[]) {
  const flag = (name: string) => argv.includes(`--${name}`)
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`)
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
  }
  const int = (name: string, fallback: number) => {
    const v = value(name)
    if (v === undefined) {
      return fallback
    }
    const n = Number(v)
    if (!Number.isInteger(n) || n < 1) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `--${name} must be a positive integer, got ${v}`)
    }
    return n
  }
  const smoke = flag("smoke")
  const orders = int("orders", smoke ? 20 : 2000)
  const only = value("only")?.split(",") ?? parts
  for (const p of only) {
    if (!parts.includes(p)) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `--only: unknown part ${p} (${parts.join(", ")})`)
    }
  }
  return {
    smoke,
    orders,
    rpm: value("rpm") ? int("rpm", 140) : undefined,
    captures: int("captures", smoke ? 2 : 100),
    warmup: smoke ? 1 : 10,
    queryOrders: int("query-orders", smoke ? 2000 : 100_000),
    queryCarts: int("query-carts", smoke ? 2000 : 100_000),
    repeat: int("repeat", smoke ? 1 : 3),
    catalogVariants: int("catalog-variants", smoke ? 200 : 10_000),
    catalogCaptures: int("catalog-captures", smoke ? 2 : 20),
    catalogRpm: int("catalog-rpm", 2000),
    importOrders: int("import-orders", smoke ? 100 : 20_000),
    importCaptures: int("import-captures", smoke ? 2 : 20),
    importRpm: int("import-rpm", 1000),
    importQueryOrders: int("import-query-orders", smoke ? 2000 : 100_000),
    concurrency: value("concurrency") ? int("concurrency", 4) : undefined,
    parts: only,
    out: value("out") ?? (smoke ? path.join(REPO, ".tmp", "bench", "results.smoke.json") : path.join(REPO, "bench", "results.json")),
  }
}
