import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { ORDER_FIELDS, type RewardOrder } from "../../modules/woowup/rules"

const PAGE = 100

/** Orders as the award workflow loads them (`ORDER_FIELDS` and `extra`), a page at a time, all of them. */
export async function loadRewardOrders(
  container: MedusaContainer,
  filters: Record<string, unknown>,
  extra: string[] = []
): Promise<Array<RewardOrder & Record<string, any>>> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const orders: Array<RewardOrder & Record<string, any>> = []
  for (let skip = 0; ; skip += PAGE) {
    const { data } = await query.graph({
      entity: "order",
      fields: [...ORDER_FIELDS, ...extra],
      filters,
      pagination: { skip, take: PAGE, order: { id: "ASC" } },
    })
    orders.push(...(data as Array<RewardOrder & Record<string, any>>))
    if (data.length < PAGE) return orders
  }
}
