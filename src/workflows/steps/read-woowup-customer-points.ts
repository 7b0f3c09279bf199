import type { Logger } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WOOWUP_MODULE } from "../../modules/woowup"
import { CustomerPointsReader, customerPointsReader, type CustomerPointsRead } from "../../modules/woowup/customer-points"
import { pickIdentity } from "../../modules/woowup/rules/identity"
import { customerAsRewardOrder, type StoreCustomer } from "../../modules/woowup/rules/store-points"
import type WoowupModuleService from "../../modules/woowup/service"
import { storefrontCache } from "../utils/storefront-cache"

export type ReadWoowupCustomerPointsStepInput = {
  customer: StoreCustomer
  /** Transactions asked for: `limit` from `offset`, newest first. */
  limit: number
  offset: number
}

export const readWoowupCustomerPointsStepId = "read-woowup-customer-points"
/**
 * This step reads a customer's points and transactions from WoowUp, under the identity their orders are recorded
 * under, through a short cache (`storeCacheSeconds`) and one shared call for concurrent reads. When WoowUp fails it
 * gives the last value known (`stale`), or `unavailable`: it never throws for WoowUp's failures.
 */
export const readWoowupCustomerPointsStep = createStep(
  readWoowupCustomerPointsStepId,
  async (input: ReadWoowupCustomerPointsStepInput, { container }) => {
    const woowup = container.resolve<WoowupModuleService>(WOOWUP_MODULE)
    const options = await woowup.getOptions()
    // Keyed on the client: a workflow wraps the module service in a new Proxy on every resolve.
    const reader = customerPointsReader(
      woowup.client,
      () =>
        new CustomerPointsReader(
          woowup.client,
          { cacheSeconds: options.storeCacheSeconds, timeoutMs: options.timeoutMs, invoicePrefix: options.invoicePrefix },
          container.resolve<Logger>(ContainerRegistrationKeys.LOGGER)
        )
    )
    // The Caching Module when registered, else the Cache Module (in-memory by default); without either, none.
    const cache = storefrontCache(container)
    const identity = pickIdentity(customerAsRewardOrder(input.customer), options)
    return new StepResponse<CustomerPointsRead>(
      await reader.read({ customer_id: input.customer.id, identity, limit: input.limit, offset: input.offset }, cache)
    )
  }
)
