import { validateAndTransformBody, validateAndTransformQuery, type MiddlewareRoute } from "@medusajs/framework/http"
import { GetAdminWoowupAuditParams } from "./audit/validators"
import { GetAdminWoowupImportsParams, PostAdminWoowupImport } from "./imports/validators"
import { listAdminWoowupRewardsQueryConfig } from "./query-config"
import { GetAdminWoowupRewardsParams, PostAdminWoowupResync, PostAdminWoowupVerifyCustomer } from "./validators"

/** The plugin's admin routes. Medusa requires an authenticated admin on every `/admin` route. */
export const adminWoowupMiddlewares: MiddlewareRoute[] = [
  {
    method: ["POST"],
    matcher: "/admin/woowup/resync",
    middlewares: [validateAndTransformBody(PostAdminWoowupResync)],
  },
  {
    method: ["POST"],
    matcher: "/admin/woowup/imports",
    middlewares: [validateAndTransformBody(PostAdminWoowupImport)],
  },
  {
    method: ["GET"],
    matcher: "/admin/woowup/imports",
    middlewares: [validateAndTransformQuery(GetAdminWoowupImportsParams, {})],
  },
  {
    method: ["GET"],
    matcher: "/admin/woowup/rewards",
    middlewares: [validateAndTransformQuery(GetAdminWoowupRewardsParams, listAdminWoowupRewardsQueryConfig)],
  },
  {
    method: ["GET"],
    matcher: "/admin/woowup/audit",
    middlewares: [validateAndTransformQuery(GetAdminWoowupAuditParams, {})],
  },
  {
    method: ["POST"],
    matcher: "/admin/woowup/customers/:id/verify",
    middlewares: [validateAndTransformBody(PostAdminWoowupVerifyCustomer)],
  },
]
