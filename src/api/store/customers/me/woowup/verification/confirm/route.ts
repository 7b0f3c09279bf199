import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { confirmWoowupVerificationCodeWorkflow } from "../../../../../../../workflows/confirm-woowup-verification-code"
import type { StoreWoowupVerifiedResponse } from "../../../../../woowup/types"
import type { PostStoreWoowupVerificationConfirmType } from "../../../../../woowup/validators"

const REFUSED = {
  wrong_code: { status: 400, message: "code is not the one sent to the account's email" },
  no_code: { status: 400, message: "code: no code is pending; ask for one first" },
  expired: { status: 400, message: "code has expired; ask for a new one" },
  too_many_attempts: { status: 429, message: "code: too many wrong codes; ask for a new one" },
} as const

/** Proves the logged-in customer's email with the code sent to it. */
export const POST = async (
  req: AuthenticatedMedusaRequest<PostStoreWoowupVerificationConfirmType>,
  res: MedusaResponse<StoreWoowupVerifiedResponse | { type: string; message: string }>
) => {
  const { result } = await confirmWoowupVerificationCodeWorkflow(req.scope).run({
    input: { customer_id: req.auth_context.actor_id, code: req.validatedBody.code },
  })
  if (result.status === "verified") {
    res.json({ woowup: { verified: true } })
    return
  }
  const refused = REFUSED[result.status]
  res.status(refused.status).json({ type: refused.status === 429 ? "too_many_requests" : "invalid_data", message: refused.message })
}
