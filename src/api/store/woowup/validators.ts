import { z } from "@medusajs/framework/zod"

/** `GET /store/customers/me/woowup`: which of the customer's transactions, newest first. */
export const StoreGetWoowupPoints = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
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
