import { z } from "@medusajs/framework/zod"

const DAY_MS = 86_400_000
// Medusa's error message quotes a custom issue's message without its path: the messages name their field.
const isoDate = (field: string) =>
  z.union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: `${field} must be an ISO 8601 date (2026-11-01 or 2026-11-01T00:00:00Z)`,
  })

/**
 * `GET /admin/woowup/audit?from&to`: a window of order creation times (WoowUp's purchase `createtime`), at most a
 * year. Default: the last 30 days up to now.
 */
export const GetAdminWoowupAuditParams = z
  .object({ from: isoDate("from").optional(), to: isoDate("to").optional() })
  .strict()
  .transform(({ from, to }) => {
    const end = to ? new Date(to) : new Date()
    const start = from ? new Date(from) : new Date(end.getTime() - 30 * DAY_MS)
    return { from: start.toISOString(), to: end.toISOString() }
  })
  .superRefine((window, ctx) => {
    const from = new Date(window.from)
    const to = new Date(window.to)
    if (from.getTime() >= to.getTime()) {
      ctx.addIssue({ code: "custom", path: ["from"], message: "from must be before to" })
    } else if (to.getTime() - from.getTime() > 366 * DAY_MS) {
      ctx.addIssue({ code: "custom", path: ["from"], message: "from must be at most a year before to" })
    }
  })
export type GetAdminWoowupAuditParamsType = z.infer<typeof GetAdminWoowupAuditParams>
