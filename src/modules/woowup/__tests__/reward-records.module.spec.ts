import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { WOOWUP_MODULE } from ".."
import WoowupPointsAdjustment from "../models/woowup-points-adjustment"
import WoowupReward from "../models/woowup-reward"
import type { RewardSend, RewardSkip } from "../rules"
import type WoowupModuleService from "../service"


const plan = (orderId: string) =>
  ({
    action: "send",
    invoice_number: orderId,
    identity: { field: "email", value: "ana@example.com" },
    points: 100,
    amount: 50,
    currency_code: "usd",
  }) as RewardSend

const synced = { status: "synced" as const, customer_created: false, points: 100 }

const nothingCaptured = (orderId: string) =>
  ({ action: "skip", reason: "nothing_captured", invoice_number: orderId, identity: null, amount: 0, currency_code: "usd" }) as RewardSkip

moduleIntegrationTestRunner<WoowupModuleService>({
  moduleName: WOOWUP_MODULE,
  resolve: "./src/modules/woowup",
  moduleModels: [WoowupReward, WoowupPointsAdjustment],
  // Nothing here talks to WoowUp: the client is built, never called.
  moduleOptions: { apiKey: "module-test-key", apiUrl: "http://127.0.0.1:9" },
  testSuite: ({ service }) => {
    const claim = (orderId: string, extra: { force?: boolean } = {}) =>
      service.claimReward({ order_id: orderId, trigger: "payment_captured", plan: plan(orderId), ...extra })

    it("lets exactly one of many simultaneous claims on an order through", async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => claim("order_race")))
      const winners = results.filter(Boolean)
      expect(winners).toHaveLength(1)
      expect(winners[0]).toMatchObject({ order_id: "order_race", status: "pending", attempts: 1, points: 100 })
      expect(await service.listWoowupRewards({ order_id: "order_race" })).toHaveLength(1)
    })

    it("never takes a synced reward again, and a skip never hides it", async () => {
      const reward = await claim("order_synced")
      await service.recordPurchaseOutcome(reward!, synced)
      expect(await claim("order_synced")).toBeNull()
      expect(await claim("order_synced", { force: true })).toBeNull()
      expect(await service.recordRewardSkip({ order_id: "order_synced", trigger: "order_placed", skip: nothingCaptured("order_synced") })).toBeNull()
      expect((await service.retrieveWoowupReward(reward!.id)).status).toBe("synced")
    })

    it("takes a skipped reward when the order becomes worth sending", async () => {
      await service.recordRewardSkip({ order_id: "order_later", trigger: "order_placed", skip: nothingCaptured("order_later") })
      expect(await claim("order_later")).toMatchObject({ status: "pending", reason: null, trigger: "payment_captured" })
    })

    it("retakes a retryable failure; a permanent one only when forced (an admin's resync)", async () => {
      const failure = (retryable: boolean) => ({
        status: "failed" as const,
        reason: "WoowUp said no",
        error: { code: retryable ? "internal_error" : "bad_request" } as any,
        retryable,
        customer_created: false,
      })
      const a = await claim("order_retryable")
      await service.recordPurchaseOutcome(a!, failure(true))
      expect(await claim("order_retryable")).toMatchObject({ status: "pending", attempts: 2 })

      const b = await claim("order_permanent")
      await service.recordPurchaseOutcome(b!, failure(false))
      expect(await claim("order_permanent")).toBeNull()
      expect(await claim("order_permanent", { force: true })).toMatchObject({ status: "pending", attempts: 2 })
    })

    it("leaves a fresh pending claim alone, and retakes one whose process died", async () => {
      const reward = await claim("order_pending")
      expect(await claim("order_pending")).toBeNull()
      await service.updateWoowupRewards({ id: reward!.id, last_attempt_at: new Date(Date.now() - service.staleClaimMs - 1_000) })
      expect(await claim("order_pending")).toMatchObject({ id: reward!.id, status: "pending", attempts: 2 })
    })

    it("lets only the current claim write the outcome, and never releases a reward that got synced", async () => {
      const first = await claim("order_stale")
      // The first send outlives its claim; another run takes the reward over and syncs it.
      await service.updateWoowupRewards({ id: first!.id, last_attempt_at: new Date(Date.now() - service.staleClaimMs - 1_000) })
      const second = await claim("order_stale")
      expect(second).toMatchObject({ attempts: 2 })
      await service.recordPurchaseOutcome(second!, synced)

      const late = await service.recordPurchaseOutcome(first!, {
        status: "failed",
        reason: "timeout",
        error: { code: "timeout" } as any,
        retryable: true,
        customer_created: false,
      })
      expect(late).toMatchObject({ status: "synced", attempts: 2 })
      await service.releaseRewardClaim(second!)
      expect(await service.retrieveWoowupReward(first!.id)).toMatchObject({ status: "synced" })
    })

    it("tops up captured points to the highest target however many runs race, and only for a synced reward", async () => {
      expect(await service.recordCapturedPointsTopUp({ order_id: "order_topup", target_points: 100 })).toBeNull()
      const reward = await claim("order_topup") // 100 points in the plan
      expect(await service.recordCapturedPointsTopUp({ order_id: "order_topup", target_points: 150 })).toBeNull()
      await service.recordPurchaseOutcome(reward!, synced)

      // Runs that saw different captured amounts, all at once: the customer must end with the highest target.
      const targets = [120, 150, 130, 150, 100, 150, 90, 140]
      await Promise.all(targets.map((target_points) => service.recordCapturedPointsTopUp({ order_id: "order_topup", target_points })))
      const adjustments = await service.listWoowupPointsAdjustments({ order_id: "order_topup" })
      expect(adjustments.reduce((sum, a) => sum + a.points, 0)).toBe(50)
      expect(adjustments.every((a) => a.cause === "capture" && a.status === "pending" && a.identity === "ana@example.com")).toBe(true)
      expect(await service.recordCapturedPointsTopUp({ order_id: "order_topup", target_points: 150 })).toBeNull()
    })
  },
})
