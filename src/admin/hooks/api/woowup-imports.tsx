import type { FetchError } from "@medusajs/js-sdk"
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { isMovingImport } from "../../lib/import-format"
import { queryKeysFactory } from "../../lib/query-key"
import { backendUrl, sdk } from "../../lib/sdk"
import type { AdminWoowupImportResponse, AdminWoowupImportsResponse, WoowupImport, WoowupImportRequest } from "../../lib/types"
import { woowupRewardsQueryKey, woowupStatusQueryKey } from "./woowup"

export const woowupImportsQueryKey = queryKeysFactory<"woowup_imports", { limit: number }>("woowup_imports")

/** How often an import's progress is asked for while the server moves it on. */
export const IMPORT_POLL_MS = 2000

/** The latest imports, newest first (`GET /admin/woowup/imports`); dry runs are among them. */
export const useWoowupImports = (limit = 20) => {
  const query = { limit }
  const { data, ...rest } = useQuery<AdminWoowupImportsResponse, FetchError>({
    queryKey: woowupImportsQueryKey.list(query),
    queryFn: () => sdk.client.fetch<AdminWoowupImportsResponse>("/admin/woowup/imports", { query }),
  })
  return { imports: data?.imports, ...rest }
}

/** One import with its first failures (`GET /admin/woowup/imports/:id`), polled every 2 s while queued or running. */
export const useWoowupImport = (id: string | null) => {
  const { data, ...rest } = useQuery<AdminWoowupImportResponse, FetchError>({
    queryKey: woowupImportsQueryKey.detail(id ?? ""),
    queryFn: () => sdk.client.fetch<AdminWoowupImportResponse>(`/admin/woowup/imports/${id}`),
    enabled: !!id,
    refetchInterval: (query) => (isMovingImport(query.state.data?.import.status ?? "") ? IMPORT_POLL_MS : false),
  })
  return { run: data?.import, ...rest }
}

/** What the WoowUp page shows of the store's records, which an import changes. */
export const useRefreshAfterImport = () => {
  const queryClient = useQueryClient()
  return () =>
    Promise.all(
      [woowupImportsQueryKey.lists(), woowupStatusQueryKey.all, woowupRewardsQueryKey.all].map((queryKey) =>
        queryClient.invalidateQueries({ queryKey })
      )
    )
}

/** `POST /admin/woowup/imports`: starts an import (202), or answers a dry run's estimate (200) and sends nothing. */
export const useCreateWoowupImport = () => {
  const queryClient = useQueryClient()
  return useMutation<WoowupImport, FetchError, WoowupImportRequest>({
    mutationFn: (body) =>
      sdk.client
        .fetch<AdminWoowupImportResponse>("/admin/woowup/imports", { method: "POST", body })
        .then((r) => r.import),
    onSuccess: (run) => {
      if (!run.dry_run) {
        queryClient.setQueryData(woowupImportsQueryKey.detail(run.id), { import: run })
      }
    },
    // Refused too: a 409 means an import this page did not know of (another admin's) is under way; it is shown.
    onSettled: () => queryClient.invalidateQueries({ queryKey: woowupImportsQueryKey.lists() }),
  })
}

export type ImportAction = "pause" | "resume" | "cancel"

/** `POST /admin/woowup/imports/:id/pause|resume|cancel` (409 when the import's status does not allow it). */
export const useWoowupImportAction = (id: string) => {
  const queryClient = useQueryClient()
  return useMutation<WoowupImport, FetchError, ImportAction>({
    mutationFn: (action) =>
      sdk.client
        .fetch<AdminWoowupImportResponse>(`/admin/woowup/imports/${id}/${action}`, { method: "POST" })
        .then((r) => r.import),
    // The answer has no failures: the detail is asked for again rather than overwritten.
    onSettled: () =>
      Promise.all(
        [woowupImportsQueryKey.detail(id), woowupImportsQueryKey.lists()].map((queryKey) =>
          queryClient.invalidateQueries({ queryKey })
        )
      ),
  })
}

/**
 * Downloads the import's `failures.csv` through the SDK, so it goes with the admin's session or token alike
 * (a plain link would carry only a session cookie).
 */
export const downloadImportFailures = async (id: string): Promise<void> => {
  const response = await sdk.client.fetch<Response>(`/admin/woowup/imports/${id}/failures.csv`, {
    headers: { accept: "text/csv" },
  })
  const url = URL.createObjectURL(await response.blob())
  const link = document.createElement("a")
  link.href = url
  link.download = `woowup-import-${id}-failures.csv`
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** The CSV's address, for the link's href (what a merchant copies or opens in a new tab). */
export const importFailuresCsvUrl = (id: string) => `${backendUrl.replace(/\/$/, "")}/admin/woowup/imports/${id}/failures.csv`
