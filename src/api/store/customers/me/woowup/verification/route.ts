import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { sendWoowupVerificationCodeWorkflow } from "../../../../../../workflows/send-woowup-verification-code"
import type { StoreWoowupVerificationResponse } from "../../../../woowup/types"

/** Sends the logged-in customer a one-time code at their account's email (README, "Proven identities"). */
export const POST = async (
  req: AuthenticatedMedusaRequest,
  res: MedusaResponse<StoreWoowupVerificationResponse | { type: "too_many_requests"; message: string }>
) => {
  const { result } = await sendWoowupVerificationCodeWorkflow(req.scope).run({
    input: { customer_id: req.auth_context.actor_id },
  })
  if (result.status === "rate_limited") {
    const seconds = Math.max(1, Math.ceil((Date.parse(result.retry_at) - Date.now()) / 1000))
    res.setHeader("Retry-After", String(seconds))
    res.status(429).json({ type: "too_many_requests", message: `A code was sent recently: ask again after ${result.retry_at}` })
    return
  }
  res.status(202).json({ verification: { email: result.email, expires_at: result.expires_at } })
}
