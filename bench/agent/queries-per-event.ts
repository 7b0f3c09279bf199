/** SQL queries per redelivered event: the award workflow's, and a whole `payment.captured` delivery's. */
import type { IEventBusModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MedusaError, Modules, PaymentEvents } from "@medusajs/framework/utils"
import { rewardOrderWorkflow } from "../../src/workflows/reward-order"
import type { QueryCountFigures } from "../types"
import { andWait } from "./checkout"

/** SQL statements issued on the app's shared connection while `work` runs (modules reuse that knex). */
async function countStatements(container: MedusaContainer, work: () => Promise<unknown>): Promise<{ count: number; statements: string[] }> {
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
  const statements: string[] = []
  const listener = (q: { sql: string }) => statements.push(q.sql.replace(/\s+/g, " ").slice(0, 160))
  knex.on("query", listener)
  try {
    await work()
  } finally {
    knex.removeListener("query", listener)
  }
  return { count: statements.length, statements }
}

export async function countQueries(container: MedusaContainer, orderId: string | undefined): Promise<QueryCountFigures> {
  if (!orderId) {
    throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "no synced order to redeliver an event for")
  }
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const {
    data: [order],
  } = await query.graph({ entity: "order", fields: ["id", "payment_collections.payments.id"], filters: { id: orderId } })
  const paymentId = (order as any).payment_collections[0].payments[0].id as string
  const bus = container.resolve<IEventBusModuleService>(Modules.EVENT_BUS)

  // Warm: the first run of a workflow in a process prepares it.
  await rewardOrderWorkflow(container).run({ input: { order_id: orderId, trigger: "payment_captured" } })
  const workflow = await countStatements(container, () =>
    rewardOrderWorkflow(container).run({ input: { order_id: orderId, trigger: "payment_captured" } })
  )
  const event = await countStatements(container, () =>
    andWait(container, PaymentEvents.CAPTURED, () => bus.emit({ name: PaymentEvents.CAPTURED, data: { id: paymentId } }))
  )
  return { order_id: orderId, workflow: workflow.count, workflow_statements: workflow.statements, event: event.count, event_statements: event.statements }
}
