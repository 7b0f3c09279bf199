import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import { normalizeEmail, normalizeVerificationCode, sameHash, verificationCodeHash } from "../../modules/woowup/rules"
import type { StoreCustomer } from "../../modules/woowup/rules/store-points"
import type WoowupModuleService from "../../modules/woowup/service"

export type ConfirmWoowupVerificationCodeStepInput = { customer: StoreCustomer; code: string }

export type ConfirmWoowupVerificationCodeStepOutput = {
  status: "verified" | "wrong_code" | "no_code" | "expired" | "too_many_attempts"
}

export const confirmWoowupVerificationCodeStepId = "confirm-woowup-verification-code"
/**
 * This step checks a code the customer received: the right one, live, with guesses left (five per code), sent to
 * the email the account still has, proves that email is theirs. Each guess is counted before it is checked, in one
 * statement, so concurrent guesses cannot go past the limit.
 */
export const confirmWoowupVerificationCodeStep = createStep(
  confirmWoowupVerificationCodeStepId,
  async (input: ConfirmWoowupVerificationCodeStepInput, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const code = normalizeVerificationCode(input.code)
    if (!code) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "code must be the 6 digits sent to the account's email")
    }
    const attempt = await woowup.takeVerificationAttempt(input.customer.id)
    if (attempt.status !== "pending") {
      return new StepResponse<ConfirmWoowupVerificationCodeStepOutput>({ status: attempt.status })
    }
    // A code proves the email it was sent to, only while the account still has that email.
    const email = normalizeEmail(input.customer.email)
    const right =
      email === attempt.code_identity &&
      sameHash(verificationCodeHash(input.customer.id, attempt.code_identity, code), attempt.code_hash)
    if (!right || !(await woowup.confirmVerification({ customer_id: input.customer.id, code_hash: attempt.code_hash }))) {
      return new StepResponse<ConfirmWoowupVerificationCodeStepOutput>({ status: "wrong_code" })
    }
    return new StepResponse<ConfirmWoowupVerificationCodeStepOutput>({ status: "verified" })
  }
)
