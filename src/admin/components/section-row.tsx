import { clx, Text } from "@medusajs/ui"
import type { ReactNode } from "react"

/** A label and its value, laid out like the rows of the dashboard's own order sections. */
export const SectionRow = ({ title, value, testId }: { title: string; value: ReactNode; testId?: string }) => (
  <div className="text-ui-fg-subtle grid grid-cols-2 items-start gap-x-4 px-6 py-3" data-testid={testId}>
    <Text size="small" weight="plus" leading="compact">
      {title}
    </Text>
    {typeof value === "string" || typeof value === "number" ? (
      <Text size="small" leading="compact" className={clx("whitespace-pre-line text-pretty break-words")}>
        {value}
      </Text>
    ) : (
      <div className="flex flex-wrap items-center gap-1">{value}</div>
    )}
  </div>
)
