import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import type WoowupModuleService from "../../modules/woowup/service"
import type { ReconcileRunRecord } from "../../modules/woowup/service"
import { variantIdsOfProducts } from "../utils/catalog-variants"
import { ordersToReconcile } from "../utils/orders-to-reconcile"

export type CreateWoowupResyncStepInput = {
  order_ids?: string[]
  /** Customers to sync (with or without orders): named ones, or every customer with an account. */
  customer_ids?: string[]
  customers?: "all"
  /** Products to sync (each of their variants): named ones, or the whole catalog. */
  products?: "all" | string[]
  from?: Date | string
  to?: Date | string
  only_failed?: boolean
  dry_run?: boolean
  /**
   * The records written for another WoowUp account (all of them, or those of `order_ids`): sent to this account.
   * The one way such records are ever sent.
   */
  other_account?: boolean
}

export const createWoowupResyncStepId = "create-woowup-resync"
/**
 * This step records an admin's resync, queued, with how many orders it finds to send and how many customers it
 * and product variants it looks at (a dry run is done here and then: it sends nothing). Unknown order, customer or
 * product ids are refused, and customers or products when their feed is off.
 */
export const createWoowupResyncStep = createStep(
  createWoowupResyncStepId,
  async (input: CreateWoowupResyncStepInput, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const order_ids = input.order_ids?.length ? [...new Set(input.order_ids)] : null
    if (order_ids) {
      const missing = await woowup.findMissing("order", order_ids)
      if (missing.length) {
        throw new MedusaError(MedusaError.Types.NOT_FOUND, `order_ids: no order with id ${missing.slice(0, 5).join(", ")}`)
      }
    }
    const customer_ids = input.customer_ids?.length ? [...new Set(input.customer_ids)] : null
    const all_customers = input.customers === "all"
    if (customer_ids || all_customers) {
      if (!(await woowup.getOptions()).syncCustomers) {
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "customers: the customer sync is off (syncCustomers: false)")
      }
    }
    if (customer_ids) {
      const missing = await woowup.findMissing("customer", customer_ids)
      if (missing.length) {
        throw new MedusaError(MedusaError.Types.NOT_FOUND, `customer_ids: no customer with id ${missing.slice(0, 5).join(", ")}`)
      }
    }
    const product_ids = Array.isArray(input.products) ? [...new Set(input.products)] : null
    const all_products = input.products === "all"
    if (product_ids || all_products) {
      if (!(await woowup.getOptions()).catalog.enabled) {
        throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "products: the catalog feed is off (catalog.enabled: false)")
      }
    }
    if (product_ids) {
      const missing = await woowup.findMissing("product", product_ids)
      if (missing.length) {
        throw new MedusaError(MedusaError.Types.NOT_FOUND, `products: no product with id ${missing.slice(0, 5).join(", ")}`)
      }
    }
    const other_account = !!input.other_account
    const window = !order_ids && !other_account && input.from !== undefined && input.to !== undefined
    const run = {
      kind: "resync" as const,
      order_ids,
      customer_ids,
      all_customers,
      product_ids,
      all_products,
      window_from: window ? new Date(input.from!) : null,
      window_to: window ? new Date(input.to!) : null,
      only_failed: !!input.only_failed,
      dry_run: !!input.dry_run,
      other_account,
    }
    let found = 0
    for await (const page of ordersToReconcile(woowup, { ...run, dry_run: true })) {
      found += page.length
    }
    const scope = run.only_failed ? "failed" : "all"
    const customers_found = customer_ids?.length ?? (all_customers ? await woowup.countFeedSyncs("customers", scope) : 0)
    const products_found = product_ids
      ? (await variantIdsOfProducts(container, product_ids)).length
      : all_products
        ? await woowup.countFeedSyncs("products", scope)
        : 0
    const created: ReconcileRunRecord = await woowup.createWoowupReconcileRuns({
      ...run,
      found,
      // Its progress: `processed` of these orders, as an import's.
      total: found,
      customers_found,
      products_found,
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
