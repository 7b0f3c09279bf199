/**
 * "Catch-up, 3 (server + 2 workers, Redis)": the same missed orders caught up by a server and two workers sharing
 * the limit through Redis, on a copy of the database made before anything caught up. Skipped, saying why, when no
 * Redis answers.
 */
import path from "node:path"
import { loginAdmin } from "../../integration-tests/helpers"
import { freePort, httpClient, type SeededApp } from "../../integration-tests/helpers/medusa-process"
import { claimRedisDatabase, redisAnswers, TEST_REDIS_URL } from "../../integration-tests/helpers/redis"
import { startWoowupSandbox } from "../../src/sandbox"
import type { Bench } from "../bench"
import { catchUp, catchUpRows } from "../catch-up"
import { onCleanup } from "../cleanups"
import { addKnownCustomers } from "../customers"
import { cloneDatabase } from "../databases"
import { pluginEnv } from "../plugin-env"
import { BenchProcess } from "../processes"
import { say, step, WORK } from "../progress"
import type { BenchPart } from "./part"

/** Each run's copy of the database, made in `prepare`. */
const databases = new WeakMap<Bench, SeededApp>()

export const clusterPart: BenchPart = {
  name: "cluster",
  prepare: async (bench) => {
    const db = await cloneDatabase(bench.base, "cluster")
    onCleanup(db.drop)
    databases.set(bench, db)
  },
  measure: async (bench) => {
    const { options, rpm, concurrency, known, window, results } = bench
    const clusterDb = databases.get(bench)
    if (!clusterDb || !window) {
      return {}
    }
    step(`Catch-up, server + 2 workers on Redis: ${options.orders} missed orders, WoowUp limited to ${rpm}/min`)
    if (!redisAnswers(TEST_REDIS_URL)) {
      const why = `no Redis answers at ${TEST_REDIS_URL} (start redis-server, or set WOOWUP_TEST_REDIS_URL)`
      say(`  SKIPPED: ${why}`)
      return { catchup: { ...results.catchup, three_processes: { skipped: why } } }
    }
    const redis = await claimRedisDatabase(TEST_REDIS_URL)
    onCleanup(() => redis.release())
    const sandbox = await startWoowupSandbox({ port: 0, requestsPerMinute: rpm, apiKey: `bench-cluster-${process.pid}-${Date.now()}` })
    onCleanup(() => sandbox.close())
    addKnownCustomers(sandbox, known)
    const env = pluginEnv(
      clusterDb,
      sandbox,
      { requestsPerMinute: rpm, processes: 3, reconcile: { enabled: false, concurrency } },
      { WOOWUP_REDIS_MODULES: "true", REDIS_URL: redis.url }
    )
    const ports = await Promise.all([freePort(), freePort(), freePort()])
    const procs = [
      new BenchProcess("server", ports[0], { ...env, MEDUSA_WORKER_MODE: "server" }, path.join(WORK, "server.log")),
      new BenchProcess("worker-1", ports[1], { ...env, MEDUSA_WORKER_MODE: "worker" }, path.join(WORK, "worker-1.log")),
      new BenchProcess("worker-2", ports[2], { ...env, MEDUSA_WORKER_MODE: "worker" }, path.join(WORK, "worker-2.log")),
    ]
    const server = procs[0]
    for (const p of procs) {
      onCleanup(() => p.stop())
    }
    const bootMs = await Promise.all(procs.map((p) => p.start()))
    say(`  up in ${bootMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(", ")}`)
    const api = httpClient(server.url)
    const admin = await loginAdmin(api, clusterDb.admin)
    // Two windows (the first and the second half of the missed orders): two resync events, which the Redis event
    // bus hands to whichever workers take them, so both may be sending at once through the shared limit.
    const windows = [
      { from: window.from, to: window.middle },
      { from: window.middle, to: window.to },
    ]
    const three = await catchUp({ label: "3 (server + 2 workers, Redis)", api, admin, sandbox, windows, orders: options.orders, rpm, concurrency, smoke: options.smoke, memoryOf: procs.slice(1), cpuOf: procs })
    three.handled_by = Object.fromEntries(
      procs.map((p) => [p.name, `${(p.log().match(/woowup: resync wurun_\w+ done/g) ?? []).length} resync run(s)`])
    )
    say(`  ${three.requests_per_min}/min of ${rpm} (${three.share_of_limit}), ${three.too_many_429} × 429, ${three.orders_per_min} orders/min, ${three.total_s} s; ${JSON.stringify(three.handled_by)}`)
    for (const p of procs) {
      await p.stop()
    }
    await sandbox.close()
    return { catchup: { ...results.catchup, three_processes: three } }
  },
  rows: (r, table) => catchUpRows(r.catchup?.three_processes, "three processes", table),
}
