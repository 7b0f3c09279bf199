import { authenticate, validateAndTransformQuery, type MiddlewareRoute } from "@medusajs/framework/http"
import { limitConcurrentReads, throttleCustomerReads } from "./throttle"
import { StoreGetWoowupPoints, StoreGetWoowupPointsPreview } from "./validators"

/** The plugin's store routes. Medusa checks the publishable key on every `/store` route. */
export const storeWoowupMiddlewares: MiddlewareRoute[] = [
  {
    method: ["GET"],
    matcher: "/store/customers/me/woowup",
    middlewares: [
      authenticate("customer", ["session", "bearer"]),
      throttleCustomerReads(),
      validateAndTransformQuery(StoreGetWoowupPoints, {}),
      limitConcurrentReads(),
    ],
  },
  {
    method: ["GET"],
    matcher: "/store/woowup/points-preview",
    middlewares: [validateAndTransformQuery(StoreGetWoowupPointsPreview, {})],
  },
]
