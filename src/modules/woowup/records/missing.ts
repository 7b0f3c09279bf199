import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"

/**
 * The ids among `ids` that name no row of `table` (not deleted): a resync of named orders or customers says which
 * do not exist. Ids are joined, not passed as an array: the driver would spread an array into a list of parameters.
 */
export async function findMissingIds(manager: SqlEntityManager, table: '"order"' | "customer" | "product", ids: string[]): Promise<string[]> {
  const rows = await manager.execute(
    `SELECT id FROM unnest(string_to_array(?, ',')) AS wanted(id)
     WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.id = wanted.id AND t.deleted_at IS NULL)`,
    [ids.join(",")]
  )
  return rows.map((r) => r.id as string)
}
