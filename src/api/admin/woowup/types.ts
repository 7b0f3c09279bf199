import type { RewardStatus } from "../../../modules/woowup/models/woowup-reward"
import type { PointsAdjustmentRecord, ReconcileRunRecord, RewardRecord } from "../../../modules/woowup/service"
import type { GetAdminWoowupRewardsParamsType, PostAdminWoowupResyncType } from "./validators"

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
    only_failed: boolean
    dry_run: boolean
    /** Orders to send (a dry run: that would be sent). */
    found: number
    /** Customers the resync looks at. */
    customers_found: number
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
    /** WoowUp does not hold yet what the order wants: a resync has something to do. */
    needs_resync: boolean
  }
}

/** `GET /admin/woowup/status`. */
export type AdminWoowupStatusResponse = {
  status: {
    connection: { status: "ok" | "unreachable" | "refused"; ms?: number; error?: string }
    options: Record<string, unknown>
    /** Orders per status as the admin shows them: a synced purchase with a failed points adjustment is `failed`. */
    counts: Record<RewardStatus, number>
    last_run: AdminWoowupRun | null
    runs: AdminWoowupRun[]
    rate_limit: { used: number; limit: number; window_ms: number; source?: string }
  }
}
