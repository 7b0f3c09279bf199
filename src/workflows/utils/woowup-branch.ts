import type WoowupModuleService from "../../modules/woowup/service"

// Branches this process knows the account has, by account: a purchase to a known branch costs no extra call.
const known = new Map<string, Set<string>>()
// Branches whose check failed, by account and name: not asked again before this time (a refused `/branches` must
// not cost two calls per purchase).
const failedUntil = new Map<string, number>()
/** How long a failed branch check is left alone. */
export const BRANCH_RETRY_MS = 15 * 60_000

/**
 * Makes sure WoowUp has the purchase's branch before the purchase goes: known to this process, or on a
 * `woowup_branch` record, or found in WoowUp, or created there (`is_web` set), then remembered. Two processes
 * meeting a new branch at once may both ask WoowUp: the second `POST /branches` answers "exists", and the record
 * keeps one row (its unique index), so WoowUp gets the branch once. A failure here never holds the purchase back.
 */
export async function ensureWoowupBranch(
  woowup: WoowupModuleService,
  branch: { name: string; is_web: boolean },
  signal?: AbortSignal
): Promise<void> {
  const names = known.get(woowup.account) ?? new Set<string>()
  known.set(woowup.account, names)
  if (names.has(branch.name)) {
    return
  }
  for (const name of await woowup.knownBranches()) {
    names.add(name)
  }
  const key = `${woowup.account}:${branch.name}`
  if (names.has(branch.name) || (failedUntil.get(key) ?? 0) > Date.now()) {
    return
  }
  let found
  try {
    found = await woowup.client.findBranch(branch.name, { signal })
    if (!found) {
      await woowup.client.createBranch({ name: branch.name, is_web: branch.is_web }, { signal })
    }
  } catch (e) {
    // WoowUp takes a purchase for a branch it does not have (woowup-api.md): the purchase goes; a purchase to the
    // branch after BRANCH_RETRY_MS tries again.
    if (signal?.aborted) throw e
    failedUntil.set(key, Date.now() + BRANCH_RETRY_MS)
    return
  }
  await woowup.rememberBranch({ name: branch.name, is_web: found?.is_web ?? branch.is_web })
  names.add(branch.name)
}
