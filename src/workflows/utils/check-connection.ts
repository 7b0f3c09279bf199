import { isWoowupError, type WoowupClient } from "../../modules/woowup/client"

/** How long the admin waits for WoowUp's answer before calling it unreachable. */
const CONNECTION_TIMEOUT_MS = 3_000

/**
 * Whether WoowUp accepts the plugin's key right now: one read-only call, no retry, a short timeout. `refused` is
 * a key WoowUp does not take (401/403); `unreachable` anything else that is not an answer.
 */
export async function checkWoowupConnection(
  client: WoowupClient
): Promise<{ status: "ok" | "unreachable" | "refused"; ms?: number; error?: string }> {
  const started = Date.now()
  try {
    await client.customerExists(
      { email: "medusa-plugin-woowup-ping@example.com" },
      { timeoutMs: CONNECTION_TIMEOUT_MS, maxRetries: 0 }
    )
    return { status: "ok", ms: Date.now() - started }
  } catch (e) {
    if (!isWoowupError(e)) {
      throw e
    }
    const refused = e.status === 401 || e.status === 403 || e.code === "forbidden" || e.code === "unauthorized"
    return { status: refused ? "refused" : "unreachable", ms: Date.now() - started, error: e.message }
  }
}
