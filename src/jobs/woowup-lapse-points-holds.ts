import type { MedusaContainer } from "@medusajs/framework/types"
import { WOOWUP_MODULE } from "../modules/woowup"
import type WoowupModuleService from "../modules/woowup/service"
import { lapseWoowupPointsHoldsWorkflow } from "../workflows/lapse-woowup-points-holds"

/** Every 15 minutes, with `redeem.enabled`: the holds of carts unpaid past `redeem.holdMinutes` lapse. */
export default async function woowupLapsePointsHoldsJob(container: MedusaContainer) {
  const { redeem } = await container.resolve<WoowupModuleService>(WOOWUP_MODULE).getOptions()
  if (redeem.enabled) {
    await lapseWoowupPointsHoldsWorkflow(container).run()
  }
}

export const config = {
  name: "woowup-lapse-points-holds",
  schedule: "*/15 * * * *",
}
