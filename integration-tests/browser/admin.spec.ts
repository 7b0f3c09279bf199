/**
 * The plugin in the Medusa admin, in a real browser: Debian's Chromium driven by playwright-core, against the
 * app built with `medusa build` (dashboard included) and served by `medusa start` (see ./app.ts).
 *
 * A merchant logs in through the login form; opens a rewarded order and sees its status and points; opens an
 * order WoowUp refused (the sandbox answers its purchase with a 400), and once WoowUp accepts again, presses
 * Resync and sees it synced; opens the WoowUp page, sees the counts, filters the rewards to the failed ones,
 * previews a reconcile (a dry run) and runs it; sees each feed, with a customer WoowUp refused, and resyncs the failed
 * customers; imports the store's history over a window: a dry run's estimate, then the import, paused, resumed, and
 * its progress bar to its end, with its failures and their CSV.
 *
 * Screenshots go to integration-tests/browser/artifacts/ (git-ignored), with the server's log. With
 * WOOWUP_DOCS_SCREENSHOTS=true the two README screenshots are written to docs/ too.
 *
 * Run: `npm test -- integration:browser` (skipped, saying so, when there is no Chromium at /usr/bin/chromium or
 * CHROMIUM_PATH).
 */
import fs from "node:fs"
import os from "node:os"
import path from "node:path"
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core"
import {
  capturePayment,
  loginAdmin,
  loginOrRegisterCustomer,
  placeOrder,
  type AuthHeaders,
  type LoggedInCustomer,
  type PlacedOrder,
  storeHeaders,
  verifyWoowupIdentity,
} from "../helpers"
import { completeCart, createCart } from "../helpers/store-carts"
import { REPO, startBrowserApp, type BrowserApp } from "./app"
import { driveImportFromWoowupPage } from "./import-history"

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium"
const ARTIFACTS = path.join(__dirname, "artifacts")
const DOCS = process.env.WOOWUP_DOCS_SCREENSHOTS === "true" ? path.join(REPO, "docs") : null
/** How long the page may take to show something: generous, the server shares two cores with the browser. */
const UI_MS = 60_000
const SETUP_MS = 420_000

const hasChromium = fs.existsSync(CHROMIUM)
if (!hasChromium) {
  console.warn(`integration:browser skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`)
}
const describeWithChromium = hasChromium ? describe : describe.skip

type Reward = { status: string; reason: string | null; error_code: string | null; points: number | null; invoice_number: string | null }

