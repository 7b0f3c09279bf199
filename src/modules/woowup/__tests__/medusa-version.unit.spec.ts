import fs from "node:fs"
import path from "node:path"
import { installedMedusaVersion, SUPPORTED_MEDUSA_RANGE, unsupportedMedusaReason } from "../medusa-version"

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../../../package.json"), "utf8"))

describe("the supported Medusa versions", () => {
  it("are the peer range package.json declares for every Medusa package", () => {
    const medusaPeers = ["@medusajs/framework", "@medusajs/medusa", "@medusajs/cli", "@medusajs/admin-sdk", "@medusajs/test-utils", "@medusajs/icons"]
    for (const name of medusaPeers) {
      expect([name, pkg.peerDependencies[name]]).toEqual([name, SUPPORTED_MEDUSA_RANGE])
    }
  })

  it("accept the lowest supported version, later minors and their previews", () => {
    for (const v of ["2.19.0", "2.19.1", "2.20.1", "2.21.2", "2.22.0-snapshot-20260911212358", "2.99.0"]) {
      expect([v, unsupportedMedusaReason(v)]).toEqual([v, null])
    }
  })

  it("refuse older versions and the next major, naming the supported range and the installed version", () => {
    for (const v of ["2.18.0", "2.17.0", "2.18.9-preview-1", "1.20.0", "3.0.0"]) {
      const reason = unsupportedMedusaReason(v)
      expect(reason).toContain(`supports Medusa ${SUPPORTED_MEDUSA_RANGE}`)
      expect(reason).toContain(v)
    }
    expect(unsupportedMedusaReason("2.17.0")).toContain("Upgrade Medusa to 2.19.0 or later")
  })

  it("refuse a version it cannot read, saying so", () => {
    expect(unsupportedMedusaReason("latest")).toMatch(/could not read the installed @medusajs\/framework version \("latest"\)/)
  })

  it("read the version of the @medusajs/framework this process loads", () => {
    const framework = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../../../node_modules/@medusajs/framework/package.json"), "utf8"))
    expect(installedMedusaVersion()).toBe(framework.version)
  })
})
