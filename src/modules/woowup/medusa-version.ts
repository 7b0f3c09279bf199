import fs from "node:fs"
import path from "node:path"

/**
 * The Medusa versions the plugin runs on: the peer range of `@medusajs/*` in package.json (a unit test keeps the
 * two equal). 2.19.0 is the lowest minor measured to reward orders (integration-tests/package). On 2.18.0 a captured
 * order of 50 USD was skipped as `zero_points` (the order amounts the plugin reads came out 0), on 2.17.0 every
 * order ended skipped: neither sent WoowUp anything.
 */
export const SUPPORTED_MEDUSA = { lowest: "2.19.0", belowMajor: 3 } as const
export const SUPPORTED_MEDUSA_RANGE = `>=${SUPPORTED_MEDUSA.lowest} <${SUPPORTED_MEDUSA.belowMajor}`

type Version = [major: number, minor: number, patch: number]

function parseVersion(version: string): Version | null {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version.trim())
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null
}

/**
 * Why `version` is outside {@link SUPPORTED_MEDUSA_RANGE}, or null when it is inside. A prerelease counts as its
 * release (2.22.0-snapshot-... is 2.22.0), so stores on Medusa's previews are not refused.
 */
export function unsupportedMedusaReason(version: string): string | null {
  const parsed = parseVersion(version)
  if (!parsed) {
    return `medusa-plugin-woowup could not read the installed @medusajs/framework version ("${version}"); it supports Medusa ${SUPPORTED_MEDUSA_RANGE}`
  }
  const lowest = parseVersion(SUPPORTED_MEDUSA.lowest)!
  const tooOld = parsed[0] < lowest[0] || (parsed[0] === lowest[0] && (parsed[1] < lowest[1] || (parsed[1] === lowest[1] && parsed[2] < lowest[2])))
  if (tooOld || parsed[0] >= SUPPORTED_MEDUSA.belowMajor) {
    return `medusa-plugin-woowup supports Medusa ${SUPPORTED_MEDUSA_RANGE}; this store runs @medusajs/framework ${version}. ${
      tooOld ? `Upgrade Medusa to ${SUPPORTED_MEDUSA.lowest} or later` : "Use a plugin version made for this Medusa major"
    }, or remove the plugin from medusa-config.`
  }
  return null
}

/**
 * The `@medusajs/framework` this process loads (the one Medusa itself runs on). Its exports map has no
 * `./package.json`, so its package.json is found from its entry point upwards.
 */
export function installedMedusaVersion(): string {
  let dir = path.dirname(require.resolve("@medusajs/framework"))
  for (;;) {
    const file = path.join(dir, "package.json")
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8"))
      if (pkg.name === "@medusajs/framework") {
        return String(pkg.version)
      }
    }
    const parent = path.dirname(dir)
    if (parent === dir) {
      return "unknown"
    }
    dir = parent
  }
}
