import { z } from "@medusajs/framework/zod"
import { isoDate } from "../validators"

// Medusa's error message quotes a custom issue's message without its path: the messages name their field.
const flag = (field: string) => z.boolean({ error: `${field} must be a boolean` })

/** `POST /admin/woowup/imports`: a window of order creation times, and what to send. */
export const PostAdminWoowupImport = z
  .object({
    from: isoDate("from"),
    to: isoDate("to"),
    /** The purchases carry the points they earn. Default: no (history earns none). */
    award_points: flag("award_points").default(false),
    /** The window's customers are created in WoowUp before their purchases. Default: yes. */
    customers: flag("customers").default(true),
    /** Counts what would be sent, the calls and the time, and sends nothing. */
    dry_run: flag("dry_run").default(false),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (Date.parse(body.from) >= Date.parse(body.to)) {
      ctx.addIssue({ code: "custom", path: ["from"], message: "from must be before to (the window is reversed or empty)" })
    }
  })
export type PostAdminWoowupImportType = z.infer<typeof PostAdminWoowupImport>

const wholeNumber = (field: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${field} must be a whole number from ${min} to ${max}` })
    .int({ error: `${field} must be a whole number from ${min} to ${max}` })
    .min(min, { error: `${field} must be a whole number from ${min} to ${max}` })
    .max(max, { error: `${field} must be a whole number from ${min} to ${max}` })

/** `GET /admin/woowup/imports`: Medusa's list conventions, newest first. */
export const GetAdminWoowupImportsParams = z
  .object({
    limit: wholeNumber("limit", 1, 100).default(20),
    offset: wholeNumber("offset", 0, 1_000_000).default(0),
  })
  .strict()
export type GetAdminWoowupImportsParamsType = z.infer<typeof GetAdminWoowupImportsParams>
