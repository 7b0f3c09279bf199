import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { requestWoowupResyncWorkflow } from "../../../../workflows/reconcile-orders"
import type { AdminWoowupResyncResponse } from "../types"
import type { PostAdminWoowupResyncType } from "../validators"

/** Resyncs named orders, or a window of order creation times, and/or customers, in the background (202). */
export const POST = async (
  req: AuthenticatedMedusaRequest<PostAdminWoowupResyncType>,
  res: MedusaResponse<AdminWoowupResyncResponse>
) => {
  const { result: run } = await requestWoowupResyncWorkflow(req.scope).run({ input: req.validatedBody })
  res.status(202).json({
    resync: {
      id: run.id,
      status: run.status,
      ...(run.order_ids?.length ? { order_ids: run.order_ids } : {}),
      ...(run.window_from && run.window_to
        ? { from: new Date(run.window_from).toISOString(), to: new Date(run.window_to).toISOString() }
        : {}),
      ...(run.customer_ids?.length ? { customer_ids: run.customer_ids } : {}),
      ...(run.all_customers ? { customers: "all" as const } : {}),
      ...(run.product_ids?.length ? { products: run.product_ids } : run.all_products ? { products: "all" as const } : {}),
      only_failed: run.only_failed,
      dry_run: run.dry_run,
      other_account: run.other_account,
      found: run.found,
      customers_found: run.customers_found,
      products_found: run.products_found,
    },
  })
}
