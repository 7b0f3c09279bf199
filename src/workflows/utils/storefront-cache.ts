import type { ICacheService, ICachingModuleService, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"

/**
 * The cache the storefront's points reads share across processes: Medusa's Caching Module when the store
 * registers it (`@medusajs/medusa/caching`, e.g. with the Redis provider: Medusa 2.11+'s advice), else the Cache
 * Module (`Modules.CACHE`, in-memory by default; `cache-redis` is deprecated since 2.11). Null without either.
 */
export function storefrontCache(container: Pick<MedusaContainer, "resolve">): ICacheService | null {
  const caching = container.resolve<ICachingModuleService | undefined>(Modules.CACHING, { allowUnregistered: true })
  if (caching) {
    return cachingAsCache(caching)
  }
  return container.resolve<ICacheService | undefined>(Modules.CACHE, { allowUnregistered: true }) ?? null
}

// The Caching Module stores objects only, and computes invalidation tags from the data unless given some: the
// plugin's entries are wrapped, and carry no tags (they expire, or the plugin overwrites them).
function cachingAsCache(caching: ICachingModuleService): ICacheService {
  return {
    async get<T>(key: string): Promise<T | null> {
      const entry = (await caching.get({ key })) as { value?: T } | null
      return entry && "value" in entry ? (entry.value ?? null) : null
    },
    async set(key: string, value: unknown, ttl?: number): Promise<void> {
      await caching.set({ key, data: { value }, ttl, tags: [] })
    },
    async invalidate(key: string): Promise<void> {
      await caching.clear({ key })
    },
  }
}
