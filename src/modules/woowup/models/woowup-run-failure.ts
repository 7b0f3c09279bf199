import { model } from "@medusajs/framework/utils"

/** An order a resync or an import could not bring to WoowUp, with the reason: every one, for the failures CSV. */
const WoowupRunFailure = model
  .define("woowup_run_failure", {
    id: model.id({ prefix: "wurfail" }).primaryKey(),
    run_id: model.text(),
    order_id: model.text(),
    reason: model.text(),
  })
  .indexes([{ on: ["run_id", "order_id"] }])

export default WoowupRunFailure
