/**
 * The live heap of a Medusa process, through the V8 inspector (the process runs with `--inspect=127.0.0.1:PORT`):
 * a full garbage collection, then `process.memoryUsage()`. Resident memory alone cannot tell a leak from garbage V8
 * has not collected yet (it lets the old generation grow to hundreds of MB before a full collection); the heap after
 * a full collection can.
 */
import { WebSocket } from "undici"

export class HeapProbe {
  private ws?: WebSocket
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>()

  constructor(private readonly inspectPort: number) {}

  async connect(): Promise<void> {
    const targets = (await (await fetch(`http://127.0.0.1:${this.inspectPort}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>
    const ws = new WebSocket(targets[0].webSocketDebuggerUrl)
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener("open", () => resolve(), { once: true })
      ws.addEventListener("error", () => reject(new Error(`inspector on port ${this.inspectPort}: connection failed`)), { once: true })
    })
    ws.addEventListener("message", (event) => {
      const msg = JSON.parse(String(event.data)) as { id?: number; result?: any; error?: { message: string } }
      const waiter = msg.id !== undefined ? this.pending.get(msg.id) : undefined
      if (waiter) {
        this.pending.delete(msg.id!)
        if (msg.error) {
          waiter.reject(new Error(msg.error.message))
        } else {
          waiter.resolve(msg.result)
        }
      }
    })
    this.ws = ws
  }

  private send(method: string, params: Record<string, unknown> = {}): Promise<any> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.ws!.send(JSON.stringify({ id, method, params }))
    })
  }

  /** Heap used and resident memory in MB, right after a full garbage collection. */
  async liveHeap(): Promise<{ heap_used_mb: number; rss_mb: number; gc_ms: number }> {
    const t = performance.now()
    await this.send("HeapProfiler.collectGarbage")
    const gcMs = performance.now() - t
    const { result } = await this.send("Runtime.evaluate", {
      expression: "JSON.stringify(process.memoryUsage())",
      returnByValue: true,
    })
    const usage = JSON.parse(result.value) as { heapUsed: number; rss: number }
    const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10
    return { heap_used_mb: mb(usage.heapUsed), rss_mb: mb(usage.rss), gc_ms: Math.round(gcMs) }
  }

  close(): void {
    this.ws?.close()
  }
}
