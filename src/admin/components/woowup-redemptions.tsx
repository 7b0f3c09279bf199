import { Text } from "@medusajs/ui"
import { count, formatPoints } from "../lib/format"
import type { WoowupStatus } from "../lib/types"

/** Points customers spent at checkout: how many orders, how many points, what they paid per currency. */
export const RedemptionsSection = ({ redemptions }: { redemptions: NonNullable<WoowupStatus["redemptions"]> }) => (
  <div className="flex flex-col gap-y-1 px-6 py-4" data-testid="woowup-redemptions">
    <Text size="small" weight="plus" leading="compact">
      Points spent at checkout
    </Text>
    <Text size="small" className="text-ui-fg-subtle" data-testid="woowup-redemptions-summary">
      {count(redemptions.orders, "order")}, {formatPoints(redemptions.points)} points,{" "}
      {redemptions.value.map((v) => `${v.value.toFixed(2)} ${v.currency_code.toUpperCase()}`).join(", ")}
    </Text>
  </div>
)
