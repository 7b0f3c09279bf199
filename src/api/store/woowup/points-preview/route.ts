import type { MedusaResponse, MedusaStoreRequest } from "@medusajs/framework/http"
import { previewWoowupCartPointsWorkflow } from "../../../../workflows/preview-woowup-cart-points"
import type { StoreWoowupPointsPreviewResponse } from "../types"
import type { StoreGetWoowupPointsPreviewType } from "../validators"

/** The points a cart will earn once its order is captured, under the plugin's rules. No WoowUp call. */
export const GET = async (
  req: MedusaStoreRequest<unknown, StoreGetWoowupPointsPreviewType>,
  res: MedusaResponse<StoreWoowupPointsPreviewResponse>
) => {
  const { result } = await previewWoowupCartPointsWorkflow(req.scope).run({ input: { cart_id: req.validatedQuery.cart_id } })
  res.json({ points_preview: result })
}
