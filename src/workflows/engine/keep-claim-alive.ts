import { CLAIM_HEARTBEAT_MS } from "../../modules/woowup/service"

/**
 * Runs `work` while proving, every {@link CLAIM_HEARTBEAT_MS}, that the claim it works under is still alive, so
 * that no other process takes it over as the claim of a dead one. When a heartbeat finds the claim no longer this
 * run's (or cannot be written), `work`'s signal aborts: a WoowUp call waiting for the rate limiter or a retry gives
 * up instead of starting on a claim that someone else may now hold.
 */
export async function keepClaimAlive<T>(
  beat: () => Promise<boolean>,
  work: (signal: AbortSignal) => Promise<T>
): Promise<T> {
  const controller = new AbortController()
  let beating = false
  const timer = setInterval(async () => {
    if (beating) {
      return
    }
    beating = true
    try {
      if (!(await beat())) {
        controller.abort(new Error("the claim was taken over"))
      }
    } catch (e) {
      controller.abort(e)
    } finally {
      beating = false
    }
  }, CLAIM_HEARTBEAT_MS)
  timer.unref?.()
  try {
    return await work(controller.signal)
  } finally {
    clearInterval(timer)
  }
}
