import { MedusaError } from "@medusajs/framework/utils"

/** Polls `check` every `intervalMs` until it answers something other than undefined or false, and returns that. */
export async function waitUntil<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, intervalMs = 250): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await check()
    if (v !== undefined && v !== false) {
      return v as T
    }
    if (Date.now() > until) {
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `timed out after ${timeoutMs / 1000} s waiting for ${what}`)
    }
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}
