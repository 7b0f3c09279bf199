import { AsyncLocalStorage } from "node:async_hooks"
import type { CallPriority } from "./fifo"

const scope = new AsyncLocalStorage<CallPriority>()

/**
 * Runs `work` with every WoowUp call it makes, however deep (a workflow's steps, a feed's convergence), at
 * `priority` unless the call names its own: an import's purchases and customers go after all live work without
 * each path passing a priority along.
 */
export function withCallPriority<T>(priority: CallPriority, work: () => Promise<T>): Promise<T> {
  return scope.run(priority, work)
}

/** The priority of the scope the current call runs in, if any. */
export function scopedCallPriority(): CallPriority | undefined {
  return scope.getStore()
}
