import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { SeededStore } from "./seed-store"

/**
 * Creates captured orders fast, through Medusa's own modules rather than the store API (placing an order through
 * checkout takes seconds on a busy 2-core machine): an order with one line of the standard variant, its payment
 * collection linked as checkout links it, a `pp_system_default` session authorized and captured. No event is
 * emitted, as when the plugin misses them: the reconcile job must find these orders. Returns their ids, in the
 * order of `emails`.
 */
export async function createCapturedOrders(
  container: MedusaContainer,
  store: SeededStore,
  emails: string[]
): Promise<string[]> {
  const orderModule = container.resolve(Modules.ORDER)
  const paymentModule = container.resolve(Modules.PAYMENT)
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const price = store.prices.standard
  const ids: string[] = new Array(emails.length)
  const create = async (email: string, index: number) => {
    const [order] = await orderModule.createOrders([
      {
        email,
        currency_code: store.currencyCode,
        region_id: store.regionId,
        sales_channel_id: store.salesChannelId,
        status: "pending",
        items: [
          {
            title: "T-shirt",
            product_title: "T-shirt",
            variant_id: store.variants.standard,
            variant_sku: store.skus.standard ?? undefined,
            quantity: 1,
            unit_price: price,
          },
        ],
      },
    ])
    const [collection] = await paymentModule.createPaymentCollections([{ currency_code: store.currencyCode, amount: price }])
    await link.create({
      [Modules.ORDER]: { order_id: order.id },
      [Modules.PAYMENT]: { payment_collection_id: collection.id },
    })
    const session = await paymentModule.createPaymentSession(collection.id, {
      provider_id: "pp_system_default",
      amount: price,
      currency_code: store.currencyCode,
      data: {},
    })
    const payment = await paymentModule.authorizePaymentSession(session.id, {})
    await paymentModule.capturePayment({ payment_id: payment!.id })
    ids[index] = order.id
  }
  // A few at once: the database, not this loop, is the limit.
  let next = 0
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < emails.length) {
        const index = next++
        await create(emails[index], index)
      }
    })
  )
  return ids
}

/**
 * Dates the orders, their payments and captures back to `at`: history placed before the plugin was installed, or
 * migrated into Medusa from another platform with its original dates (and ids of the day of the migration).
 */
export async function dateOrdersBack(container: MedusaContainer, orderIds: string[], at: Date): Promise<void> {
  const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION)
  await pg.raw(`UPDATE "order" SET created_at = ? WHERE id = ANY(?)`, [at, orderIds])
  await pg.raw(
    `UPDATE payment p SET captured_at = ?, created_at = ? FROM order_payment_collection opc
     WHERE opc.order_id = ANY(?) AND p.payment_collection_id = opc.payment_collection_id`,
    [at, at, orderIds]
  )
  await pg.raw(
    `UPDATE capture c SET created_at = ? FROM payment p, order_payment_collection opc
     WHERE c.payment_id = p.id AND p.payment_collection_id = opc.payment_collection_id AND opc.order_id = ANY(?)`,
    [at, orderIds]
  )
}