describeWithChromium("WoowUp in the Medusa admin (browser)", () => {
  let app: BrowserApp
  let context: BrowserContext
  let page: Page
  let admin: AuthHeaders
  const orders: Record<"rewarded" | "refused" | "stuck" | "outage" | "uncaptured", PlacedOrder> = {} as any
  const rewards: Record<string, Reward> = {}
  /** A customer WoowUp refused at sign-up (the customers feed's failure). */
  let refusedCustomer: LoggedInCustomer
  const timings: Record<string, number> = {}
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "woowup-chromium-"))

  const readReward = async (orderId: string): Promise<Reward | null> => {
    const { data } = await app.api.get(`/admin/orders/${orderId}?fields=id,*woowup_reward`, admin)
    return data.order.woowup_reward ?? null
  }

  const waitForReward = async (orderId: string, status: string, timeoutMs = 60_000): Promise<Reward> => {
    const until = Date.now() + timeoutMs
    let last: Reward | null = null
    while (Date.now() < until) {
      last = await readReward(orderId)
      if (last?.status === status) {
        return last
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    throw new Error(`the reward of ${orderId} did not become ${status} in ${timeoutMs} ms; last: ${JSON.stringify(last)}`)
  }

  const readCustomerSync = async (customerId: string): Promise<{ status: string; error_code: string | null } | null> => {
    const { data } = await app.api.get(`/admin/customers/${customerId}?fields=id,*woowup_customer_sync`, admin)
    return data.customer.woowup_customer_sync ?? null
  }

  const waitForCustomerSync = async (customerId: string, status: string, timeoutMs = 60_000) => {
    const until = Date.now() + timeoutMs
    let last = await readCustomerSync(customerId)
    while (last?.status !== status) {
      if (Date.now() > until) {
        throw new Error(`the sync of ${customerId} did not become ${status} in ${timeoutMs} ms; last: ${JSON.stringify(last)}`)
      }
      await new Promise((r) => setTimeout(r, 250))
      last = await readCustomerSync(customerId)
    }
    return last
  }

  /** The number on a status tile of the WoowUp page (a tile reads "Synced" over its number). */
  const countOf = async (status: string) =>
    Number((await page.getByTestId(`woowup-count-${status}`).innerText()).replace(/\D+/g, ""))

  const waitForCount = async (status: string, n: number) => {
    const until = Date.now() + UI_MS
    while ((await countOf(status)) !== n) {
      if (Date.now() > until) {
        throw new Error(`the ${status} count stayed ${await countOf(status)}, expected ${n}`)
      }
      await page.waitForTimeout(250)
    }
  }

  const shot = async (name: string, target: Page | Locator = page, docsName?: string) => {
    const file = path.join(ARTIFACTS, `${name}.png`)
    if ("goto" in target) {
      await target.screenshot({ path: file, fullPage: true })
    } else {
      await target.screenshot({ path: file })
    }
    if (DOCS && docsName) {
      fs.mkdirSync(DOCS, { recursive: true })
      fs.copyFileSync(file, path.join(DOCS, docsName))
    }
  }

  const order = (name: string, n: number) => ({
    email: `${name.toLowerCase()}@example.com`,
    password: "browser-test",
    first_name: name,
    last_name: `Tester ${n}`,
  })

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true })
    const started = Date.now()
    app = await startBrowserApp({ artifacts: ARTIFACTS, log: (line) => console.log(`[browser app] ${line}`) })
    Object.assign(timings, app.timings)
    admin = await loginAdmin(app.api, app.admin)

    let t = Date.now()
    const { api, store, sandbox } = app
    const items = [{ variant_id: store.variants.standard, quantity: 2 }]

    // First, an order captured while WoowUp is down (503): a failure worth retrying, which a reconcile sends once
    // its next attempt is due (a minute after the failure; see the reconcile step below).
    sandbox.setFaults({ script: [{ method: "POST", path: "/purchases", fault: 503, times: 1000 }] })
    orders.outage = await placeOrder(api, store, { customer: order("Nora", 4), items })
    await capturePayment(api, admin, orders.outage.id)
    rewards.outage = await waitForReward(orders.outage.id, "failed")

    // An order WoowUp rewards.
    sandbox.setFaults({})
    orders.rewarded = await placeOrder(api, store, { customer: order("Ana", 1), items })
    await capturePayment(api, admin, orders.rewarded.id)
    rewards.rewarded = await waitForReward(orders.rewarded.id, "synced")

    // Two orders WoowUp refuses as invalid, until the fault is cleared.
    sandbox.setFaults({ script: [{ method: "POST", path: "/purchases", fault: 400, times: 1000 }] })
    orders.refused = await placeOrder(api, store, { customer: order("Luis", 2), items })
    await capturePayment(api, admin, orders.refused.id)
    orders.stuck = await placeOrder(api, store, { customer: order("Marta", 3), items })
    await capturePayment(api, admin, orders.stuck.id)
    rewards.refused = await waitForReward(orders.refused.id, "failed")
    rewards.stuck = await waitForReward(orders.stuck.id, "failed")

    // An order placed and not captured yet.
    orders.uncaptured = await placeOrder(api, store, { email: "guest@example.com", items })
    rewards.uncaptured = (await waitForReward(orders.uncaptured.id, "skipped").catch(() => null)) as Reward

    // A customer WoowUp refuses as invalid when they sign up (purchases stay refused too, until the Resync below).
    sandbox.setFaults({
      script: [
        { method: "POST", path: "/purchases", fault: 400, times: 1000 },
        { method: "POST", path: "/users", fault: 400, times: 1000 },
      ],
    })
    refusedCustomer = await loginOrRegisterCustomer(api, store, order("Olga", 5))
    await waitForCustomerSync(refusedCustomer.id, "failed")
    timings.orders = Date.now() - t

    t = Date.now()
    // A fresh profile (userDataDir) per run; Playwright takes it as launchPersistentContext's argument.
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      // Without these, Chromium's background connections are refused by this machine's closed network and it hangs.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1440, height: 1000 },
      // `medusa start` runs in production mode, where the session cookie is Secure: as behind a TLS-terminating
      // proxy, the server is told the original request was https (express-session trusts the proxy header).
      extraHTTPHeaders: { "x-forwarded-proto": "https" },
    })
    context.setDefaultTimeout(UI_MS)
    page = context.pages()[0] ?? (await context.newPage())
    page.on("pageerror", (e) => console.log(`[browser] page error: ${e.message}`))
    timings.browser = Date.now() - t
    timings.setup = Date.now() - started
  }, SETUP_MS)

  afterAll(async () => {
    await page?.screenshot({ path: path.join(ARTIFACTS, "last.png"), fullPage: true }).catch(() => {})
    await context?.close().catch(() => {})
    await app?.stop()
    fs.rmSync(userDataDir, { recursive: true, force: true })
    console.log(`browser test timings (ms): ${JSON.stringify(timings)}`)
  }, 60_000)

  it("logs in as an admin through the login form", async () => {
    await page.goto(`${app.adminUrl}/login`)
    await page.locator('input[name="email"]').fill(app.admin.email)
    await page.locator('input[name="password"]').fill(app.admin.password)
    await shot("01-login")
    await page.locator('button[type="submit"]').click()
    await page.waitForURL(/\/app\/orders/, { timeout: UI_MS })
  })

  it("shows a rewarded order's WoowUp status and points", async () => {
    expect(rewards.rewarded.points).toBeGreaterThan(0)
    await page.goto(`${app.adminUrl}/orders/${orders.rewarded.id}`)
    const widget = page.getByTestId("woowup-order-widget")
    await widget.getByTestId("woowup-order-status").filter({ hasText: "Synced" }).waitFor()
    expect(await widget.getByTestId("woowup-points-awarded").innerText()).toContain(rewards.rewarded.points!.toLocaleString("en-US"))
    expect(await widget.innerText()).toContain(rewards.rewarded.invoice_number!)
    // Nothing to do: no Resync button.
    expect(await widget.getByTestId("woowup-resync").count()).toBe(0)
    await shot("02-order-synced")
    await shot("02-order-synced-widget", widget)
  })

  it("says why WoowUp refused an order, and Resync sends it once WoowUp accepts it", async () => {
    expect(rewards.refused).toMatchObject({ status: "failed", error_code: "bad_request" })
    await page.goto(`${app.adminUrl}/orders/${orders.refused.id}`)
    const widget = page.getByTestId("woowup-order-widget")
    await widget.getByTestId("woowup-order-status").filter({ hasText: "Failed" }).waitFor()
    const problem = await widget.getByTestId("woowup-order-problem").innerText()
    expect(problem).toMatch(/^WoowUp refused the purchase as invalid: .*injected by the WoowUp sandbox/)
    expect(problem).not.toMatch(/POST \/purchases|HTTP 400|\bat \S+:\d+/)
    await shot("03-order-failed")
    await shot("03-order-failed-widget", widget, "admin-order-widget.png")

    // WoowUp accepts purchases again.
    app.sandbox.setFaults({})
    const resync = widget.getByTestId("woowup-resync")
    await resync.click()
    await widget.getByTestId("woowup-order-status").filter({ hasText: "Synced" }).waitFor()
    expect(await widget.getByTestId("woowup-resync").count()).toBe(0)
    expect(await widget.getByTestId("woowup-order-problem").count()).toBe(0)
    const synced = await readReward(orders.refused.id)
    expect(synced).toMatchObject({ status: "synced" })
    expect(app.sandbox.state.purchases.filter((p) => p.invoice_number === synced!.invoice_number)).toHaveLength(1)
    await shot("04-order-resynced")
  })

  it("shows the WoowUp page: connection, counts, rewards filtered to the failed ones, and a reconcile", async () => {
    expect(rewards.stuck).toMatchObject({ status: "failed", error_code: "bad_request" })
    expect(rewards.outage).toMatchObject({ status: "failed", error_code: "http_503" })
    await page.getByRole("link", { name: "WoowUp", exact: true }).first().click()
    await page.waitForURL(/\/app\/woowup/)
    await page.getByTestId("woowup-connection-status").filter({ hasText: "Connected" }).waitFor()
    const counts = page.getByTestId("woowup-counts")
    await counts.waitFor()
    await waitForCount("synced", 2)
    expect({ failed: await countOf("failed"), skipped: await countOf("skipped"), pending: await countOf("pending") }).toEqual({
      failed: 2,
      skipped: 1,
      pending: 0,
    })
    const rows = page.getByTestId("woowup-rewards").locator("tbody tr")
    await rows.filter({ hasText: orders.stuck.id }).waitFor()
    expect(await rows.count()).toBe(5)
    expect(await rows.filter({ hasText: orders.uncaptured.id }).innerText()).toContain("Not captured yet")
    // The Resync's toast fades out first, for a clean picture.
    await page.locator("[data-sonner-toast]").first().waitFor({ state: "detached", timeout: 15_000 }).catch(() => {})
    await shot("05-woowup-page", page, "admin-woowup-page.png")

    // Filter the table to the failed rewards with the DataTable's filter menu.
    await page.getByTestId("woowup-rewards-filter").locator("button").first().click()
    await page.getByRole("menuitem", { name: "Status" }).click()
    await page.getByRole("dialog").getByRole("button", { name: "Failed" }).click()
    await page.keyboard.press("Escape")
    await rows.filter({ hasText: orders.rewarded.id }).waitFor({ state: "detached" })
    expect(await rows.count()).toBe(2)
    expect(await rows.filter({ hasText: orders.stuck.id }).innerText()).toContain("WoowUp refused the purchase as invalid")
    expect(await rows.filter({ hasText: orders.outage.id }).innerText()).toMatch(/HTTP 503.*tried again automatically/)
    await shot("06-woowup-failed")

    // Reconcile now: a dry run previews what it would send (the retryable failure; a refused order needs its own
    // Resync), then it runs for real: an admin's reconcile does not wait for a failure's next attempt time.
    await page.getByTestId("woowup-reconcile-open").click()
    const drawer = page.getByTestId("woowup-reconcile-drawer")
    await drawer.getByTestId("woowup-reconcile-preview-button").click()
    const preview = drawer.getByTestId("woowup-reconcile-preview")
    await preview.waitFor()
    expect(await preview.innerText()).toContain("1 order would be sent to WoowUp")
    // A dry run sends nothing.
    expect((await readReward(orders.outage.id))?.status).toBe("failed")
    await shot("07-reconcile-preview")

    await drawer.getByTestId("woowup-reconcile-run").click()
    await page.getByRole("alertdialog").getByRole("button", { name: "Reconcile" }).click()
    await page.getByText("Reconcile finished").first().waitFor()
    expect((await readReward(orders.outage.id))?.status).toBe("synced")
    expect((await readReward(orders.stuck.id))?.status).toBe("failed")
    await rows.filter({ hasText: orders.outage.id }).waitFor({ state: "detached" })
    await waitForCount("failed", 1)
    expect(await page.getByTestId("woowup-runs").innerText()).toMatch(/1 order found, 1 sent/)
    await shot("08-reconciled")
  })

  it("shows each feed with its failures, and Resync failed sends the failed customers again", async () => {
    const started = Date.now()
    const feeds = page.getByTestId("woowup-feeds")
    const customers = feeds.getByTestId("woowup-feed-customers")
    const failures = customers.getByTestId("woowup-feed-customers-failures").locator("tbody tr")
    await failures.filter({ hasText: refusedCustomer.id }).waitFor()
    expect(await failures.count()).toBe(1)
    const failure = await failures.innerText()
    expect(failure).toMatch(/WoowUp refused the customer as invalid: .*injected by the WoowUp sandbox/)
    expect(failure).toContain("Only on a resync")
    expect(await failures.getByRole("link").getAttribute("href")).toMatch(new RegExp(`/customers/${refusedCustomer.id}$`))
    // Ana, Luis, Marta and Nora synced at sign-up; Olga refused.
    const feedCount = async (feed: string, status: string) =>
      Number((await feeds.getByTestId(`woowup-feed-${feed}-count-${status}`).innerText()).replace(/\D+/g, ""))
    expect({ synced: await feedCount("customers", "synced"), failed: await feedCount("customers", "failed") }).toEqual({ synced: 4, failed: 1 })
    expect(await customers.getByTestId("woowup-feed-customers-enabled").innerText()).toBe("On")
    // The orders feed: the refused order, with its own Resync failed (the reconcile drawer); products are off.
    expect(await feedCount("orders", "failed")).toBe(1)
    const orderFailures = await feeds.getByTestId("woowup-feed-orders-failures").innerText()
    expect(orderFailures).toContain(orders.stuck.id)
    expect(orderFailures).toContain("Only with Resync on the order's page")
    expect(await feeds.getByTestId("woowup-feed-orders-resync").count()).toBe(1)
    expect(await feeds.getByTestId("woowup-feed-products-enabled").innerText()).toBe("Off")
    expect(await feeds.getByTestId("woowup-feed-products-resync").count()).toBe(0)
    await shot("09-woowup-feeds", feeds)

    // WoowUp takes customers again (the faults were cleared by the order's Resync above).
    expect(await readCustomerSync(refusedCustomer.id)).toMatchObject({ status: "failed", error_code: "bad_request" })
    await customers.getByTestId("woowup-feed-customers-resync").click()
    await page.getByText("Resync finished").first().waitFor()
    expect(await readCustomerSync(refusedCustomer.id)).toMatchObject({ status: "synced" })
    expect(app.sandbox.state.customers.filter((c) => c.email === "olga@example.com")).toHaveLength(1)
    const { data } = await app.api.get("/admin/woowup/status", admin)
    expect(data.status.runs[0]).toMatchObject({ kind: "resync", all_customers: true, only_failed: true, customers_found: 1, customers_sent: 1 })
    await customers.getByTestId("woowup-feed-customers-failures").waitFor({ state: "detached" })
    expect(await feedCount("customers", "synced")).toBe(5)
    expect(await customers.getByTestId("woowup-feed-customers-resync").count()).toBe(0)
    await shot("10-woowup-feeds-resynced", feeds)
    timings.feeds = Date.now() - started
  })

  it("keeps working, and says so, when WoowUp is down", async () => {
    app.sandbox.setFaults({ errorRate: 1, errorStatuses: [503] })
    try {
      await page.reload()
      await page.getByTestId("woowup-connection-status").filter({ hasText: "Unreachable" }).waitFor()
      const connection = await page.getByTestId("woowup-connection").innerText()
      expect(connection).toContain("WoowUp can't be reached right now")
      expect(connection).toContain("WoowUp was unavailable (HTTP 503).")
      await waitForCount("synced", 3)
      await page.getByTestId("woowup-rewards").locator("tbody tr").filter({ hasText: orders.stuck.id }).waitFor()
      await shot("11-woowup-down")
    } finally {
      app.sandbox.setFaults({})
    }
  })

  it("drives an import from the WoowUp page, with its dry run and progress bar", async () => {
    const started = Date.now()
    // In ./import-history.ts, on this suite's app, page and orders.
    await driveImportFromWoowupPage({
      app,
      page,
      admin,
      stuckOrderId: orders.stuck.id,
      uiMs: UI_MS,
      shot,
      waitForReward,
      waitForCustomerSync,
    })
    timings.import = Date.now() - started
  })

  // Last: its order must not change the counts the tests above check.
  it("shows the points a customer spent on an order: how many, their value, the debit", async () => {
    const { api, store, sandbox } = app
    const paula = order("Paula", 6)
    const customer = await loginOrRegisterCustomer(api, store, paula)
    await verifyWoowupIdentity(api, admin, customer.id)
    const post = (p: string, body: unknown) =>
      fetch(`${sandbox.url}${p}`, {
        method: "POST",
        headers: { authorization: `Basic ${sandbox.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      })
    await post("/users", { email: paula.email })
    await post("/multiusers/points", { email: paula.email, points: 50, concept: "gift", description: "welcome" })
    const cart = await createCart(api, store, { items: [{ variant_id: store.variants.standard, quantity: 2 }], token: customer.token })
    await api.post(`/store/carts/${cart.id}/woowup-points`, { points: 20 }, storeHeaders(store, customer.token))
    const orderId = await completeCart(api, store, cart, paula.email)
    await capturePayment(api, admin, orderId)
    await waitForReward(orderId, "synced")

    await page.goto(`${app.adminUrl}/orders/${orderId}`)
    const widget = page.getByTestId("woowup-order-widget")
    const redemption = widget.getByTestId("woowup-redemption")
    await redemption.waitFor()
    expect(await widget.getByTestId("woowup-points-redeemed").innerText()).toContain("20")
    expect(await widget.getByTestId("woowup-redemption-value").innerText()).toContain("2.00 USD")
    await widget.getByTestId("woowup-redemption-debit").filter({ hasText: "Debited" }).waitFor()
    await shot("12-order-redemption", widget)
  })
})
