/**
 * The admin API of the plugin (`src/api/admin/woowup/*`), as the dashboard reads it. Dates are ISO strings.
 */

export type RewardStatus = "pending" | "synced" | "skipped" | "failed"

export type WoowupReward = {
  id: string
  order_id: string
  status: RewardStatus
  reason: string | null
  error_code: string | null
  retryable: boolean
  trigger: string
  invoice_number: string | null
  identifier: string | null
  identity: string | null
  current_identifier?: string | null
  current_identity?: string | null
  customer_created: boolean
  points: number | null
  amount: number | null
  currency_code: string | null
  attempts: number
  last_attempt_at: string | null
  next_attempt_at: string | null
  synced_at: string | null
  created_at: string
  updated_at: string
}

export type PointsAdjustment = {
  id: string
  cause: "capture" | "refund" | "cancel" | (string & {})
  points: number
  status: "pending" | "applied" | "failed"
  reason: string | null
  error_code: string | null
  attempts: number
  applied_at: string | null
  created_at: string
}

export type OrderWoowup = {
  order_id: string
  /** The reward's status, or `failed` when a points adjustment of a synced purchase failed. */
  status: RewardStatus | null
  reason: string | null
  error_code: string | null
  reward: WoowupReward | null
  adjustments: PointsAdjustment[]
  points: { awarded: number; taken_back: number; net: number }
  /** The order's identity now, when it is no longer the one its purchase was sent under. */
  current_identity?: { field: string; value: string } | null
  /** Recorded for another WoowUp account: not sent to this one until an admin resyncs it. */
  other_account?: boolean
  needs_resync: boolean
  /** Points spent on the order at checkout; null (or absent) when none. */
  redemption?: OrderRedemption | null
}

export type OrderRedemption = {
  points: number
  value: number
  currency_code: string
  debit_status: "none" | "pending" | "applied" | "failed"
  debited: number
  given_back: number
}

export type AdminOrderWoowupResponse = { woowup: OrderWoowup }

export type ResyncStatus = "queued" | "running" | "done" | "failed"

export type ResyncRequest =
  | { order_ids: string[]; only_failed?: boolean; dry_run?: boolean; other_account?: boolean }
  | { from: string; to: string; only_failed?: boolean; dry_run?: boolean }
  | { other_account: true; dry_run?: boolean }
  | { customers: "all"; only_failed?: boolean; dry_run?: boolean }
  | { products: "all"; only_failed?: boolean; dry_run?: boolean }

export type Resync = {
  id: string
  status: ResyncStatus
  order_ids?: string[] | null
  from?: string | null
  to?: string | null
  only_failed: boolean
  dry_run: boolean
  /** A resync of the records written for another WoowUp account. */
  other_account?: boolean
  found: number
}

export type AdminResyncResponse = { resync: Resync }

/** A reconcile run: the scheduled job's (`kind: "job"`) or an admin resync's. */
export type ReconcileRun = Resync & {
  kind: "job" | "resync"
  sent: number | null
  already_synced: number | null
  skipped: number | null
  failed: number | null
  /** Orders another process was still working on when the run ended (it finishes them). */
  busy?: number | null
  /** Customers the run looked at, and what came of them. */
  customers_found?: number | null
  customers_sent?: number | null
  customers_already_synced?: number | null
  customers_failed?: number | null
  started_at: string | null
  finished_at: string | null
  duration_ms: number | null
  error: string | null
  created_at: string
}

export type AdminResyncRunResponse = { resync: ReconcileRun }

export type AdminRewardsQuery = {
  status?: RewardStatus[]
  order_id?: string[]
  created_at?: { $gte?: string; $lte?: string }
  q?: string
  limit?: number
  offset?: number
  order?: string
}

export type AdminRewardsResponse = { rewards: WoowupReward[]; count: number; limit: number; offset: number }

export type ConnectionStatus = { status: "ok" | "unreachable" | "refused"; ms?: number; error?: string }

export type WoowupStatus = {
  connection: ConnectionStatus
  options: Record<string, unknown>
  counts: Record<RewardStatus, number>
  /** Orders whose record was written for another WoowUp account (a copied database, tries on the sandbox). */
  other_account?: number
  /** Orders that spent points at checkout, the points, and their value per currency. */
  redemptions?: { orders: number; points: number; value: Array<{ currency_code: string; value: number }> }
  last_run: ReconcileRun | null
  runs: ReconcileRun[]
  rate_limit: { used: number; limit: number; window_ms: number }
  /** Each feed's state: orders, customers, products, carts. */
  feeds?: Record<FeedName, FeedStatus>
}

/** What the plugin keeps in step with WoowUp. */
export type FeedName = "orders" | "customers" | "products" | "carts"

export type FeedFailure = {
  /** The order, customer or product variant id. */
  entity_id: string
  reason: string | null
  error_code: string | null
  retryable: boolean
  next_attempt_at: string | null
  updated_at: string
}

/** A feed: whether it runs, its records per status, and its 10 latest failures. */
export type FeedStatus = { enabled: boolean; counts: Record<string, number>; failures: FeedFailure[] }

export type AdminWoowupStatusResponse = { status: WoowupStatus }

/** An import's status: `queued`, `running` and `paused` are open (one at a time); the others are over. */
export type ImportStatus = "queued" | "running" | "paused" | "done" | "canceled" | "failed"

/** `POST /admin/woowup/imports`: a window of order creation times, and what to send. */
export type WoowupImportRequest = {
  from: string
  to: string
  /** The purchases carry the points they earn (default: no, history earns none). */
  award_points?: boolean
  /** The window's customers are created in WoowUp before their purchases (default: yes). */
  customers?: boolean
  /** Answers with the estimate and sends nothing. */
  dry_run?: boolean
}

/** A dry run's estimate: orders and customers to send, WoowUp calls, seconds at the account's limit. */
export type WoowupImportEstimate = { orders: number; customers: number; calls: number; seconds: number }

/** An import of the store's history (`src/api/admin/woowup/types.ts`'s `AdminWoowupImport`). */
export type WoowupImport = {
  id: string
  status: ImportStatus
  from: string
  to: string
  award_points: boolean
  customers: boolean
  dry_run: boolean
  /** Orders in the window with something captured, counted up front. */
  total: number
  processed: number
  sent: number
  already_in_woowup: number
  skipped: number
  failed: number
  started_at: string | null
  finished_at: string | null
  /** Seconds left at the measured rate; null when not running or not known yet. */
  eta_seconds: number | null
  last_order_id: string | null
  estimate: WoowupImportEstimate | null
  error: string | null
  created_at: string
  updated_at: string
  /** `GET /admin/woowup/imports/:id` only: the first 1,000 orders that failed, with the reason. */
  failures?: { order_id: string; reason: string }[]
}

export type AdminWoowupImportResponse = { import: WoowupImport }

export type AdminWoowupImportsResponse = { imports: WoowupImport[]; count: number; limit: number; offset: number }
