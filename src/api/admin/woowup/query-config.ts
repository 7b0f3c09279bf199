export const adminWoowupRewardFields = [
  "id",
  "order_id",
  "status",
  "reason",
  "error_code",
  "retryable",
  "trigger",
  "invoice_number",
  "identifier",
  "identity",
  "customer_created",
  "points",
  "points_unknown",
  "amount",
  "currency_code",
  "attempts",
  "last_attempt_at",
  "next_attempt_at",
  "synced_at",
  "created_at",
  "updated_at",
]

export const listAdminWoowupRewardsQueryConfig = {
  defaults: adminWoowupRewardFields,
  // Any other field asked for in `fields` is a 400, not a query that fails.
  allowed: adminWoowupRewardFields,
  isList: true,
}
