import { MedusaError } from "@medusajs/framework/utils"
import { PriorityQueue, type CallPriority } from "./fifo"

/**
 * At most `size` attempts at once: one per pooled connection. Waiters are served most urgent first (`fifo.ts`),
 * and storefront reads hold at most `storefrontSize` connections, so reads waiting for their rate-limit slot never
 * take every connection from a purchase.
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
  private active = 0
  private activeStorefront = 0
  private readonly queue = new PriorityQueue<Waiter>()
  private closedWith: Error | undefined

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "ConnectionGate: size must be a positive integer")
    }
    this.size = size
    this.storefrontSize = Math.max(1, Math.floor(size / 2))
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
    return this.active < this.size && (priority !== "storefront" || this.activeStorefront < this.storefrontSize)
  }

  private take(priority: CallPriority): () => void {
    this.active++
    if (priority === "storefront") this.activeStorefront++
    let released = false
    return () => {
      if (released) return
      released = true
      this.active--
      if (priority === "storefront") this.activeStorefront--
      this.next()
    }
  }

  /** Serves the most urgent waiter that may have a connection; reads past their share wait behind the others. */
  private next(): void {
    while (this.active < this.size) {
      let waiter = this.queue.peek()
      if (waiter?.priority === "storefront" && !this.allows("storefront")) return
      waiter = this.queue.shift()
      if (!waiter) return
      if (waiter.done) continue
      waiter.done = true
      detach(waiter)
      waiter.resolve(this.take(waiter.priority))
    }
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
