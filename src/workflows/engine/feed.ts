import type { MedusaContainer } from "@medusajs/framework/types"
import type { FeedName, FeedSyncOutcome, FeedSyncRecord } from "../../modules/woowup/service"
import type WoowupModuleService from "../../modules/woowup/service"

/** What a feed's convergence is given: the container, the module, and the record it holds the claim of. */
export type FeedContext = {
  container: MedusaContainer
  woowup: WoowupModuleService
  options: Awaited<ReturnType<WoowupModuleService["getOptions"]>>
  /** The record as claimed: what WoowUp was last sent (`body_hash`, the feed's own columns) and when. */
  record: FeedSyncRecord
  /**
   * Runs a WoowUp call while the claim is proven alive; the call's signal aborts when the claim is taken over.
   * Every call of a convergence goes through it.
   */
  send: <T>(call: (signal: AbortSignal) => Promise<T>) => Promise<T>
}

/**
 * A feed: only its own parts. The engine (sync-feed.ts, feed-runs.ts) gives it claims, heartbeats, retry spacing,
 * outcomes, the job's discovery of due work and the admin's counts.
 */
export type Feed = {
  name: FeedName
  /** Whether the feed runs with these options. */
  enabled(options: FeedContext["options"]): boolean
  /**
   * Brings what WoowUp holds of the entity to what the feed's rules want of it as it is now: loads it, plans the
   * body, and calls WoowUp through `ctx.send` only when the body differs from what WoowUp last accepted. A
   * WoowUp error it throws is recorded as a failure (retried when worth it); any other error releases the claim.
   */
  converge(ctx: FeedContext): Promise<FeedSyncOutcome>
  /** The entities an admin names in a resync, as the feed's entities (products: their variants). */
  expand?(container: MedusaContainer, ids: string[]): Promise<string[]>
  /**
   * The job's own discovery besides the due failures and dead claims every feed has: a page of entities that
   * changed since their last sync without an event saying so (after `after_id`), and the next cursor. `since`: the
   * run's look-back; `now`: the run's time (a feed whose work falls due with time, as carts do, judges by it).
   */
  discover?(
    container: MedusaContainer,
    input: { after_id: string; limit: number; since: Date; now: Date }
  ): Promise<{ ids: string[]; cursor: string | null }>
}

/** Whether WoowUp's copy on the record was accepted by this account (another's says nothing of this one). */
export function knownHere(record: FeedSyncRecord, account: string): boolean {
  return !!record.synced_at && (record.account == null || record.account === account)
}
