import { MedusaService } from "@medusajs/framework/utils"
import { parseWoowupOptions, type WoowupOptions } from "./options"

type InjectedDependencies = Record<string, unknown>

export default class WoowupModuleService extends MedusaService({}) {
  protected readonly options_: WoowupOptions

  constructor(container: InjectedDependencies, options: unknown) {
    // eslint-disable-next-line prefer-rest-params
    super(...arguments)
    this.options_ = parseWoowupOptions(options)
  }

  getOptions(): WoowupOptions {
    return this.options_
  }
}
