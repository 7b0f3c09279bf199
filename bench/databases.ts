/** Scratch databases for the parts that must not share one (each catch-up starts from the same missed orders). */
import type { SeededApp } from "../integration-tests/helpers/medusa-process"

/** A database cloned from `source` (which nobody may be connected to). */
export async function cloneDatabase(source: SeededApp, name: string): Promise<SeededApp> {
  const { Client } = await import("pg")
  const admin = new URL(source.databaseUrl)
  const sourceName = admin.pathname.slice(1)
  admin.pathname = "/postgres"
  const client = new Client({ connectionString: admin.toString() })
  await client.connect()
  const target = `${sourceName.slice(0, 40)}_${name}`
  try {
    await client.query(`DROP DATABASE IF EXISTS "${target}" WITH (FORCE)`)
    await client.query(`CREATE DATABASE "${target}" TEMPLATE "${sourceName}"`)
  } finally {
    await client.end()
  }
  const url = new URL(source.databaseUrl)
  url.pathname = `/${target}`
  return {
    ...source,
    databaseUrl: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: admin.toString() })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS "${target}" WITH (FORCE)`).catch(() => {})
      await c.end()
    },
  }
}
