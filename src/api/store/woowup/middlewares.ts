import { authenticate, validateAndTransformBody, validateAndTransformQuery, type MiddlewareRoute } from "@medusajs/framework/http"
import { limitConcurrentReads, throttleCustomerReads } from "./throttle"
import { PostStoreWoowupPoints, PostStoreWoowupVerificationConfirm, StoreGetWoowupPoints, StoreGetWoowupPointsPreview } from "./validators"

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
  {
    method: ["POST"],
    matcher: "/store/customers/me/woowup/verification",
    middlewares: [authenticate("customer", ["session", "bearer"])],
  },
  {
    method: ["POST"],
    matcher: "/store/customers/me/woowup/verification/confirm",
    middlewares: [
      authenticate("customer", ["session", "bearer"]),
      validateAndTransformBody(PostStoreWoowupVerificationConfirm),
    ],
  },
  {
    method: ["POST"],
    matcher: "/store/carts/:id/woowup-points",
    // Each application reads the live balance from WoowUp: bounded per customer like the points reads.
    middlewares: [
      authenticate("customer", ["session", "bearer"]),
      throttleCustomerReads(),
      validateAndTransformBody(PostStoreWoowupPoints),
    ],
  },
  {
    method: ["DELETE"],
    matcher: "/store/carts/:id/woowup-points",
    middlewares: [authenticate("customer", ["session", "bearer"])],
  },
]
