import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { WOOWUP_MODULE } from ".."
import WoowupPointsAdjustment from "../models/woowup-points-adjustment"
import WoowupReconcileRun from "../models/woowup-reconcile-run"
import WoowupReward from "../models/woowup-reward"
import type { RewardSend, RewardSkip } from "../rules"
import type WoowupModuleService from "../service"
import { CLAIM_STALE_MS } from "../service"


const plan = (orderId: string) =>
  ({
    action: "send",
    invoice_number: orderId,
    identity: { field: "email", value: "ana@example.com" },
    points: 100,
    amount: 50,
    currency_code: "usd",
  }) as RewardSend

const synced = { status: "synced" as const, customer_created: false, points: 100, points_unknown: false }
const payments = { captured_amount: "0", refunded_amount: "0", canceled: false }

const nothingCaptured = (orderId: string) =>
  ({ action: "skip", reason: "nothing_captured", invoice_number: orderId, identity: null, amount: 0, currency_code: "usd" }) as RewardSkip

moduleIntegrationTestRunner<WoowupModuleService>({
  moduleName: WOOWUP_MODULE,
  resolve: "./src/modules/woowup",
  moduleModels: [WoowupReward, WoowupPointsAdjustment, WoowupReconcileRun],
  // Nothing here talks to WoowUp: the client is built, never called.
  moduleOptions: { apiKey: "module-test-key", apiUrl: "http://127.0.0.1:9", reconcile: { maxAttempts: 3 } },
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
      expect(await service.recordRewardSkip({ order_id: "order_synced", trigger: "order_placed", skip: nothingCaptured("order_synced"), payments })).toBeNull()
      expect((await service.retrieveWoowupReward(reward!.id)).status).toBe("synced")
    })

    it("takes a skipped reward when the order becomes worth sending", async () => {
      await service.recordRewardSkip({ order_id: "order_later", trigger: "order_placed", skip: nothingCaptured("order_later"), payments })
      expect(await claim("order_later")).toMatchObject({ status: "pending", reason: null, trigger: "payment_captured" })
    })

    const failure = (retryable: boolean) => ({
      status: "failed" as const,
      reason: "WoowUp said no",
      error: { code: retryable ? "internal_error" : "bad_request" } as any,
      retryable,
      customer_created: false,
    })
    const due = (id: string) => service.updateWoowupRewards({ id, next_attempt_at: new Date(Date.now() - 1_000) })

    it("keeps, on a retake, the identity and invoice number a failed send went under; a skip's are replanned", async () => {
      const first = await claim("order_frozen")
      await service.recordPurchaseOutcome(first!, failure(true))
      await due(first!.id)
      const moved = {
        ...plan("order_frozen"),
        invoice_number: "NEW-order_frozen",
        identity: { field: "email", value: "bea@example.com" },
        current_identity: { field: "email", value: "bea@example.com" },
      } as RewardSend
      const retake = await service.claimReward({ order_id: "order_frozen", trigger: "reconcile", plan: moved })
      expect(retake).toMatchObject({
        attempts: 2,
        invoice_number: "order_frozen",
        identity: "ana@example.com",
        current_identifier: "email",
        current_identity: "bea@example.com",
      })

      await service.recordRewardSkip({ order_id: "order_fresh", trigger: "order_placed", skip: nothingCaptured("order_fresh"), payments })
      const fresh = await service.claimReward({ order_id: "order_fresh", trigger: "payment_captured", plan: { ...moved, invoice_number: "NEW-order_fresh" } })
      expect(fresh).toMatchObject({ invoice_number: "NEW-order_fresh", identity: "bea@example.com" })
    })

    it("claims a failed or dead record for a check on the same terms, counting an attempt and rewriting nothing else", async () => {
      const check = (orderId: string, force = false) => service.claimRewardCheck({ order_id: orderId, trigger: "reconcile", force })
      const first = await claim("order_check")
      expect(await check("order_check")).toBeNull()
      await service.recordPurchaseOutcome(first!, failure(true))
      expect(await check("order_check")).toBeNull()
      expect(await check("order_check", true)).toMatchObject({ status: "pending", attempts: 2, identity: "ana@example.com", points: 100 })
      expect(await check("order_check")).toBeNull()
      await service.updateWoowupRewards({ id: first!.id, heartbeat_at: new Date(Date.now() - CLAIM_STALE_MS - 1_000) })
      expect(await check("order_check")).toMatchObject({ status: "pending", attempts: 3, trigger: "reconcile" })
    })

    it("retakes a retryable failure when its next attempt is due; a permanent one only when forced (an admin's resync)", async () => {
      const a = await claim("order_retryable")
      const failed = await service.recordPurchaseOutcome(a!, failure(true))
      expect(failed).toMatchObject({ status: "failed", retryable: true })
      expect(new Date(failed.next_attempt_at!).getTime()).toBeGreaterThan(Date.now() + 30_000)
      expect(await claim("order_retryable")).toBeNull()
      await due(a!.id)
      expect(await claim("order_retryable")).toMatchObject({ status: "pending", attempts: 2, next_attempt_at: null })

      const b = await claim("order_permanent")
      await service.recordPurchaseOutcome(b!, failure(false))
      expect(await claim("order_permanent")).toBeNull()
      expect(await claim("order_permanent", { force: true })).toMatchObject({ status: "pending", attempts: 2 })
    })

    it("spaces the attempts of a failure that keeps coming back, and gives up at the bound with a reason", async () => {
      let reward = await claim("order_bound")
      for (let attempt = 1; attempt < 3; attempt++) {
        const failed = await service.recordPurchaseOutcome(reward!, failure(true))
        expect(failed).toMatchObject({ status: "failed", retryable: true, attempts: attempt })
        await due(reward!.id)
        reward = await claim("order_bound")
      }
      const last = await service.recordPurchaseOutcome(reward!, failure(true))
      expect(last).toMatchObject({ status: "failed", retryable: false, attempts: 3, next_attempt_at: null })
      expect(last.reason).toMatch(/^Gave up after 3 attempts.*WoowUp said no/)
      expect(await claim("order_bound")).toBeNull()
      expect(await claim("order_bound", { force: true })).toMatchObject({ status: "pending", attempts: 4 })
    })

    const stopHeartbeat = (id: string) =>
      service.updateWoowupRewards({ id, heartbeat_at: new Date(Date.now() - CLAIM_STALE_MS - 1_000) })

    it("leaves a claim whose heartbeat goes on alone, and retakes one whose process died", async () => {
      const reward = await claim("order_pending")
      expect(await claim("order_pending")).toBeNull()
      // A live owner: its heartbeat keeps the claim however long the send takes.
      await service.updateWoowupRewards({ id: reward!.id, last_attempt_at: new Date(Date.now() - 3_600_000) })
      expect(await service.heartbeatClaim("woowup_reward", reward!)).toBe(true)
      expect(await claim("order_pending")).toBeNull()
      // A dead one: no heartbeat for longer than CLAIM_STALE_MS.
      await stopHeartbeat(reward!.id)
      expect(await claim("order_pending")).toMatchObject({ id: reward!.id, status: "pending", attempts: 2 })
      expect(await service.heartbeatClaim("woowup_reward", reward!)).toBe(false)
    })

    it("lets only the current claim write the outcome, and never releases a reward that got synced", async () => {
      const first = await claim("order_stale")
      // The first send outlives its claim; another run takes the reward over and syncs it.
      await stopHeartbeat(first!.id)
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
      await service.releaseClaim("woowup_reward", second!)
      expect(await service.retrieveWoowupReward(first!.id)).toMatchObject({ status: "synced" })
    })

    it("never starts a points call on an adjustment claim that went stale while it waited, and lets only its owner write", async () => {
      await service.createWoowupPointsAdjustments({
        order_id: "order_adj",
        cause: "refund",
        token: "refund-1",
        points: -25,
        identifier: "email",
        identity: "ana@example.com",
        description: "[order_adj:refund-1] test",
      })
      const first = await service.claimNextAdjustment({ order_id: "order_adj" })
      expect(first).toMatchObject({ attempts: 1, status: "pending" })
      expect(await service.claimNextAdjustment({ order_id: "order_adj" })).toBeNull()

      // The first run waited (for the rate limiter) past the stale time without a heartbeat: another run takes it.
      await service.updateWoowupPointsAdjustments({ id: first!.id, heartbeat_at: new Date(Date.now() - CLAIM_STALE_MS - 1_000) })
      expect(await service.markAdjustmentSent(first!)).toBe(false)
      const second = await service.claimNextAdjustment({ order_id: "order_adj" })
      expect(second).toMatchObject({ id: first!.id, attempts: 2 })
      expect(await service.markAdjustmentSent(first!)).toBe(false)
      expect(await service.markAdjustmentSent(second!)).toBe(true)

      await service.recordAdjustmentOutcome(second!, { status: "applied" })
      const late = await service.recordAdjustmentOutcome(first!, { status: "refused", reason: "late", error_code: "bad_request" })
      expect(late).toMatchObject({ status: "applied", attempts: 2, sent_at: expect.any(Date) })
    })
  },
})
