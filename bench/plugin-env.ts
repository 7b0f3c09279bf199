/** The environment of a `medusa start` with the plugin, talking to a sandbox, with the plugin's options. */
import { medusaEnv, type SeededApp } from "../integration-tests/helpers/medusa-process"
import type { WoowupSandbox } from "../src/sandbox"

export function pluginEnv(app: SeededApp, sandbox: WoowupSandbox, options: Record<string, unknown>, extra: Record<string, string | undefined> = {}) {
  return medusaEnv({
    NODE_ENV: "production",
    DATABASE_URL: app.databaseUrl,
    REDIS_URL: undefined,
    WOOWUP_REDIS_MODULES: undefined,
    WOOWUP_API_URL: sandbox.url,
    WOOWUP_API_KEY: sandbox.apiKey,
    WOOWUP_OPTIONS: JSON.stringify(options),
    // For looking into a run (e.g. --cpu-prof, --trace-gc); unset in normal runs.
    NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS,
    ...extra,
  })
}
