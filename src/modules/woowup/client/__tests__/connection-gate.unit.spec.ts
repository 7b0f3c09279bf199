import { ConnectionGate } from "../connection-gate"
import { Fifo } from "../fifo"

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve()
}

describe("ConnectionGate", () => {
  it("lets `size` holders through, then the others in arrival order as permits come back", async () => {
    const gate = new ConnectionGate(2)
    const order: number[] = []
    const releases: Array<() => void> = []
    for (let i = 0; i < 5; i++) {
      void gate.acquire().then((release) => {
        order.push(i)
        releases.push(release)
      })
    }
    await flush()
    expect(order).toEqual([0, 1])
    expect(gate.inUse).toBe(2)
    releases[0]()
    releases[0]() // twice is harmless: still one permit back
    await flush()
    expect(order).toEqual([0, 1, 2])
    expect(gate.inUse).toBe(2)
    releases[1]()
    releases[2]()
    await flush()
    expect(order).toEqual([0, 1, 2, 3, 4])
  })

  it("an aborted waiter leaves the line without taking a permit", async () => {
    const gate = new ConnectionGate(1)
    const first = await gate.acquire()
    const controller = new AbortController()
    const aborted = gate.acquire(controller.signal)
    const next = gate.acquire()
    controller.abort(new Error("gone"))
    await expect(aborted).rejects.toThrow("gone")
    first()
    const release = await next
    expect(gate.inUse).toBe(1)
    release()
    expect(gate.inUse).toBe(0)
    await expect(gate.acquire(AbortSignal.abort(new Error("already")))).rejects.toThrow("already")
  })

  it("close() rejects the waiters and later calls", async () => {
    const gate = new ConnectionGate(1)
    await gate.acquire()
    const waiting = gate.acquire()
    gate.close(new Error("closed"))
    await expect(waiting).rejects.toThrow("closed")
    await expect(gate.acquire()).rejects.toThrow("closed")
  })

  it("validates its size", () => {
    expect(() => new ConnectionGate(0)).toThrow(/positive integer/)
  })
})

describe("Fifo", () => {
  it("is first in, first out, and its array stays about twice what it holds", () => {
    const fifo = new Fifo<number>()
    let next = 0
    let expected = 0
    let largest = 0
    for (let i = 0; i < 100; i++) fifo.push(next++)
    for (let round = 0; round < 100_000; round++) {
      expect(fifo.shift()).toBe(expected++)
      fifo.push(next++)
      largest = Math.max(largest, fifo.capacity)
    }
    expect(fifo.length).toBe(100)
    expect(largest).toBeLessThanOrEqual(2 * 100 + 32)
    expect(fifo.peek()).toBe(expected)
    expect(fifo.drain()).toHaveLength(100)
    expect(fifo.length).toBe(0)
    expect(fifo.shift()).toBeUndefined()
  })
})
