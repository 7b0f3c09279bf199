import { model } from "@medusajs/framework/utils"

/**
 * When the plugin was installed (one row, written by its migration): orders placed before are history, which the
 * reconcile job never sends on its own; only an import does.
 */
const WoowupInstallation = model.define("woowup_installation", {
  id: model.id({ prefix: "wuinst" }).primaryKey(),
  installed_at: model.dateTime(),
})

export default WoowupInstallation
