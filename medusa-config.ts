import path from "path"
import { defineConfig, loadEnv, Modules } from "@medusajs/framework/utils"
import type { WoowupPluginOptions } from "./src/modules/woowup/options"

loadEnv(process.env.NODE_ENV || "development", process.cwd())

// This repository also runs as a Medusa app that hosts its own plugin, for development, the demo and the
// tests. The module gets exactly the options a user passes under `plugins`.
const woowup: WoowupPluginOptions = {
  apiKey: process.env.WOOWUP_API_KEY as string,
  ...(process.env.WOOWUP_API_URL ? { apiUrl: process.env.WOOWUP_API_URL } : {}),
  ...(process.env.WOOWUP_OPTIONS ? JSON.parse(process.env.WOOWUP_OPTIONS) : {}),
}

const isTest = process.env.NODE_ENV === "test"
// Tests and the demo also get a payment provider that captures at authorization (pp_autocapture_autocapture).
// Absolute path: Medusa rewrites a "./x" provider path outside src/ to "<cwd>/src/x".
const withAutoCapture = isTest || process.env.WOOWUP_DEMO === "true"

// Server and workers on Redis (README, "Deployment: server and workers on Redis"): only when asked, so `npm test`
// and the demo need no Redis. MEDUSA_WORKER_MODE (server | worker | shared) is read by Medusa itself.
const redisUrl = process.env.REDIS_URL
if (process.env.WOOWUP_REDIS_MODULES === "true" && !redisUrl) {
  throw new Error("WOOWUP_REDIS_MODULES=true needs REDIS_URL")
}
const redisModules =
  process.env.WOOWUP_REDIS_MODULES === "true"
    ? [
        { key: Modules.EVENT_BUS, resolve: "@medusajs/medusa/event-bus-redis", options: { redisUrl } },
        { key: Modules.WORKFLOW_ENGINE, resolve: "@medusajs/medusa/workflow-engine-redis", options: { redis: { redisUrl } } },
        {
          key: Modules.LOCKING,
          resolve: "@medusajs/medusa/locking",
          options: {
            providers: [{ resolve: "@medusajs/medusa/locking-redis", id: "locking-redis", is_default: true, options: { redisUrl } }],
          },
        },
      ]
    : []

// Medusa's Caching Module (2.11+, what docs/deployment.md advises instead of the deprecated cache-redis), with its
// in-memory provider: only when asked, for the test that the storefront's points reads use it.
const cachingModule =
  process.env.WOOWUP_CACHING_MODULE === "true"
    ? [{ key: Modules.CACHING, resolve: "@medusajs/medusa/caching", options: { in_memory: { enable: true } } }]
    : []

module.exports = defineConfig({
  projectConfig: {
    databaseUrl: process.env.DATABASE_URL,
    // Local and embedded Postgres speak no SSL; defineConfig would ask for it outside development.
    databaseDriverOptions: process.env.DATABASE_SSL === "true" ? undefined : { connection: { ssl: false } },
    redisUrl: process.env.REDIS_URL,
    http: {
      storeCors: process.env.STORE_CORS || "http://localhost:8000",
      adminCors: process.env.ADMIN_CORS || "http://localhost:9000,http://localhost:5173",
      authCors: process.env.AUTH_CORS || "http://localhost:9000,http://localhost:5173,http://localhost:8000",
      jwtSecret: process.env.JWT_SECRET || "supersecret",
      cookieSecret: process.env.COOKIE_SECRET || "supersecret",
    },
  },
  admin: { disable: isTest || process.env.MEDUSA_ADMIN_DISABLE === "true" },
  modules: [
    { resolve: "./src/modules/woowup", options: woowup },
    ...(withAutoCapture
      ? [{
          key: Modules.PAYMENT,
          resolve: "@medusajs/medusa/payment",
          options: {
            providers: [{ resolve: path.join(__dirname, "integration-tests/fixtures/auto-capture-payment"), id: "autocapture" }],
          },
        }]
      : []),
    // Tests and the demo: the local provider also takes the "email" channel, so the plugin's verification codes
    // are "sent" (logged, and kept in the Notification module's records, where the tests read them).
    ...(withAutoCapture
      ? [{
          key: Modules.NOTIFICATION,
          resolve: "@medusajs/medusa/notification",
          options: {
            providers: [{ resolve: "@medusajs/medusa/notification-local", id: "local", options: { name: "Local", channels: ["feed", "email"] } }],
          },
        }]
      : []),
    ...redisModules,
    ...cachingModule,
  ],
})
