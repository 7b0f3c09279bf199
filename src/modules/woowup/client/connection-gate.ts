import { MedusaError } from "@medusajs/framework/utils"
import { CALL_PRIORITIES, PriorityQueue, type CallPriority } from "./fifo"
import { isBackground } from "./lanes"

/**
 * At most `size` attempts at once: one per pooled connection. Waiters are served most urgent first (`fifo.ts`).
 * Storefront reads hold at most `storefrontSize` connections, the background feeds (`products`, `carts`) at most
 * `backgroundSize`, and the two together at most `sharedSize`: the rest (`size - sharedSize`, at least one when
 * `size` > 1) is always there for live work, so a purchase never waits for a backfill's request to end.
 *
 * Why: an attempt's timeout must only run while its request can actually be on its way. Without the gate, the
 * rate limiter could release a whole window's worth of calls onto 8 connections at once, and the calls queued
 * inside the pool would time out without ever leaving the machine, flagged "outcome unknown" (issue 13, item 6).
 * With it, an attempt takes its connection first, then its rate-limit slot, and only then starts its clock.
 */
export class ConnectionGate {
  readonly size: number
  /** Connections storefront reads may hold at once: half, at least one. */
  readonly storefrontSize: number
  /** Connections the background feeds may hold at once: half, at least one. */
  readonly backgroundSize: number
  /** Connections storefront and background calls may hold together: all but a quarter (at least one) kept for live work. */
  readonly sharedSize: number
  private active = 0
  private activeStorefront = 0
  private activeBackground = 0
  private readonly queue = new PriorityQueue<Waiter>()
  private closedWith: Error | undefined

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "ConnectionGate: size must be a positive integer")
    }
    this.size = size
    this.storefrontSize = Math.max(1, Math.floor(size / 2))
    this.backgroundSize = Math.max(1, Math.floor(size / 2))
    this.sharedSize = size > 1 ? size - Math.max(1, Math.floor(size / 4)) : 1
  }

  /** Attempts holding a connection. */
  get inUse(): number {
    return this.active
  }

  /** Resolves with a `release` function (idempotent) once a connection is free; rejects on abort or close. */
  acquire(signal?: AbortSignal, priority: CallPriority = "orders"): Promise<() => void> {
    if (this.closedWith) return Promise.reject(this.closedWith)
    if (signal?.aborted) return Promise.reject(signal.reason)
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, done: false, priority }
      if (signal) {
        waiter.signal = signal
        waiter.onAbort = () => {
          if (waiter.done) return
          waiter.done = true
          reject(signal.reason)
        }
        signal.addEventListener("abort", waiter.onAbort, { once: true })
      }
      this.queue.push(waiter, priority)
      // Served now if a connection is free for it (reads past their share never hold up the others).
      this.next()
    })
  }

  /** Rejects every waiter and every later `acquire()`; permits already out stay valid until released. */
  close(error: Error): void {
    if (this.closedWith) return
    this.closedWith = error
    for (const waiter of this.queue.drain()) {
      if (waiter.done) continue
      waiter.done = true
      detach(waiter)
      waiter.reject(error)
    }
  }

  private allows(priority: CallPriority): boolean {
    if (this.active >= this.size) return false
    const background = isBackground(priority)
    if (priority !== "storefront" && !background) return true
    if (this.activeStorefront + this.activeBackground >= this.sharedSize) return false
    return background ? this.activeBackground < this.backgroundSize : this.activeStorefront < this.storefrontSize
  }

  private take(priority: CallPriority): () => void {
    const background = isBackground(priority)
    this.active++
    if (priority === "storefront") this.activeStorefront++
    if (background) this.activeBackground++
    let released = false
    return () => {
      if (released) return
      released = true
      this.active--
      if (priority === "storefront") this.activeStorefront--
      if (background) this.activeBackground--
      this.next()
    }
  }

  /**
   * Serves the most urgent waiter that may have a connection: a lane past its share waits, and the lanes behind
   * it are looked at (storefront reads are not held up by a backfill past its share, nor the reverse).
   */
  private next(): void {
    while (this.active < this.size) {
      const priority = CALL_PRIORITIES.find((p) => this.liveHead(p) !== undefined && this.allows(p))
      if (!priority) return
      const waiter = this.queue.shiftLane(priority)!
      waiter.done = true
      detach(waiter)
      waiter.resolve(this.take(waiter.priority))
    }
  }

  /** The oldest waiter of a lane that still waits (aborted ones are dropped on the way). */
  private liveHead(priority: CallPriority): Waiter | undefined {
    let waiter = this.queue.peekLane(priority)
    while (waiter?.done) {
      this.queue.shiftLane(priority)
      waiter = this.queue.peekLane(priority)
    }
    return waiter
  }
}

type Waiter = {
  resolve: (release: () => void) => void
  reject: (error: unknown) => void
  done: boolean
  priority: CallPriority
  signal?: AbortSignal
  onAbort?: () => void
}

function detach(waiter: Waiter): void {
  if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener("abort", waiter.onAbort)
}
