import type { SandboxFault, SandboxFaults, SandboxFaultStep } from "./types"
import { validateFaults } from "./validation"

/** Requests whose effect `dropAfterStoreRate` applies to (and `PUT /products/{sku}`, matched by its prefix). */
const STORING = new Set(["POST /purchases", "POST /multiusers/points", "POST /products", "POST /multiusers/abandoned-cart"])
const isStoring = (method: string, path: string): boolean =>
  STORING.has(`${method} ${path}`) || (method === "PUT" && path.startsWith("/products/"))

type ScriptEntry = { step: SandboxFaultStep; left: number }

/** Picks the fault, if any, for each API request. */
export class FaultInjector {
  private faults: SandboxFaults = {}
  private script: ScriptEntry[] = []

  constructor(private readonly random: () => number = Math.random) {}

  /** Replaces the faults (copied: the caller's object is never changed). Throws a TypeError when invalid. */
  set(faults: SandboxFaults = {}): void {
    const errors = validateFaults(faults)
    // eslint-disable-next-line @medusajs/use-medusa-error-not-generic-error -- standalone tool on node built-ins only, not an HTTP route
    if (errors.length) throw new TypeError(`Invalid sandbox faults: ${errors.join("; ")}`)
    this.faults = { ...faults, script: undefined }
    this.script = (faults.script ?? []).map((step) => ({ step: { ...step }, left: step.times ?? 1 }))
  }

  get current(): SandboxFaults {
    return { ...this.faults, script: this.script.filter((e) => e.left > 0).map((e) => ({ ...e.step, times: e.left })) }
  }

  get latencyMs(): number {
    return this.faults.latencyMs ?? 0
  }

  get retryAfterSeconds(): number {
    return this.faults.retryAfterSeconds ?? 1
  }

  /** How the account reads lists, dates and product updates (`pageCap`, `zonelessUtcOffsetHours`, `putCreatesProducts`). */
  get reading(): { pageCap?: number; zonelessUtcOffsetHours?: number; putCreatesProducts?: boolean } {
    return {
      pageCap: this.faults.pageCap,
      zonelessUtcOffsetHours: this.faults.zonelessUtcOffsetHours,
      putCreatesProducts: this.faults.putCreatesProducts,
    }
  }

  /** Finds the scripted step for a request without consuming it. */
  peekScript(method: string, path: string): ScriptEntry | undefined {
    return this.script.find(
      (e) =>
        e.left > 0 &&
        (e.step.method === undefined || e.step.method.toUpperCase() === method) &&
        (e.step.path === undefined || e.step.path === path)
    )
  }

  consume(entry: ScriptEntry): void {
    entry.left--
  }

  /**
   * The fault for a request: the first matching scripted step (returned with the entry, to be consumed
   * by the caller), else a random one: hang, then drop-after-store (storing requests only), then error.
   */
  pick(method: string, path: string): { fault: SandboxFault; entry?: ScriptEntry } | undefined {
    const entry = this.peekScript(method, path)
    if (entry) return { fault: entry.step.fault, entry }
    const f = this.faults
    if (f.hangRate && this.random() < f.hangRate) return { fault: "hang" }
    if (f.dropAfterStoreRate && isStoring(method, path) && this.random() < f.dropAfterStoreRate) {
      return { fault: "drop-after-store" }
    }
    if (f.errorRate && this.random() < f.errorRate) {
      const statuses = f.errorStatuses?.length ? f.errorStatuses : [500, 502, 503]
      return { fault: statuses[Math.floor(this.random() * statuses.length)] }
    }
    return undefined
  }

  reset(): void {
    this.faults = {}
    this.script = []
  }
}

const GATEWAY_TITLES: Record<number, string> = {
  502: "502 Bad Gateway",
  503: "503 Service Temporarily Unavailable",
  504: "504 Gateway Time-out",
}

/** An HTML page like the one a real gateway (nginx) sends in front of the API. */
export const gatewayPage = (status: number): string => {
  const title = GATEWAY_TITLES[status] ?? `${status} Error`
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
}

/** A 200 body that is not JSON although it claims to be: a truncated envelope. */
export const GARBAGE_BODY = '{"payload":{"exist":tru'
