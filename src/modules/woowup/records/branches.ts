import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"
import { generateEntityId } from "@medusajs/framework/utils"

/** The branches of the account the plugin knows WoowUp has (models/woowup-branch.ts). */

export async function knownBranches(manager: SqlEntityManager, account: string): Promise<string[]> {
  const rows = await manager.execute(
    `SELECT name FROM woowup_branch WHERE account = ? AND deleted_at IS NULL ORDER BY name`,
    [account]
  )
  return rows.map((r) => String(r.name))
}

/** Notes that WoowUp has the branch. Two processes noting it at once leave one row (the unique index). */
export async function rememberBranch(
  manager: SqlEntityManager,
  account: string,
  input: { name: string; is_web: boolean }
): Promise<void> {
  await manager.execute(
    `INSERT INTO woowup_branch (id, name, is_web, account, created_at, updated_at)
     VALUES (?, ?, ?, ?, now(), now())
     ON CONFLICT (account, name) WHERE deleted_at IS NULL DO NOTHING`,
    [generateEntityId(undefined, "wubr"), input.name, input.is_web, account]
  )
}
