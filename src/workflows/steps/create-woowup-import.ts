import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import { importEstimate } from "../../modules/woowup/rules"
import type WoowupModuleService from "../../modules/woowup/service"
import type { ReconcileRunRecord } from "../../modules/woowup/service"
import { HISTORY_SCAN } from "../../modules/woowup/records/history-orders"

export type CreateWoowupImportStepInput = {
  from: Date | string
  to: Date | string
  /** The purchases carry the points they earn (default: no, history earns none). */
  award_points?: boolean
  /** The window's customers are created in WoowUp before their purchases (default: yes). */
  customers?: boolean
  dry_run?: boolean
}

export const createWoowupImportStepId = "create-woowup-import"
/**
 * This step records an import of the store's history over a window of order creation times, with the orders it
 * covers counted up front (primary-key pages, see records/history-orders.ts). A dry run is done then and there:
 * it records what would be sent, the WoowUp calls and the time they take at the account's limit, and sends
 * nothing. Only one import at a time: a second one is refused while one is queued, running or paused.
 */
export const createWoowupImportStep = createStep(
  createWoowupImportStepId,
  async (input: CreateWoowupImportStepInput, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const options = await woowup.getOptions()
    const dry_run = !!input.dry_run
    const with_customers = input.customers !== false && options.syncCustomers
    if (!dry_run) {
      await refuseSecondImport(woowup)
    }
    const from = new Date(input.from)
    const to = new Date(input.to)
    let total = 0
    let ordersToSend = 0
    const customers = new Set<string>()
    for (let after = ""; ; ) {
      const { orders, cursor } = await woowup.findHistoryPage({ after_id: after, scan: HISTORY_SCAN, from, to })
      total += orders.length
      for (const order of orders) {
        ordersToSend += order.recorded ? 0 : 1
        if (with_customers && order.customer_account && !order.customer_synced) {
          customers.add(order.customer_id!)
        }
      }
      if (!cursor) {
        break
      }
      after = cursor
    }
    const run = {
      kind: "import" as const,
      window_from: from,
      window_to: to,
      award_points: !!input.award_points,
      with_customers,
      dry_run,
      total,
      found: ordersToSend,
      customers_found: customers.size,
    }
    let created: ReconcileRunRecord
    try {
      created = await woowup.createWoowupReconcileRuns(
        dry_run
          ? {
              ...run,
              status: "done",
              started_at: new Date(),
              finished_at: new Date(),
              duration_ms: 0,
              estimate: importEstimate({
                orders_to_send: ordersToSend,
                customers_to_send: customers.size,
                requestsPerMinute: options.requestsPerMinute,
              }),
            }
          : { ...run, status: "queued" }
      )
    } catch (e) {
      // Two requests at the same moment: the index lets one through.
      await refuseSecondImport(woowup)
      throw e
    }
    return new StepResponse(created, created.id)
  },
  async (id, { container }) => {
    if (!id) {
      return
    }
    await container.resolve<WoowupModuleService>(WOOWUP_MODULE).deleteWoowupReconcileRuns(id)
  }
)

async function refuseSecondImport(woowup: WoowupModuleService): Promise<void> {
  const [open] = await woowup.listWoowupReconcileRuns(
    { kind: "import", status: ["queued", "running", "paused"], dry_run: false },
    { take: 1 }
  )
  if (open) {
    throw new MedusaError(
      MedusaError.Types.CONFLICT,
      `An import is already ${open.status} (${open.id}): only one import runs at a time; cancel it or wait for it to end`
    )
  }
}
