import { model } from "@medusajs/framework/utils"

/**
 * A WoowUp branch the plugin knows the account has (it created it, or found it there): its purchases go without
 * asking WoowUp again. One row per account and name.
 */
const WoowupBranch = model
  .define("woowup_branch", {
    id: model.id({ prefix: "wubr" }).primaryKey(),
    name: model.text(),
    /** Whether it sells online (WoowUp's `is_web`), as the plugin created or found it. */
    is_web: model.boolean().default(true),
    /** The WoowUp account (see account.ts; never the key). */
    account: model.text(),
  })
  .indexes([{ name: "IDX_woowup_branch_account_name", on: ["account", "name"], unique: true, where: "deleted_at IS NULL" }])

export default WoowupBranch
