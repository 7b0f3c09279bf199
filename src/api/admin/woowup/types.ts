import type { RewardStatus } from "../../../modules/woowup/models/woowup-reward"
import type { OrderRedemption } from "../../../modules/woowup/rules/redeem"
import type { RedemptionCounts } from "../../../modules/woowup/records/redemptions"
import type { AdminWoowupIdentityProof } from "../../../workflows/utils/identity-proof"
import type { PointsAdjustmentRecord, ReconcileRunRecord, RewardRecord } from "../../../modules/woowup/service"
import type { GetAdminWoowupRewardsParamsType, PostAdminWoowupResyncType } from "./validators"
import type { GetAdminWoowupImportsParamsType, PostAdminWoowupImportType } from "./imports/validators"

/** Request and response types of the plugin's admin routes, for a store's own code. */
export type AdminWoowupResyncRequest = PostAdminWoowupResyncType
export type AdminWoowupRewardsQuery = GetAdminWoowupRewardsParamsType

/** `POST /admin/woowup/resync` (202). */
export type AdminWoowupResyncResponse = {
  resync: {
    id: string
    status: ReconcileRunRecord["status"]
    order_ids?: string[]
    from?: string
    to?: string
    customer_ids?: string[]
    customers?: "all"
    products?: "all" | string[]
    only_failed: boolean
    dry_run: boolean
    /** A resync of the records written for another WoowUp account. */
    other_account: boolean
    /** Orders to send (a dry run: that would be sent). */
    found: number
    /** Customers the resync looks at. */
    customers_found: number
    /** Product variants the resync looks at. */
    products_found: number
  }
}

/** `GET /admin/woowup/resync/:id`. */
export type AdminWoowupResyncRunResponse = { resync: AdminWoowupRun }

export type AdminWoowupRun = Omit<ReconcileRunRecord, "window_from" | "window_to" | "deleted_at"> & {
  from: Date | null
  to: Date | null
}

/** `GET /admin/woowup/rewards`. */
export type AdminWoowupRewardsResponse = { rewards: Partial<RewardRecord>[]; count: number; limit: number; offset: number }

/** `GET /admin/woowup/orders/:id`. */
export type AdminWoowupOrderResponse = {
  woowup: {
    order_id: string
    /** The reward's status, or `failed` when a points adjustment of a synced purchase failed; null: no record. */
    status: RewardStatus | null
    /** Why it is not synced: the reward's reason, or the failed adjustment's. */
    reason: string | null
    error_code: string | null
    reward: RewardRecord | null
    adjustments: PointsAdjustmentRecord[]
    /** Applied points: the purchase's and later captures' (`awarded`), refunds' and cancelations' (`taken_back`). */
    points: { awarded: number; taken_back: number; net: number }
    /**
     * The order's identity now, when it is no longer the one its purchase was sent under (e.g. its email was
     * corrected after the first send): the purchase and its points stay with `reward.identity`.
     */
    current_identity: { field: string; value: string } | null
    /**
     * The record was written for another WoowUp account: not sent to this one, and sent only by a resync with
     * `other_account: true`.
     */
    other_account: boolean
    /** WoowUp does not hold yet what the order wants: a resync has something to do. */
    needs_resync: boolean
    /** Points the customer spent on the order at checkout (docs/redeem-points.md); null: none. */
    redemption: OrderRedemption | null
  }
}

/** `GET /admin/woowup/status`. */
export type AdminWoowupStatusResponse = {
  status: {
    connection: { status: "ok" | "unreachable" | "refused"; ms?: number; error?: string }
    options: Record<string, unknown>
    /**
     * This account's orders per status as the admin shows them: a synced purchase with a failed points adjustment
     * is `failed`.
     */
    counts: Record<RewardStatus, number>
    /** The WoowUp account's fingerprint (a hash of the API URL and key, never the key), written on every record. */
    account: string
    /** Rewards written for another WoowUp account: sent only by a resync with `other_account: true`. */
    other_account: number
    /** Orders that spent points at checkout, the points, and their value per currency (docs/redeem-points.md). */
    redemptions: RedemptionCounts
    last_run: AdminWoowupRun | null
    runs: AdminWoowupRun[]
    rate_limit: { used: number; limit: number; window_ms: number; source?: string }
    /** Each feed's state: orders (rewards), customers, products, carts. */
    feeds: Record<AdminWoowupFeedName, AdminWoowupFeedStatus>
  }
}

/** The feeds the plugin keeps in step with WoowUp. */
export type AdminWoowupFeedName = "orders" | "customers" | "products" | "carts"

/** A feed in `GET /admin/woowup/status`: whether it runs, its records per status, and its latest failures. */
export type AdminWoowupFeedStatus = {
  enabled: boolean
  /** This account's records per status: `pending`, `synced`, `skipped`, `failed`; carts also `recovered`. */
  counts: Record<string, number>
  /** The 10 latest failures: the Medusa entity (order, customer, variant), why, and when it is tried again. */
  failures: AdminWoowupFeedFailure[]
}

export type AdminWoowupFeedFailure = {
  /** The order, customer or product variant id. */
  entity_id: string
  reason: string | null
  error_code: string | null
  retryable: boolean
  next_attempt_at: string | null
  updated_at: string
}

/**
 * `POST` and `DELETE /admin/woowup/customers/:id/verify`: whether the customer's identity as it is now (`identifier`,
 * `identity`) is proven theirs, and the proof on record (what was proven, how, by whom, when; who undid it).
 */
export type AdminWoowupIdentityProofResponse = { woowup_identity: AdminWoowupIdentityProof }

/** `POST /admin/woowup/imports`. */
export type AdminWoowupImportRequest = PostAdminWoowupImportType
/** `GET /admin/woowup/imports`. */
export type AdminWoowupImportsQuery = GetAdminWoowupImportsParamsType

/** An import of the store's history (see docs/history-import.md). */
export type AdminWoowupImport = {
  id: string
  status: ReconcileRunRecord["status"]
  /** The window of order creation times. */
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
  /** Seconds left at the rate measured since the import last started; null when not running or not known yet. */
  eta_seconds: number | null
  /** The cursor: every order up to this id is done. */
  last_order_id: string | null
  /** A dry run's estimate: orders and customers to send, WoowUp calls, seconds at the account's limit. */
  estimate: { orders: number; customers: number; calls: number; seconds: number } | null
  error: string | null
  created_at: string
  updated_at: string
  /** `GET /admin/woowup/imports/:id`: the first 1,000 orders that failed, with the reason. */
  failures?: { order_id: string; reason: string }[]
}

/** `POST /admin/woowup/imports`, `GET /admin/woowup/imports/:id`, and pause, resume, cancel. */
export type AdminWoowupImportResponse = { import: AdminWoowupImport }

/** `GET /admin/woowup/imports`. */
export type AdminWoowupImportsResponse = { imports: AdminWoowupImport[]; count: number; limit: number; offset: number }
