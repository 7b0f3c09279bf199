import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"

/**
 * SQL: something the catalog feed sends of variant `v` (product `p`) changed after `t`: the variant or its product
 * (title, status, options, images, deletion), a price or sale price list of it (or a sale that started or ended),
 * its stock, its categories, collection or sales channels. Not every one of these announces itself with an event
 * Medusa emits (a price list's sale starting, a category renamed), so the job looks.
 */
function changedAfterSql(t: string): string {
  return `(v.updated_at > ${t} OR p.updated_at > ${t} OR v.deleted_at > ${t} OR p.deleted_at > ${t}
    OR EXISTS (SELECT 1 FROM product_variant_price_set vps
               JOIN price pr ON pr.price_set_id = vps.price_set_id
               LEFT JOIN price_list pl ON pl.id = pr.price_list_id
               WHERE vps.variant_id = v.id AND vps.deleted_at IS NULL
                 AND (pr.updated_at > ${t} OR pr.deleted_at > ${t} OR pl.updated_at > ${t}
                      OR pl.starts_at BETWEEN ${t} AND now() OR pl.ends_at BETWEEN ${t} AND now()))
    OR EXISTS (SELECT 1 FROM product_variant_inventory_item vii
               JOIN inventory_level il ON il.inventory_item_id = vii.inventory_item_id
               WHERE vii.variant_id = v.id AND vii.deleted_at IS NULL AND il.updated_at > ${t})
    OR EXISTS (SELECT 1 FROM product_category_product pcp
               JOIN product_category pc ON pc.id = pcp.product_category_id
               WHERE pcp.product_id = p.id AND pc.updated_at > ${t})
    OR EXISTS (SELECT 1 FROM product_collection pco WHERE pco.id = p.collection_id AND pco.updated_at > ${t})
    OR EXISTS (SELECT 1 FROM product_sales_channel psc
               WHERE psc.product_id = p.id AND (psc.updated_at > ${t} OR psc.deleted_at > ${t})))`
}

/**
 * One page of product variants, by id after `after_id`, that changed since their last sync (or, never synced, since
 * `since`, the job's look-back) without their sync being under way or failed (the engine finds those), and the
 * cursor of the next page. A deleted variant counts only when WoowUp has it: it is then told once that it is gone.
 */
export async function findChangedVariants(
  manager: SqlEntityManager,
  input: { after_id: string; limit: number; since: Date }
): Promise<{ ids: string[]; cursor: string | null }> {
  const rows = await manager.execute(
    `SELECT v.id FROM product_variant v
     JOIN product p ON p.id = v.product_id
     LEFT JOIN woowup_product_sync r ON r.variant_id = v.id AND r.deleted_at IS NULL
     CROSS JOIN LATERAL (SELECT GREATEST(?::timestamptz, r.last_attempt_at) AS t) since
     WHERE v.id > ?
       AND (r.id IS NULL OR r.status IN ('synced', 'skipped'))
       AND ((v.deleted_at IS NULL AND p.deleted_at IS NULL) OR r.synced_at IS NOT NULL)
       AND ${changedAfterSql("since.t")}
     ORDER BY v.id LIMIT ?`,
    [input.since, input.after_id, input.limit]
  )
  const ids = rows.map((row) => row.id as string)
  return { ids, cursor: ids.length < input.limit ? null : ids[ids.length - 1] }
}
