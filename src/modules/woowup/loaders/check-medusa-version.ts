import type { LoaderOptions } from "@medusajs/framework/types"
import { MedusaError } from "@medusajs/framework/utils"
import { installedMedusaVersion, SUPPORTED_MEDUSA_RANGE, unsupportedMedusaReason } from "../medusa-version"

/**
 * Stops start-up on a Medusa version outside the supported range: there the plugin would load and quietly send
 * nothing (as on 2.17.0 and 2.18.0), which is worse than not starting. `WOOWUP_SKIP_MEDUSA_VERSION_CHECK=true` lets a
 * developer try another version anyway, with a warning.
 */
export default async function checkMedusaVersionLoader({ logger }: LoaderOptions) {
  const version = installedMedusaVersion()
  const reason = unsupportedMedusaReason(version)
  if (!reason) {
    return
  }
  if (process.env.WOOWUP_SKIP_MEDUSA_VERSION_CHECK === "true") {
    logger?.warn(`medusa-plugin-woowup: running on Medusa ${version}, outside the supported ${SUPPORTED_MEDUSA_RANGE} (WOOWUP_SKIP_MEDUSA_VERSION_CHECK=true): orders may not reach WoowUp`)
    return
  }
  throw new MedusaError(MedusaError.Types.INVALID_DATA, reason)
}
