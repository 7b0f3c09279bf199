import fs from "node:fs"
import type { ExecArgs } from "@medusajs/framework/types"
import { createAdminUser, seedStore } from "../integration-tests/helpers"

/**
 * Run by `npm run demo` through `medusa exec`: seeds a store (region, shipping, products, the capture-at-checkout
 * test provider) and an admin user, and writes what the demo needs to `DEMO_SEED_OUT`.
 */
export default async function seedDemo({ container }: ExecArgs) {
  const store = await seedStore(container)
  const admin = await createAdminUser(container, { email: "admin@medusa-demo.local", password: "woowup-demo" })
  fs.writeFileSync(process.env.DEMO_SEED_OUT!, JSON.stringify({ store, admin: { email: admin.email, password: "woowup-demo" } }))
}
