import type { Logger, MedusaContainer } from "@medusajs/framework/types"
import type WoowupModuleService from "../../modules/woowup/service"
import type { ReconcileRunRecord } from "../../modules/woowup/service"
import { rewardOrderWorkflow, type RewardOrderOutcome } from "../reward-order"
import { forEachLimit } from "./orders-to-reconcile"

export type RunCounts = Pick<ReconcileRunRecord, "found" | "sent" | "already_synced" | "skipped" | "failed" | "busy">

const COUNTED: Record<RewardOrderOutcome, keyof RunCounts> = {
  sent: "sent",
  already_synced: "already_synced",
  skipped: "skipped",
  busy: "busy",
  failed: "failed",
  other_account: "skipped",
}

type Outcome = RewardOrderOutcome | "error"

/** How often a run looks whether the claims it waits for were released or went stale. */
export const REVISIT_POLL_MS = 1_000
/** Times one order is taken again after another claim let it go: a bound, should new claims keep coming. */
const MAX_REVISITS = 3

/**
 * Takes a run's orders through the award workflow and counts what came of each. An order another claim holds
 * (a live run of another path or process, or one whose process just stopped) is counted `busy` and revisited by
 * {@link revisitHeld} once that claim is released or goes stale, so that a run is done only when each of its
 * orders converged, failed with a reason, or is held by an owner proven alive.
 */
