import { z } from "@medusajs/framework/zod"
import { REWARD_STATUSES } from "../../../modules/woowup/models/woowup-reward"
import { adminWoowupRewardFields } from "./query-config"

// Medusa's error message quotes a custom issue's message without its path: the messages name their field.
export const isoDate = (field: string) =>
  z.union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: `${field} must be an ISO 8601 date (2026-11-01 or 2026-11-01T00:00:00Z)`,
  })

/**
 * `POST /admin/woowup/resync`: named orders, or a window of order creation times (not both); and/or customers,
 * named or `"all"` (not both); and/or products, named or `"all"`. Orders go first, then customers, then products.
 */
export const PostAdminWoowupResync = z
  .object({
    order_ids: z
      .array(z.string().regex(/^[A-Za-z0-9_-]+$/, { error: "order_ids must be order ids" }))
      .min(1)
      .max(1000)
      .optional(),
    customer_ids: z
      .array(z.string().regex(/^[A-Za-z0-9_-]+$/, { error: "customer_ids must be customer ids" }))
      .min(1)
      .max(1000)
      .optional(),
    customers: z.literal("all", { error: 'customers must be "all" (or name them in customer_ids)' }).optional(),
    /** The catalog: `"all"` (the backfill), or named products (each of their variants). */
    products: z
      .union([
        z.literal("all"),
        z
          .array(z.string().regex(/^[A-Za-z0-9_-]+$/, { error: "products must be product ids" }))
          .min(1)
          .max(1000),
      ], { error: 'products must be "all" or a list of product ids' })
      .optional(),
    from: isoDate("from").optional(),
    to: isoDate("to").optional(),
    only_failed: z.boolean().default(false),
    dry_run: z.boolean().default(false),
    /** The records written for another WoowUp account (all, or those of `order_ids`): sent to this account. */
    other_account: z.boolean({ error: "other_account must be a boolean" }).default(false),
  })
  .strict()
  .superRefine((body, ctx) => {
    const window = body.from !== undefined || body.to !== undefined
    const customers = body.customer_ids !== undefined || body.customers !== undefined
    if (!body.order_ids && !window && !customers && !body.products && !body.other_account) {
      ctx.addIssue({
        code: "custom",
        path: ["order_ids"],
        message:
          'order_ids, or from and to, are required (or customer_ids, customers: "all", products, or other_account: true)',
      })
    }
    if (body.other_account && window) {
      ctx.addIssue({
        code: "custom",
        path: ["other_account"],
        message: "other_account takes every record of another account (or those of order_ids), not a from/to window",
      })
    }
    if (body.other_account && body.only_failed) {
      ctx.addIssue({ code: "custom", path: ["other_account"], message: "give other_account or only_failed, not both" })
    }
    if (body.customer_ids && body.customers) {
      ctx.addIssue({ code: "custom", path: ["customer_ids"], message: 'give customer_ids or customers: "all", not both' })
    }
    if (body.order_ids && window) {
      ctx.addIssue({ code: "custom", path: ["order_ids"], message: "give order_ids or a from/to window, not both" })
    }
    if (window && body.from === undefined) {
      ctx.addIssue({ code: "custom", path: ["from"], message: "from is required with to" })
    }
    if (window && body.to === undefined) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "to is required with from" })
    }
    if (body.from && body.to && Date.parse(body.from) >= Date.parse(body.to)) {
      ctx.addIssue({ code: "custom", path: ["from"], message: "from must be before to" })
    }
  })
export type PostAdminWoowupResyncType = z.infer<typeof PostAdminWoowupResync>

const oneOrMany = <T extends z.ZodType>(schema: T) => z.union([schema, z.array(schema)])

/** Most records one page of `GET /admin/woowup/rewards` holds: a larger `limit` is cut to it. */
export const MAX_REWARDS_PAGE = 100
/** What the list can be sorted on (`order=created_at`, `order=-created_at`). */
export const REWARD_SORT_FIELDS = ["created_at", "updated_at", "last_attempt_at", "next_attempt_at", "synced_at", "status", "points", "attempts", "order_id"] as const

const wholeNumber = (field: string, min: number) =>
  z.coerce
    .number({ error: `${field} must be a whole number >= ${min}` })
    .int({ error: `${field} must be a whole number >= ${min}` })
    .min(min, { error: `${field} must be a whole number >= ${min}` })

const dateRange = (field: string) =>
  z.union([isoDate(field), z.object({ $gte: isoDate(field), $gt: isoDate(field), $lte: isoDate(field), $lt: isoDate(field) }).partial().strict()], {
    error: `${field} must be an ISO 8601 date, or { $gte, $gt, $lte, $lt } of them (2026-11-01 or 2026-11-01T00:00:00Z)`,
  })

/**
 * `GET /admin/woowup/rewards`: Medusa's list conventions (`limit`, `offset`, `order`, `fields`) and filters. Every
 * input is checked here, so a wrong one is a 400 naming it, never a 500 from the database.
 */
export const GetAdminWoowupRewardsParams = z.object({
  fields: z
    .string()
    .superRefine((value, ctx) => {
      const unknown = value
        .split(",")
        .map((f) => f.trim().replace(/^[+-]/, ""))
        .filter((f) => f && !adminWoowupRewardFields.includes(f))
      if (unknown.length) {
        ctx.addIssue({ code: "custom", message: `fields has unknown field(s) ${unknown.join(", ")}: choose among ${adminWoowupRewardFields.join(", ")}` })
      }
    })
    .optional(),
  limit: wholeNumber("limit", 1)
    .default(20)
    .transform((v) => Math.min(v, MAX_REWARDS_PAGE)),
  offset: wholeNumber("offset", 0).default(0),
  order: z
    .string()
    .regex(new RegExp(`^-?(${REWARD_SORT_FIELDS.join("|")})$`), {
      error: `order must be one of ${REWARD_SORT_FIELDS.join(", ")}, with a leading "-" for descending`,
    })
    .default("-created_at"),
  /** Matches the identity (e.g. the e-mail) or the invoice number. */
  q: z.string().trim().min(1).optional(),
  status: oneOrMany(z.enum(REWARD_STATUSES, { error: `status must be one of ${REWARD_STATUSES.join(", ")}` })).optional(),
  order_id: oneOrMany(z.string().min(1)).optional(),
  created_at: dateRange("created_at").optional(),
})
export type GetAdminWoowupRewardsParamsType = z.infer<typeof GetAdminWoowupRewardsParams>

/** `POST /admin/woowup/customers/:id/verify`: no body; the identity proven is the customer's as it is now. */
export const PostAdminWoowupVerifyCustomer = z.object({}).strict()
export type PostAdminWoowupVerifyCustomerType = z.infer<typeof PostAdminWoowupVerifyCustomer>
