import type { FetchError } from "@medusajs/js-sdk"
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { queryKeysFactory } from "../../lib/query-key"
import { sdk } from "../../lib/sdk"
import type {
  AdminOrderWoowupResponse,
  AdminResyncResponse,
  AdminResyncRunResponse,
  AdminRewardsQuery,
  AdminRewardsResponse,
  AdminWoowupStatusResponse,
  ReconcileRun,
  Resync,
  ResyncRequest,
} from "../../lib/types"

export const woowupOrderQueryKey = queryKeysFactory("woowup_order")
export const woowupRewardsQueryKey = queryKeysFactory<"woowup_rewards", AdminRewardsQuery>("woowup_rewards")
export const woowupStatusQueryKey = queryKeysFactory("woowup_status")
export const woowupResyncQueryKey = queryKeysFactory("woowup_resync")

/** The order's WoowUp record, points adjustments and points (`GET /admin/woowup/orders/:id`). */
export const useOrderWoowup = (orderId: string) => {
  const { data, ...rest } = useQuery<AdminOrderWoowupResponse, FetchError>({
    queryKey: woowupOrderQueryKey.detail(orderId),
    queryFn: () => sdk.client.fetch<AdminOrderWoowupResponse>(`/admin/woowup/orders/${orderId}`),
    // A reward being sent right now settles within seconds: look again until it does.
    refetchInterval: (query) => (query.state.data?.woowup.reward?.status === "pending" ? 3000 : false),
  })
  return { woowup: data?.woowup, ...rest }
}

/** Connection, counts per status and the last reconcile runs (`GET /admin/woowup/status`). */
export const useWoowupStatus = () => {
  const { data, ...rest } = useQuery<AdminWoowupStatusResponse, FetchError>({
    queryKey: woowupStatusQueryKey.all,
    queryFn: () => sdk.client.fetch<AdminWoowupStatusResponse>("/admin/woowup/status"),
  })
  const { status: _queryStatus, ...query } = rest
  return { woowup: data?.status, ...query }
}

/** A page of reward records (`GET /admin/woowup/rewards`), with the filters of the route. */
export const useWoowupRewards = (query: AdminRewardsQuery) => {
  const { data, ...rest } = useQuery<AdminRewardsResponse, FetchError>({
    queryKey: woowupRewardsQueryKey.list(query),
    queryFn: () => sdk.client.fetch<AdminRewardsResponse>("/admin/woowup/rewards", { query }),
    placeholderData: keepPreviousData,
  })
  return { ...data, ...rest }
}

const FINISHED = new Set(["done", "failed"])

/** One resync or reconcile run (`GET /admin/woowup/resync/:id`), polled while it runs. */
export const useResyncRun = (id: string | null) => {
  const { data, ...rest } = useQuery<AdminResyncRunResponse, FetchError>({
    queryKey: woowupResyncQueryKey.detail(id ?? ""),
    queryFn: () => sdk.client.fetch<AdminResyncRunResponse>(`/admin/woowup/resync/${id}`),
    enabled: !!id,
    refetchInterval: (query) => (FINISHED.has(query.state.data?.resync.status ?? "") ? false : 1000),
  })
  return { run: data?.resync, ...rest }
}

/** `POST /admin/woowup/resync`: queues a resync of orders or of a date window (or previews it with `dry_run`). */
const postResync = (body: ResyncRequest) =>
  sdk.client.fetch<AdminResyncResponse>("/admin/woowup/resync", { method: "POST", body }).then((r) => r.resync)

const getResync = (id: string) =>
  sdk.client.fetch<AdminResyncRunResponse>(`/admin/woowup/resync/${id}`).then((r) => r.resync)

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Starts a resync and follows it to its end: polls its status route (`GET /admin/woowup/resync/:id`) until it
 * is `done` or `failed`, then refreshes everything WoowUp-related on screen. Resolves with the final run
 * (or with the POST's answer when the run was already finished, as a dry run may be).
 */
export const useResync = (opts: { pollMs?: number; timeoutMs?: number } = {}) => {
  const queryClient = useQueryClient()
  const pollMs = opts.pollMs ?? 1000
  const timeoutMs = opts.timeoutMs ?? 10 * 60_000
  return useMutation<Resync | ReconcileRun, FetchError | Error, ResyncRequest>({
    mutationFn: async (body) => {
      const queued = await postResync(body)
      if (FINISHED.has(queued.status)) {
        return queued
      }
      const until = Date.now() + timeoutMs
      while (Date.now() < until) {
        await sleep(pollMs)
        const run = await getResync(queued.id)
        queryClient.setQueryData(woowupResyncQueryKey.detail(run.id), { resync: run })
        if (FINISHED.has(run.status)) {
          return run
        }
      }
      throw new Error("The resync is still running; check the WoowUp page for its outcome.")
    },
    onSettled: () =>
      Promise.all(
        [woowupOrderQueryKey.all, woowupRewardsQueryKey.all, woowupStatusQueryKey.all].map((queryKey) =>
          queryClient.invalidateQueries({ queryKey })
        )
      ),
  })
}
