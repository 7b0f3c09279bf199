import type { IEventBusModuleService, MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { TestEventUtils } from "@medusajs/test-utils"
import type { WoowupPluginOptions } from "../../src/modules/woowup/options"
import type { RewardRecord } from "../../src/modules/woowup/service"
import { startWoowupSandbox, type SandboxOptions, type WoowupSandbox } from "../../src/sandbox"
import { runWoowupReconcileJobWorkflow } from "../../src/workflows/reconcile-orders"

/** How long a test waits for the plugin's subscribers: generous, as CI shares two cores with the database. */
export const EVENT_WAIT_MS = 60_000

/** Runs `action`, then waits until the app's subscribers have handled `event` (`triggerCount` times). */
export async function afterEvent<T>(
  container: MedusaContainer,
  event: string,
  action: () => Promise<T>,
  triggerCount = 1
): Promise<T> {
  const bus = container.resolve<IEventBusModuleService>(Modules.EVENT_BUS)
  // Created before the action: the event may be handled before `action` resolves.
  const handled = TestEventUtils.waitSubscribersExecution(event, bus, { timeout: EVENT_WAIT_MS, triggerCount })
  const result = await action()
  await handled
  return result
}

/**
 * Options that keep retries fast in tests; a suite adds its own. The scheduled job is off (it would tick in the
 * middle of other tests): the reconcile suite runs its workflow itself. The customer sync is off too: it would
 * create each signed-up customer in WoowUp in the background, in the middle of the calls that the award suites
 * count (their customers are created by their first order); customer-sync.spec.ts turns it on.
 */
export const FAST_RETRIES: Partial<WoowupPluginOptions> = {
  timeoutMs: 2_000,
  retryBaseDelayMs: 20,
  retryMaxDelayMs: 200,
  reconcile: { enabled: false },
  syncCustomers: false,
}

/**
 * Starts a WoowUp sandbox for the suite and points the app's plugin options at it. Call it before
 * `medusaIntegrationTestRunner`: its `beforeAll` must run before the app boots. State is reset before each test.
 */
export function useWoowupSandbox(
  pluginOptions: Omit<Partial<WoowupPluginOptions>, "apiKey" | "apiUrl" | "computePoints"> = {},
  sandboxOptions: SandboxOptions = {}
): { readonly sandbox: WoowupSandbox } {
  let sandbox: WoowupSandbox | undefined
  beforeAll(async () => {
    sandbox = await startWoowupSandbox(sandboxOptions)
    process.env.WOOWUP_API_URL = sandbox.url
    process.env.WOOWUP_API_KEY = sandbox.apiKey
    process.env.WOOWUP_OPTIONS = JSON.stringify({
      ...FAST_RETRIES,
      ...pluginOptions,
      reconcile: { ...FAST_RETRIES.reconcile, ...pluginOptions.reconcile },
    })
  })
  beforeEach(() => sandbox!.reset())
  afterAll(async () => {
    await sandbox?.close()
  })
  return {
    get sandbox() {
      return sandbox!
    },
  }
}

/** The reward record as Query returns it (money as numbers, dates as strings over HTTP). */
export type RewardRow = Omit<RewardRecord, "amount"> & { amount: number | null }

/** The order's reward record, read the way the admin reads it: through the order's link. */
export async function getReward(container: MedusaContainer, orderId: string): Promise<RewardRow | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "order", fields: ["id", "woowup_reward.*"], filters: { id: orderId } })
  return (data[0] as any)?.woowup_reward ?? null
}

/** Polls the order's reward record until `done` holds (subscribers run in the background). */
export async function waitForReward(
  container: MedusaContainer,
  orderId: string,
  done: (r: RewardRow) => boolean = (r) => r.status !== "pending",
  timeoutMs = EVENT_WAIT_MS
): Promise<RewardRow> {
  const until = Date.now() + timeoutMs
  let last: RewardRow | null = null
  while (Date.now() < until) {
    last = await getReward(container, orderId)
    if (last && done(last)) {
      return last
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`reward of ${orderId} did not settle in ${timeoutMs} ms; last: ${JSON.stringify(last)}`)
}

/** The sandbox's requests that concern one order's purchase. */
export function purchaseRequests(sandbox: WoowupSandbox, invoiceNumber: string) {
  return sandbox.requests.filter(
    (r) => r.path === "/purchases" && r.method === "POST" && (r.body as any)?.invoice_number === invoiceNumber
  )
}

/**
 * Runs the reconcile job's workflow as the minute ticker would (the suites turn the ticker off), each run at a
 * later quarter hour than the one before, so that a quarter-hourly `reconcile.schedule` finds every run due.
 * `next()` gives such a time, for runs started at the same moment.
 */
export function reconcileJob(getContainer: () => MedusaContainer) {
  let clock = Date.now()
  const next = () => new Date((clock += 15 * 60_000))
  const run = async (now: Date = next()) =>
    (await runWoowupReconcileJobWorkflow(getContainer()).run({ input: { now } })).result
  return { next, run }
}
