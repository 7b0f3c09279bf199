import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import type WoowupModuleService from "../../modules/woowup/service"
import type { OrderSyncState } from "../../modules/woowup/service"

export const loadWoowupSyncStateStepId = "load-woowup-sync-state"
/**
 * This step reads the order's reward record and payments, and says whether WoowUp already holds what the order
 * wants: then the workflow stops here, before loading the order's items (a redelivered event costs one query).
 */
export const loadWoowupSyncStateStep = createStep(
  loadWoowupSyncStateStepId,
  async (input: { order_id: string }, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const state = await woowup.getOrderSyncState(input.order_id)
    if (!state) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order with id: ${input.order_id} was not found`)
    }
    return new StepResponse<OrderSyncState>(state)
  }
)
