import { z } from "@medusajs/framework/zod"
import { STORE_HISTORY } from "../../../modules/woowup/customer-points"

// Medusa's error message quotes a custom issue's message without its path: the messages name their field.
const whole = (field: string) => z.coerce.number({ error: `${field} must be a whole number` }).int({ error: `${field} must be a whole number` })

/**
 * `GET /store/customers/me/woowup`: which of the customer's latest {@link STORE_HISTORY} movements, newest first.
 * Bounded: every page is served from one cached read of the customer (`customer-points.ts`).
 */
export const StoreGetWoowupPoints = z.object({
  limit: whole("limit")
    .min(1, { error: "limit must be at least 1" })
    .max(STORE_HISTORY, { error: `limit must be at most ${STORE_HISTORY}` })
    .default(20),
  offset: whole("offset")
    .min(0, { error: "offset must be at least 0" })
    .max(STORE_HISTORY - 1, { error: `offset must be at most ${STORE_HISTORY - 1} (the storefront shows the latest ${STORE_HISTORY} movements)` })
    .default(0),
  /** A cart of the customer's: `redeemable` then also says what the points pay in it. */
  cart_id: z
    .string()
    .trim()
    .regex(/^cart_[0-9A-Za-z]+$/, "Field 'cart_id' must be a cart id (cart_...)")
    .optional(),
})
export type StoreGetWoowupPointsType = z.infer<typeof StoreGetWoowupPoints>

/** `GET /store/woowup/points-preview?cart_id=` */
export const StoreGetWoowupPointsPreview = z.object({
  cart_id: z
    .string()
    .trim()
    .regex(/^cart_[0-9A-Za-z]+$/, "Field 'cart_id' must be a cart id (cart_...)"),
})
export type StoreGetWoowupPointsPreviewType = z.infer<typeof StoreGetWoowupPointsPreview>

/** `POST /store/customers/me/woowup/verification/confirm`: the code sent to the account's email. */
export const PostStoreWoowupVerificationConfirm = z
  .object({ code: z.string({ error: "code must be the 6 digits sent to the account's email" }).trim().min(1).max(20) })
  .strict()
export type PostStoreWoowupVerificationConfirmType = z.infer<typeof PostStoreWoowupVerificationConfirm>

/** `POST /store/carts/:id/woowup-points`: how many WoowUp points to spend on the cart. */
export const PostStoreWoowupPoints = z
  .object({
    points: z
      .number({ error: "points must be a whole number of points" })
      .int({ error: "points must be a whole number of points (no fractions)" })
      .positive({ error: "points must be a positive whole number" })
      .max(1_000_000_000, { error: "points must be at most 1000000000" }),
  })
  .strict()
export type PostStoreWoowupPointsType = z.infer<typeof PostStoreWoowupPoints>
