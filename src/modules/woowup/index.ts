import { Module } from "@medusajs/framework/utils"
import checkMedusaVersionLoader from "./loaders/check-medusa-version"
import validateOptionsLoader from "./loaders/validate-options"
import WoowupModuleService from "./service"

export const WOOWUP_MODULE = "woowup"

export default Module(WOOWUP_MODULE, {
  service: WoowupModuleService,
  loaders: [checkMedusaVersionLoader, validateOptionsLoader],
})

export { WoowupModuleService }
export type { WoowupPluginOptions, WoowupOptions } from "./options"
