import fs from "node:fs"
import path from "node:path"

/**
 * Imports run one way: no module of the plugin reaches itself again through its runtime imports (a circle loads
 * one of its modules half-initialised, e.g. a step exported by an index that the workflow it runs imports).
 * Type-only imports are left out: they vanish at build.
 */

const SRC = path.resolve(__dirname, "..")
const IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^"';]*?\s+from\s+)?["'](\.[^"']+)["']/gm

function resolve(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec)
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
      return candidate
    }
  }
  return null
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      return entry.name === "__tests__" ? [] : sources(full)
    }
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [full] : []
  })
}

/** Every circle of runtime imports in `files`, each as the list of its modules. */
function findImportCycles(files: string[]): string[][] {
  const edges = new Map<string, string[]>()
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8")
    const targets = [...text.matchAll(IMPORT)].map((m) => resolve(file, m[1])).filter((t): t is string => !!t)
    edges.set(file, targets)
  }
  const cycles: string[][] = []
  const state = new Map<string, "open" | "done">()
  const stack: string[] = []
  const visit = (file: string) => {
    state.set(file, "open")
    stack.push(file)
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === "open") {
        cycles.push(stack.slice(stack.indexOf(next)).map((f) => path.relative(SRC, f)))
      } else if (!state.has(next)) {
        visit(next)
      }
    }
    stack.pop()
    state.set(file, "done")
  }
  for (const file of edges.keys()) {
    if (!state.has(file)) {
      visit(file)
    }
  }
  return cycles
}

describe("the plugin's imports", () => {
  it("run one way: no module imports itself back", () => {
    expect(findImportCycles(sources(SRC))).toEqual([])
  })
})
