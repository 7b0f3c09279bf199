import { MedusaError } from "@medusajs/framework/utils"
import { Fifo } from "./fifo"

/**
 * At most `size` attempts at once, first come, first served: one per pooled connection.
 *
 * Why: an attempt's timeout must only run while its request can actually be on its way. Without the gate, the
 * rate limiter could release a whole window's worth of calls onto 8 connections at once, and the calls queued
 * inside the pool would time out without ever leaving the machine, flagged "outcome unknown" (issue 13, item 6).
 * With it, an attempt takes its connection first, then its rate-limit slot, and only then starts its clock.
 */
export class ConnectionGate {
  readonly size: number
  private active = 0
  private readonly queue = new Fifo<Waiter>()
  private closedWith: Error | undefined

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "ConnectionGate: size must be a positive integer")
    }
    this.size = size
  }

  /** Attempts holding a connection. */
  get inUse(): number {
    return this.active
  }

  /** Resolves with a `release` function (idempotent) once a connection is free; rejects on abort or close. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.closedWith) return Promise.reject(this.closedWith)
    if (signal?.aborted) return Promise.reject(signal.reason)
    if (this.active < this.size && this.queue.length === 0) {
      this.active++
      return Promise.resolve(this.releaser())
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, done: false }
      if (signal) {
        waiter.signal = signal
        waiter.onAbort = () => {
          if (waiter.done) return
          waiter.done = true
          reject(signal.reason)
        }
        signal.addEventListener("abort", waiter.onAbort, { once: true })
      }
      this.queue.push(waiter)
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

  private releaser(): () => void {
    let released = false
    return () => {
      if (released) return
      released = true
      this.active--
      this.next()
    }
  }

  private next(): void {
    while (this.active < this.size) {
      const waiter = this.queue.shift()
      if (!waiter) return
      if (waiter.done) continue
      waiter.done = true
      detach(waiter)
      this.active++
      waiter.resolve(this.releaser())
    }
  }
}

type Waiter = {
  resolve: (release: () => void) => void
  reject: (error: unknown) => void
  done: boolean
  signal?: AbortSignal
  onAbort?: () => void
}

function detach(waiter: Waiter): void {
  if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener("abort", waiter.onAbort)
}
