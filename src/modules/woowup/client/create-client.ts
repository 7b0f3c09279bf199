import type { WoowupOptions } from "../options"
import { RedisRateLimitStore } from "./redis-store"
import type { RateLimitStore } from "./shared-limiter-store"
import { SharedRateLimiter, processShare } from "./shared-rate-limiter"
import { backgroundLimit, storefrontLimit } from "./lanes"
import type { WoowupClientLogger, WoowupClientOptions } from "./client-types"
import { WoowupClient } from "./woowup-client"

type ClientSettings = Pick<
  WoowupOptions,
  | "apiKey"
  | "apiUrl"
  | "timeoutMs"
  | "maxRetries"
  | "requestsPerMinute"
  | "retryBaseDelayMs"
  | "retryMaxDelayMs"
  | "redisUrl"
  | "processes"
>

export type CreateWoowupClientOverrides = Partial<Omit<WoowupClientOptions, "apiKey" | "limiter" | "logger">> & {
  /** Tests: a store other than Redis for the shared window. */
  store?: RateLimitStore
  /** Tests: passed to the shared limiter (probe interval while Redis is away). */
  probeMs?: number
}

/**
 * The WoowUp client, built from the plugin's options in one place.
 *
 * With a Redis URL (`redisUrl`, or else `REDIS_URL` in the environment, read now), the rate limit lives in Redis
 * and every process of the account shares `requestsPerMinute`; if Redis goes away, this process keeps going at
 * its share, `floor(requestsPerMinute / processes)`, until it is back. Without Redis, the process keeps to that
 * share in memory. `client.close()` also closes the Redis connection.
 *
 * @example
 * const client = createWoowupClient(parseWoowupOptions(options), logger)
 */
export function createWoowupClient(
  options: ClientSettings,
  logger?: WoowupClientLogger,
  overrides: CreateWoowupClientOverrides = {}
): WoowupClient {
  const { store: givenStore, probeMs, ...clientOverrides } = overrides
  const log = bindLogger(logger)
  const windowMs = clientOverrides.rateLimitWindowMs ?? 60_000
  const processes = options.processes ?? 1
  const redisUrl = options.redisUrl ?? (process.env.REDIS_URL || undefined)
  const store = givenStore ?? (redisUrl ? new RedisRateLimitStore({ url: redisUrl, apiKey: options.apiKey }) : undefined)
  const limiter = store
    ? new SharedRateLimiter({
        store,
        limit: options.requestsPerMinute,
        windowMs,
        paceMs: clientOverrides.rateLimitPaceMs,
        processes,
        logger: log,
        clock: clientOverrides.clock,
        probeMs,
        // A slot whose process died mid-request: held for the longest a request can take, and a margin.
        defaultHoldMs: options.timeoutMs + 5_000,
      })
    : undefined

  return new WoowupClient({
    apiKey: options.apiKey,
    apiUrl: options.apiUrl,
    timeoutMs: options.timeoutMs,
    maxRetries: options.maxRetries,
    // Without a shared window, this process keeps to its share of the account's limit.
    requestsPerMinute: limiter ? options.requestsPerMinute : processShare(options.requestsPerMinute, processes),
    retryBaseDelayMs: options.retryBaseDelayMs,
    retryMaxDelayMs: options.retryMaxDelayMs,
    // Storefront reads and the background feeds are counted in this process (even with Redis: see `lanes.ts`):
    // its part of the account's shares, so the processes together stay within them.
    storefrontRequestsPerMinute: storefrontLimit(processShare(options.requestsPerMinute, processes)),
    backgroundRequestsPerMinute: backgroundLimit(processShare(options.requestsPerMinute, processes)),
    ...clientOverrides,
    limiter,
    logger: log,
  })
}

// Medusa's logger methods are called on the logger (some implementations need their `this`).
function bindLogger(logger: WoowupClientLogger | undefined): WoowupClientLogger | undefined {
  if (!logger) return undefined
  return {
    debug: (m) => logger.debug(m),
    info: (m) => logger.info(m),
    warn: (m) => logger.warn(m),
    error: (m) => logger.error(m),
  }
}
