import type { MedusaContainer } from "@medusajs/framework/types"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import { isWoowupError } from "../../modules/woowup/client"
import { FEED_TABLES } from "../../modules/woowup/engine/feed-tables"
import type { FeedName, FeedSyncOutcome, FeedSyncRecord } from "../../modules/woowup/service"
import type WoowupModuleService from "../../modules/woowup/service"
import { FEEDS } from "../feeds"
import { keepClaimAlive } from "./keep-claim-alive"

export type SyncWoowupFeedStepInput = {
  feed: FeedName
  /** The customer, product variant... the feed follows. */
  entity_id: string
  trigger: string
  /** An admin's resync of named entities: also a failure judged permanent, or one not due yet. */
  force?: boolean
}

/**
 * What the run did: `sent` the entity to WoowUp; found WoowUp `already_synced` with it (no call); `skipped` it (the
 * record says why); `failed` (the record says why and when it is tried again); or found another run `busy` with it
 * (it syncs what changed), or a failure waiting for its next attempt (the job syncs what changed then).
 */
export type FeedSyncRunOutcome = "sent" | "already_synced" | "skipped" | "failed" | "busy"

export type SyncWoowupFeedStepOutput = { outcome: FeedSyncRunOutcome; sync: FeedSyncRecord | null }

/** Rounds of one run: the first, and one more for each change that landed while the previous one was sending. */
const MAX_ROUNDS = 3

export const syncWoowupFeedStepId = "sync-woowup-feed"
/**
 * This step brings what WoowUp holds of one entity of a feed to what the feed wants of it now, once: it claims the
 * entity's record (one sync at a time per entity, across processes), then the feed loads the entity (so a burst
 * of changes is sent as one) and sends only what differs from what WoowUp last accepted. A change that lands while
 * the call runs marks the record, and this run syncs once more. A WoowUp failure is an outcome on the record,
 * retried by the reconcile job, not an error.
 */
export const syncWoowupFeedStep = createStep(
  syncWoowupFeedStepId,
  async (input: SyncWoowupFeedStepInput, { container }) => {
    return new StepResponse(await syncFeedEntity(container, input))
  }
)

/** The step's body (also for the runs, which take many entities in one step). */
export async function syncFeedEntity(
  container: MedusaContainer,
  input: SyncWoowupFeedStepInput
): Promise<SyncWoowupFeedStepOutput> {
  const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
  let output: SyncWoowupFeedStepOutput = { outcome: "busy", sync: null }
  let sent = false
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const record = await claimOrMarkDirty(woowup, input)
    if (!record) {
      break
    }
    const { sync, sent: sentNow } = await convergeClaimed(container, woowup, input.feed, record)
    sent ||= sentNow
    output = { outcome: outcomeOf(sync, sent), sync }
    if (!sync.dirty || sync.status !== "synced") {
      break
    }
  }
  return output
}

/**
 * The claim, or null when a live sync holds the entity (or a failure waits for its next attempt): then that one is
 * told the entity changed. A claim released between the two statements is tried again.
 */
async function claimOrMarkDirty(woowup: WoowupModuleService, input: SyncWoowupFeedStepInput) {
  for (let i = 0; i < 3; i++) {
    const claim = await woowup.claimFeedSync(input.feed, input)
    if (claim) {
      return claim
    }
    if (await woowup.markFeedSyncDirty(input.feed, input.entity_id)) {
      return null
    }
  }
  return null
}

async function convergeClaimed(
  container: MedusaContainer,
  woowup: WoowupModuleService,
  feed: FeedName,
  record: FeedSyncRecord
): Promise<{ sync: FeedSyncRecord; sent: boolean }> {
  const token = { id: record.id, attempts: record.attempts, failed_attempts: record.failed_attempts }
  let outcome: FeedSyncOutcome
  try {
    outcome = await FEEDS[feed].converge({
      container,
      woowup,
      options: await woowup.getOptions(),
      record,
      send: (call) => keepClaimAlive(() => woowup.heartbeatClaim(FEED_TABLES[feed].table, token), call),
    })
  } catch (e) {
    if (!isWoowupError(e)) {
      await woowup.releaseClaim(FEED_TABLES[feed].table, token)
      throw e
    }
    outcome = { status: "failed", reason: e.message, error_code: e.code, retryable: e.retryable }
  }
  const sync = await woowup.recordFeedSyncOutcome(feed, token, outcome)
  return { sync, sent: outcome.status === "synced" && outcome.sent }
}

function outcomeOf(sync: FeedSyncRecord, sent: boolean): FeedSyncRunOutcome {
  switch (sync.status) {
    case "failed":
      return "failed"
    case "skipped":
      return "skipped"
    case "pending":
      return "busy"
    default:
      return sent ? "sent" : "already_synced"
  }
}
