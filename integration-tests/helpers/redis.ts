/**
 * Redis for the `integration:process` tests: whether one answers, a database of its own on a shared server (so
 * the test's queues, locks and rate-limit keys never mix with another run's), and a private `redis-server` a test
 * may stop and start.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process"
import Redis from "ioredis"

/** The Redis the tests use unless told otherwise: the machine's (CI starts one when none answers). */
export const TEST_REDIS_URL = process.env.WOOWUP_TEST_REDIS_URL || "redis://127.0.0.1:6379"

/**
 * Whether a Redis answers PING at `url` within 3 s. Synchronous (a child process), so a suite can decide at load
 * time between `describe` and `describe.skip`.
 */
export function redisAnswers(url: string = TEST_REDIS_URL): boolean {
  const { hostname, port } = new URL(url)
  const probe = `
    const s = require("net").connect(${Number(port) || 6379}, ${JSON.stringify(hostname || "127.0.0.1")});
    s.setTimeout(2500, () => process.exit(1));
    s.on("error", () => process.exit(1));
    s.on("connect", () => s.write("PING\\r\\n"));
    s.on("data", (d) => process.exit(String(d).startsWith("+PONG") ? 0 : 1));`
  try {
    execFileSync(process.execPath, ["-e", probe], { timeout: 3_000, stdio: "ignore" })
    return true
  } catch {
    return false
  }
}

const CLAIM_KEY = "woowup-process-test:owner"

/**
 * An empty logical database (1-15) of the Redis at `url`, claimed with a marker key so that runs at the same time
 * take different ones. `release()` empties it (FLUSHDB of that database only: it held only this test's keys).
 */
export async function claimRedisDatabase(url: string = TEST_REDIS_URL): Promise<{ url: string; db: number; release(): Promise<void> }> {
  const owner = `${process.pid}-${Date.now()}`
  for (let db = 15; db >= 1; db--) {
    const dbUrl = withDb(url, db)
    const client = new Redis(dbUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
    try {
      await client.connect()
      // Claimed for an hour at most: a run that died leaves it to the next one after that.
      if ((await client.set(CLAIM_KEY, owner, "EX", 3_600, "NX")) === "OK" && (await client.dbsize()) === 1) {
        return {
          url: dbUrl,
          db,
          release: async () => {
            const c = new Redis(dbUrl, { maxRetriesPerRequest: 1 })
            try {
              if ((await c.get(CLAIM_KEY)) === owner) {
                await c.flushdb()
              }
            } finally {
              c.disconnect()
            }
          },
        }
      }
      if ((await client.get(CLAIM_KEY)) === owner) {
        await client.del(CLAIM_KEY)
      }
    } finally {
      client.disconnect()
    }
  }
  throw new Error(`no empty Redis database (1-15) to claim at ${url}`)
}

function withDb(url: string, db: number): string {
  const u = new URL(url)
  u.pathname = `/${db}`
  return u.toString()
}

/** A `redis-server` of the test's own (no persistence), on `port`, that it can stop and start again. */
export class PrivateRedis {
  readonly port: number
  readonly url: string
  private child?: ChildProcess

  constructor(port: number) {
    this.port = port
    this.url = `redis://127.0.0.1:${port}`
  }

  /** Whether the `redis-server` binary is on this machine. */
  static available(): boolean {
    try {
      execFileSync("redis-server", ["--version"], { stdio: "ignore" })
      return true
    } catch {
      return false
    }
  }

  async start(): Promise<void> {
    this.child = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
      stdio: "ignore",
    })
    const until = Date.now() + 10_000
    while (Date.now() < until) {
      if (redisAnswers(this.url)) {
        return
      }
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`redis-server on port ${this.port} did not answer within 10 s`)
  }

  /** Stops it (SIGKILL by pid: an outage, not a shutdown) and waits for it to be gone. */
  async stop(): Promise<void> {
    const child = this.child
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) {
      return
    }
    const exited = new Promise((r) => child.once("exit", r))
    process.kill(child.pid, "SIGKILL")
    await exited
  }
}

