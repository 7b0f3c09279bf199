import { randomInt } from "node:crypto"
import type { INotificationModuleService } from "@medusajs/framework/types"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import { normalizeEmail, VERIFICATION_CODE, verificationCodeHash } from "../../modules/woowup/rules"
import type { StoreCustomer } from "../../modules/woowup/rules/store-points"
import type WoowupModuleService from "../../modules/woowup/service"

export type SendWoowupVerificationCodeStepInput = { customer: StoreCustomer }

export type SendWoowupVerificationCodeStepOutput =
  | { status: "sent"; email: string; expires_at: string }
  /** Too soon after the last code, or too many this hour: `retry_at` says when. */
  | { status: "rate_limited"; retry_at: string }

export const sendWoowupVerificationCodeStepId = "send-woowup-verification-code"
/**
 * This step sends the customer a one-time code at their account's email, through Medusa's Notification module
 * (`verificationChannel`, `verificationTemplate`), and keeps only its hash: confirming it proves that email is
 * theirs. One code a minute, five an hour, per customer. 400 when the store matches WoowUp customers on
 * something other than the email (only an admin can prove a phone or a document).
 */
export const sendWoowupVerificationCodeStep = createStep(
  sendWoowupVerificationCodeStepId,
  async (input: SendWoowupVerificationCodeStepInput, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const options = await woowup.getOptions()
    if (options.identifier !== "email") {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `A code proves an email, and this store knows WoowUp customers by their ${options.identifier}: the store verifies it`
      )
    }
    const email = normalizeEmail(input.customer.email)
    if (!email) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "The account has no email to send a code to")
    }
    const code = String(randomInt(0, 10 ** VERIFICATION_CODE.digits)).padStart(VERIFICATION_CODE.digits, "0")
    const code_hash = verificationCodeHash(input.customer.id, email, code)
    const started = await woowup.startIdentityVerification({ customer_id: input.customer.id, email, code_hash })
    if (!started.record) {
      return new StepResponse<SendWoowupVerificationCodeStepOutput>({
        status: "rate_limited",
        retry_at: started.retry_at.toISOString(),
      })
    }
    const expires_at = new Date(started.record.code_expires_at as unknown as string).toISOString()
    try {
      await container.resolve<INotificationModuleService>(Modules.NOTIFICATION).createNotifications({
        to: email,
        channel: options.verificationChannel,
        template: options.verificationTemplate,
        data: { code, expires_at, first_name: input.customer.first_name ?? null },
        trigger_type: "woowup.identity_verification",
        resource_id: input.customer.id,
        resource_type: "customer",
      })
    } catch (e) {
      await woowup.dropVerificationCode(input.customer.id, code_hash)
      throw new MedusaError(
        MedusaError.Types.UNEXPECTED_STATE,
        `The verification code could not be sent on the "${options.verificationChannel}" channel: ${(e as Error).message}`
      )
    }
    return new StepResponse<SendWoowupVerificationCodeStepOutput>({ status: "sent", email, expires_at })
  }
)
