import { CALL_PRIORITIES, PriorityQueue, type CallPriority } from "./fifo"
import type { AcquireOptions, RateLimitSlot } from "./rate-limiter"

/** A call of this process waiting for a slot of the shared window. */
export type SlotWaiter = {
  resolve: (slot: RateLimitSlot) => void
  reject: (error: unknown) => void
  untilComplete: boolean
  holdMs: number
  priority: CallPriority
  cancelled: boolean
  signal?: AbortSignal
  onAbort?: () => void
}

/** This process's calls waiting for a shared slot, most urgent first; a call that gave up is passed over. */
export class SlotWaiters {
  private readonly queue = new PriorityQueue<SlotWaiter>()

  /**
   * Queues a call. `moreUrgent`: it goes before the call that was first, whose wait the pump may be sleeping on.
   * A slot held until its request ends (`untilComplete`) is held `holdMs`, else `defaultHoldMs`, at most.
   */
  add(options: AcquireOptions, defaultHoldMs: number): { slot: Promise<RateLimitSlot>; moreUrgent: boolean } {
    const { signal, untilComplete = false } = options
    let moreUrgent = false
    const slot = new Promise<RateLimitSlot>((resolve, reject) => {
      const waiter: SlotWaiter = {
        resolve,
        reject,
        untilComplete,
        holdMs: untilComplete ? Math.ceil(options.holdMs ?? defaultHoldMs) : 0,
        priority: options.priority ?? "orders",
        cancelled: false,
      }
      if (signal) {
        waiter.signal = signal
        waiter.onAbort = () => {
          if (waiter.cancelled) return
          waiter.cancelled = true
          reject(signal.reason)
        }
        signal.addEventListener("abort", waiter.onAbort, { once: true })
      }
      const head = this.head()
      this.queue.push(waiter, waiter.priority)
      moreUrgent = !!head && rank(waiter.priority) < rank(head.priority)
    })
    return { slot, moreUrgent }
  }

  /** The first call still waiting. */
  head(): SlotWaiter | undefined {
    let waiter = this.queue.peek()
    while (waiter?.cancelled) {
      this.queue.shift()
      waiter = this.queue.peek()
    }
    return waiter
  }

  /** Hands `slot` to the first call still waiting; false when there is none. */
  serve(slot: RateLimitSlot): boolean {
    const waiter = this.head()
    if (!waiter) return false
    this.queue.shift()
    waiter.cancelled = true
    detach(waiter)
    waiter.resolve(slot)
    return true
  }

  /** Rejects every call still waiting with `error`. */
  rejectAll(error: Error): void {
    for (const waiter of this.queue.drain()) {
      if (waiter.cancelled) continue
      waiter.cancelled = true
      detach(waiter)
      waiter.reject(error)
    }
  }
}

function rank(priority: CallPriority): number {
  return CALL_PRIORITIES.indexOf(priority)
}

function detach(waiter: SlotWaiter): void {
  if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener("abort", waiter.onAbort)
}
