import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import type WoowupModuleService from "../../modules/woowup/service"
import type { ReconcileRunRecord } from "../../modules/woowup/service"
import { ordersToReconcile } from "../utils/orders-to-reconcile"

export type CreateWoowupResyncStepInput = {
  order_ids?: string[]
  from?: Date | string
  to?: Date | string
  only_failed?: boolean
  dry_run?: boolean
}

export const createWoowupResyncStepId = "create-woowup-resync"
/**
 * This step records an admin's resync, queued, with how many orders it finds to send (a dry run is done here and
 * then: it sends nothing). Unknown order ids are refused.
 */
export const createWoowupResyncStep = createStep(
  createWoowupResyncStepId,
  async (input: CreateWoowupResyncStepInput, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const order_ids = input.order_ids?.length ? [...new Set(input.order_ids)] : null
    if (order_ids) {
      const missing = await woowup.findMissingOrders(order_ids)
      if (missing.length) {
        throw new MedusaError(MedusaError.Types.NOT_FOUND, `order_ids: no order with id ${missing.slice(0, 5).join(", ")}`)
      }
    }
    const run = {
      kind: "resync" as const,
      order_ids,
      window_from: order_ids ? null : new Date(input.from!),
      window_to: order_ids ? null : new Date(input.to!),
      only_failed: !!input.only_failed,
      dry_run: !!input.dry_run,
    }
    let found = 0
    for await (const page of ordersToReconcile(woowup, { ...run, dry_run: true })) {
      found += page.length
    }
    const created: ReconcileRunRecord = await woowup.createWoowupReconcileRuns({
      ...run,
      found,
      status: run.dry_run ? "done" : "queued",
      ...(run.dry_run ? { started_at: new Date(), finished_at: new Date(), duration_ms: 0 } : {}),
    })
    return new StepResponse(created, created.id)
  },
  async (id, { container }) => {
    if (!id) {
      return
    }
    await container.resolve<WoowupModuleService>(WOOWUP_MODULE).deleteWoowupReconcileRuns(id)
  }
)
