import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import type { StoreCustomer } from "../../modules/woowup/rules/store-points"
import type WoowupModuleService from "../../modules/woowup/service"
import { customerIdentityProof } from "../utils/identity-proof"

export type CheckWoowupIdentityProofStepInput = { customer: StoreCustomer }

export const checkWoowupIdentityProofStepId = "check-woowup-identity-proof"
/**
 * This step says whether the customer's WoowUp identity, as it is now, is proven theirs (see the README, "Proven
 * identities"). No WoowUp call.
 */
export const checkWoowupIdentityProofStep = createStep(
  checkWoowupIdentityProofStepId,
  async (input: CheckWoowupIdentityProofStepInput, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const { verified } = await customerIdentityProof(woowup, input.customer)
    return new StepResponse({ verified })
  }
)
