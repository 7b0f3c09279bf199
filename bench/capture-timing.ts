/** What the capture rows of the bench time: the admin's capture route, and when WoowUp stored the purchase. */
import { MedusaError } from "@medusajs/framework/utils"
import type { AuthHeaders } from "../integration-tests/helpers"
import type { WoowupSandbox } from "../src/sandbox"

/** `POST /admin/payments/:id/capture`: how long the route took, and when it answered (`performance.now()`). */
export async function timedCapture(url: string, paymentId: string, admin: AuthHeaders): Promise<{ ms: number; at: number }> {
  const t0 = performance.now()
  const res = await fetch(`${url}/admin/payments/${paymentId}/capture`, {
    method: "POST",
    headers: { "content-type": "application/json", ...admin.headers },
    body: "{}",
  })
  const body = await res.text()
  const at = performance.now()
  if (!res.ok) {
    throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `capture ${paymentId}: ${res.status} ${body.slice(0, 300)}`)
  }
  return { ms: at - t0, at }
}

/**
 * Notes when the sandbox stores each purchase (it stores it, then waits its `latencyMs` before answering), until
 * `stop()`. `storedAt(invoice)` waits for one, polling every 2 ms.
 */
export function watchStoredPurchases(sandbox: WoowupSandbox) {
  const stored = new Map<string, number>()
  const purchases = sandbox.state.purchases
  const push = purchases.push
  purchases.push = function (...items) {
    for (const p of items) {
      stored.set(p.invoice_number, performance.now())
    }
    return push.apply(this, items)
  }
  return {
    async storedAt(invoiceNumber: string, timeoutMs = 60_000): Promise<number> {
      const until = Date.now() + timeoutMs
      while (!stored.has(invoiceNumber)) {
        if (Date.now() > until) {
          throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `the purchase ${invoiceNumber} never reached WoowUp`)
        }
        await new Promise((r) => setTimeout(r, 2))
      }
      return stored.get(invoiceNumber)!
    },
    stop() {
      purchases.push = push
    },
  }
}