export function rewardRunOrders(
  container: MedusaContainer,
  woowup: WoowupModuleService,
  run: Pick<ReconcileRunRecord, "kind" | "order_ids" | "other_account" | "award_points">,
  options: {
    concurrency: number
    logger: Logger
    counts: RunCounts
    /** Where the orders that failed are noted, with their reasons. */
    failures?: { order_id: string; reason: string }[]
  }
) {
  const { counts, logger } = options
  const trigger = run.kind === "job" ? ("reconcile" as const) : run.kind === "import" ? ("import" as const) : ("resync" as const)
  const history = run.kind === "import" ? { award_points: run.award_points } : undefined
  // Named orders are retried even when their failure was judged permanent: the admin fixed the cause.
  const force = !!run.order_ids?.length
  /** Orders another claim held when the run passed them, with that claim's heartbeat then (ms). */
  const held = new Map<string, number | null>()
  const revisits = new Map<string, number>()

  /** Takes the orders, a few at a time, then counts what came of each. */
  async function reward(orderIds: string[]): Promise<void> {
    const outcomes = new Map<string, Outcome>()
    await forEachLimit(orderIds, options.concurrency, async (order_id) => {
      outcomes.set(order_id, await rewardOne(order_id))
    })
    await count(outcomes)
  }

  /**
   * Takes the orders with `concurrency` always in flight (a run that lasts must keep the rate limiter's queue fed),
   * and counts them in their order: `settled(last, n)` is told each time the orders up to `last` are all done (the
   * run's cursor), every `every` orders at most. Orders of the same customer (`customerOf`) are taken one after the
   * other: the first creates the customer in WoowUp when it does not know them, the others find them. With
   * `stop()` true no order is started any more; those done past the first one not done are neither counted nor
   * passed by the cursor, and a resumed run takes them again.
   */
  async function rewardInOrder(
    orderIds: string[],
    progress: {
      customerOf?: (orderId: string) => string | null
      every: number
      stop: () => boolean
      settled: (last: string, n: number) => Promise<void>
    }
  ): Promise<void> {
    const index = new Map(orderIds.map((id, i) => [id, i]))
    const outcomes: Array<Outcome | undefined> = new Array(orderIds.length)
    let counted = 0
    let saving: Promise<void> = Promise.resolve()
    let failure: unknown
    const advance = (force: boolean) => {
      saving = saving.then(async () => {
        let next = counted
        while (next < orderIds.length && outcomes[next] !== undefined) next++
        if (next === counted || (!force && next - counted < progress.every)) {
          return
        }
        const passed = new Map(orderIds.slice(counted, next).map((id, i) => [id, outcomes[counted + i]!]))
        counted = next
        await count(passed)
        await progress.settled(orderIds[next - 1], passed.size)
      }).catch((e) => {
        failure ??= e
      })
      return saving
    }
    await forEachLimit(groupBy(orderIds, progress.customerOf), options.concurrency, async (group) => {
      for (const order_id of group) {
        if (progress.stop() || failure) {
          return
        }
        outcomes[index.get(order_id)!] = await rewardOne(order_id)
        void advance(false)
      }
    })
    await advance(true)
    if (failure) {
      throw failure
    }
  }

  /** Counts what came of each order; an order another claim still holds is `busy`, and revisited later. */
  async function count(outcomes: Map<string, Outcome>): Promise<void> {
    // An order can read "already synced" while another claim holds one of its points adjustments: held too.
    const open = [...outcomes].filter(([, o]) => !["failed", "error", "sent", "other_account"].includes(o)).map(([id]) => id)
    const claims = new Map((await woowup.findHeldOrders(open)).map((c) => [c.order_id, c.heartbeat_ms]))
    for (const [id, outcome] of outcomes) {
      if (outcome === "error") {
        counts.failed++
        continue
      }
      const isHeld = outcome === "busy" || claims.has(id)
      if (isHeld) {
        counts.busy++
        if ((revisits.get(id) ?? 0) < MAX_REVISITS) {
          held.set(id, claims.get(id) ?? null)
        }
      } else {
        counts[COUNTED[outcome]]++
      }
    }
  }

  /** One order through the award workflow; a failure is noted with its reason. */
  async function rewardOne(order_id: string): Promise<Outcome> {
    try {
      const { result } = await rewardOrderWorkflow(container).run({
        input: {
          order_id,
          trigger,
          force,
          retry_now: run.kind !== "job",
          other_account: !!run.other_account,
          import: history,
        },
      })
      if (result.outcome === "failed") {
        const adjustment = result.adjustments.find((a) => a.status !== "applied")
        options.failures?.push({ order_id, reason: result.reward?.reason ?? adjustment?.reason ?? "failed" })
      }
      return result.outcome
    } catch (e) {
      options.failures?.push({ order_id, reason: (e as Error).message })
      logger.warn(`woowup: ${trigger} of order ${order_id} failed: ${(e as Error).message}`)
      return "error"
    }
  }

  /**
   * Waits for the claims the run passed over, and takes each order again once its claim is released or stale. An
   * order whose claim's heartbeat moves meanwhile has a live owner, which finishes it: it stays counted `busy`.
   * Bounded: a dead owner's claim goes stale within CLAIM_STALE_MS of its last heartbeat.
   */
  async function revisitHeld(progress: () => Promise<void>): Promise<void> {
    while (held.size) {
      await new Promise((resolve) => setTimeout(resolve, REVISIT_POLL_MS))
      const claims = new Map((await woowup.findHeldOrders([...held.keys()])).map((c) => [c.order_id, c.heartbeat_ms]))
      const free: string[] = []
      for (const [id, seen] of held) {
        const heartbeat = claims.get(id)
        if (heartbeat === undefined) {
          free.push(id)
        } else if (seen === null) {
          held.set(id, heartbeat)
        } else if (heartbeat > seen) {
          held.delete(id)
        }
      }
      for (const id of free) {
        held.delete(id)
        counts.busy--
        revisits.set(id, (revisits.get(id) ?? 0) + 1)
      }
      if (free.length) {
        await reward(free)
        await progress()
      }
    }
  }

  return { reward, rewardInOrder, revisitHeld }
}

/** The orders in groups of one customer each (each order alone without `customerOf`), in the orders' order. */
function groupBy(orderIds: string[], customerOf?: (orderId: string) => string | null): string[][] {
  if (!customerOf) {
    return orderIds.map((id) => [id])
  }
  const groups = new Map<string, string[]>()
  for (const id of orderIds) {
    const key = customerOf(id) ?? id
    groups.set(key, [...(groups.get(key) ?? []), id])
  }
  return [...groups.values()]
}
