/** Orders placed and paid as the store and admin routes do it (Medusa's core workflows), waiting for the plugin. */
import type { IEventBusModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, PaymentEvents } from "@medusajs/framework/utils"
import {
  addShippingMethodToCartWorkflow,
  capturePaymentWorkflow,
  completeCartWorkflow,
  createCartWorkflow,
  createPaymentCollectionForCartWorkflow,
  createPaymentSessionsWorkflow,
} from "@medusajs/medusa/core-flows"
import { TestEventUtils } from "@medusajs/test-utils"
import type { SeededStore } from "../../integration-tests/helpers/seed-store"
import type { BenchCustomer } from "../types"

export const SYSTEM_PROVIDER = "pp_system_default"

/** Runs `action` and waits until the plugin's subscribers have handled the event it emits. */
export async function andWait<T>(container: MedusaContainer, event: string, action: () => Promise<T>): Promise<T> {
  const bus = container.resolve<IEventBusModuleService>(Modules.EVENT_BUS)
  const handled = TestEventUtils.waitSubscribersExecution(event, bus as any, { timeout: 60_000 })
  const result = await action()
  await handled
  return result
}

/**
 * An order placed as the store API places it (cart, line item, addresses, shipping method, payment collection,
 * session with `pp_system_default`, complete): authorized, not captured. `order.placed` reaches the plugin.
 */
export async function placeOrder(container: MedusaContainer, store: SeededStore, customer: BenchCustomer & { id?: string }, quantity = 2) {
  const address = {
    first_name: customer.first_name,
    last_name: customer.last_name,
    address_1: "Av. Providencia 1234",
    city: "Santiago",
    postal_code: "7500000",
    country_code: store.countryCode,
    phone: customer.phone,
  }
  const { result: cart } = await createCartWorkflow(container).run({
    input: {
      region_id: store.regionId,
      sales_channel_id: store.salesChannelId,
      email: customer.email,
      ...(customer.id ? { customer_id: customer.id } : {}),
      shipping_address: address,
      billing_address: address,
      items: [{ variant_id: store.variants.standard, quantity }],
    },
  })
  await addShippingMethodToCartWorkflow(container).run({ input: { cart_id: cart.id, options: [{ id: store.shippingOptionId }] } })
  const { result: collection } = await createPaymentCollectionForCartWorkflow(container).run({ input: { cart_id: cart.id } })
  await createPaymentSessionsWorkflow(container).run({
    input: { payment_collection_id: (collection as any).id, provider_id: SYSTEM_PROVIDER },
  })
  const { result } = await andWait(container, "order.placed", () => completeCartWorkflow(container).run({ input: { id: cart.id } }))
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const {
    data: [order],
  } = await query.graph({
    entity: "order",
    fields: ["id", "total", "payment_collections.payments.id", "payment_collections.payments.amount"],
    filters: { id: result.id },
  })
  const payment = (order as any).payment_collections[0].payments[0]
  return { orderId: result.id as string, paymentId: payment.id as string, amount: Number(payment.amount) }
}

export function capture(container: MedusaContainer, paymentId: string, amount?: number) {
  return andWait(container, PaymentEvents.CAPTURED, () =>
    capturePaymentWorkflow(container).run({ input: { payment_id: paymentId, ...(amount != null ? { amount } : {}) } })
  )
}
