import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { WOOWUP_MODULE } from "../../src/modules/woowup"
import type WoowupModuleService from "../../src/modules/woowup/service"
import { useWoowupSandbox } from "../helpers/woowup"


const woowup = useWoowupSandbox({ branchName: "Tienda Centro" })

medusaIntegrationTestRunner({
  testSuite: ({ getContainer }) => {
    it("boots the app with the plugin's module, its options validated and defaulted", async () => {
      const service = getContainer().resolve<WoowupModuleService>(WOOWUP_MODULE)
      const options = await service.getOptions()
      expect(options).toMatchObject({
        apiUrl: woowup.sandbox.url,
        branchName: "Tienda Centro",
        requestsPerMinute: 140,
        identifier: "email",
      })
    })

    it("talks to WoowUp over HTTP with the configured key", async () => {
      const service = getContainer().resolve<WoowupModuleService>(WOOWUP_MODULE)
      await expect(service.client.customerExists({ email: "ping@example.com" })).resolves.toBe(false)
      expect(woowup.sandbox.requests).toEqual([
        expect.objectContaining({ method: "GET", path: "/multiusers/exist", status: 200 }),
      ])
    })
  },
})
