import type { LoaderOptions } from "@medusajs/framework/types"
import { parseWoowupOptions } from "../options"

/**
 * Fails start-up when the plugin options are wrong, naming each wrong option (never echoing the API key).
 */
export default async function validateOptionsLoader({ options }: LoaderOptions) {
  parseWoowupOptions(options)
}
