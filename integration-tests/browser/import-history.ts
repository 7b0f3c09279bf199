/**
 * The browser test's import of the store's history from the WoowUp page (admin.spec.ts runs it on its app, after
 * its other steps): a dry run's estimate against the API's, a second import refused with a 409 while another
 * admin's runs, that one paused while WoowUp holds a customer's creation, cancel's confirmation declined, resumed,
 * and its progress bar to its total, with its counts, failures and their CSV.
 */
import fs from "node:fs"
import type { Locator, Page } from "playwright-core"
import { capturePayment, loginOrRegisterCustomer, placeOrder, type AuthHeaders } from "../helpers"
import type { BrowserApp } from "./app"

export type ImportScenario = {
  app: BrowserApp
  page: Page
  admin: AuthHeaders
  /** Marta's order, which WoowUp refused as invalid earlier in the suite. */
  stuckOrderId: string
  uiMs: number
  shot: (name: string, target: Locator) => Promise<void>
  waitForReward: (orderId: string, status: string) => Promise<unknown>
  waitForCustomerSync: (customerId: string, status: string) => Promise<unknown>
}

const PIA = { email: "pia@example.com", password: "browser-test", first_name: "Pia", last_name: "Tester 6" }

export async function driveImportFromWoowupPage({
  app,
  page,
  admin,
  stuckOrderId,
  uiMs,
  shot,
  waitForReward,
  waitForCustomerSync,
}: ImportScenario): Promise<void> {
  const { api } = app
  // Pia signs up and buys while WoowUp refuses her: a customer the import creates first, and a captured order.
  app.sandbox.setFaults({
    script: [
      { method: "POST", path: "/users", fault: 400, times: 1000 },
      { method: "POST", path: "/purchases", fault: 400, times: 1000 },
    ],
  })
  const piaCustomer = await loginOrRegisterCustomer(api, app.store, PIA)
  const pia = await placeOrder(api, app.store, {
    customer: PIA,
    items: [{ variant_id: app.store.variants.standard, quantity: 1 }],
  })
  await capturePayment(api, admin, pia.id)
  await waitForReward(pia.id, "failed")
  await waitForCustomerSync(piaCustomer.id, "failed")
  app.sandbox.setFaults({})

  await page.reload()
  const section = page.getByTestId("woowup-import")
  await section.waitFor()
  // The window: from yesterday, typed into the date field (month, day, year), to today: the suite's captured orders.
  const yesterday = new Date(Date.now() - 24 * 3600 * 1000)
  const from = section.getByTestId("woowup-import-from")
  await from.getByRole("spinbutton", { name: /month/i }).click()
  await page.keyboard.type(String(yesterday.getMonth() + 1).padStart(2, "0"))
  await page.keyboard.type(String(yesterday.getDate()).padStart(2, "0"))
  await page.keyboard.type(String(yesterday.getFullYear()))
  // History goes without points by default, customers first; the import starts only after a dry run.
  expect(await section.getByTestId("woowup-import-award-points").getAttribute("aria-checked")).toBe("false")
  expect(await section.getByTestId("woowup-import-customers").getAttribute("aria-checked")).toBe("true")
  expect(await section.getByTestId("woowup-import-award-points").locator("xpath=..").innerText()).toContain(
    "earns nothing and its refunds take nothing back"
  )
  const start = section.getByTestId("woowup-import-start")
  expect(await start.isDisabled()).toBe(true)

  const purchasesBefore = app.sandbox.state.purchases.length
  await section.getByTestId("woowup-import-dry-run").click()
  const estimate = section.getByTestId("woowup-import-estimate")
  await estimate.waitFor()
  const { data: listed } = await api.get("/admin/woowup/imports", admin)
  const dry = listed.imports[0]
  const windowFrom = new Date(yesterday)
  windowFrom.setHours(0, 0, 0, 0)
  expect(dry).toMatchObject({ dry_run: true, status: "done", award_points: false, customers: true, from: windowFrom.toISOString() })
  // Ana's, Luis's and Nora's synced orders, Marta's and Pia's refused ones: captured, and all recorded already;
  // Pia is not in WoowUp yet: one call, a second at the sandbox's 140 a minute.
  expect(dry.total).toBe(5)
  expect(dry.estimate).toEqual({ orders: 0, customers: 1, calls: 1, seconds: 1 })
  const figureIn = async (scope: Locator, testId: string) => Number((await scope.getByTestId(testId).innerText()).replace(/\D+/g, ""))
  const figure = (testId: string) => figureIn(section, testId)
  expect({
    total: await figure("woowup-import-estimate-total"),
    orders: await figure("woowup-import-estimate-orders"),
    customers: await figure("woowup-import-estimate-customers"),
    calls: await figure("woowup-import-estimate-calls"),
  }).toEqual({ total: dry.total, orders: dry.estimate.orders, customers: dry.estimate.customers, calls: dry.estimate.calls })
  expect(await section.getByTestId("woowup-import-estimate-text").innerText()).toBe(
    "5 orders in this window: 0 purchases and 1 customer to send, 1 WoowUp call, less than a minute at the account's limit."
  )
  // A dry run sends nothing.
  expect(app.sandbox.state.purchases).toHaveLength(purchasesBefore)
  await shot("12-import-dry-run", section)

  // Another admin starts the same import meanwhile. WoowUp holds the creation of Pia unanswered (the client gives
  // up after its 2 s timeout, twice): the import is still at its customers when it is paused below.
  app.sandbox.setFaults({ script: [{ method: "POST", path: "/users", fault: "hang", times: 2 }] })
  const { data: other } = await api.post(
    "/admin/woowup/imports",
    { from: dry.from, to: dry.to, award_points: false, customers: true },
    admin
  )
  // This page did not know of it: Start import gets the API's 409, said in the section's words (Medusa's error
  // handler puts its own sentence on every 409), and the other import is followed.
  await start.click()
  expect(await section.getByTestId("woowup-import-error").innerText()).toMatch(
    new RegExp(`^Another import is under way|^An import is already \\w+ \\(${other.import.id}\\)`)
  )
  const run = section.getByTestId("woowup-import-run")
  const status = run.getByTestId("woowup-import-status")
  await run.getByTestId("woowup-import-pause").click()
  await status.filter({ hasText: "Paused" }).waitFor()
  expect(await run.getByTestId("woowup-import-eta").innerText()).toBe("Paused: nothing is sent until you resume it.")
  // One import at a time: the form says so, and Start import waits.
  await section.getByTestId("woowup-import-busy").waitFor()
  expect(await start.isDisabled()).toBe(true)
  await shot("13-import-paused", section)
  const { data: listedAfter } = await api.get("/admin/woowup/imports", admin)
  const real = listedAfter.imports.find((i: { dry_run: boolean }) => !i.dry_run)
  // The only import: the refused one was not recorded.
  expect(listedAfter.imports.filter((i: { dry_run: boolean }) => !i.dry_run)).toHaveLength(1)
  expect(real).toMatchObject({ id: other.import.id, status: "paused", dry_run: false, total: 5 })
  // The process carrying it out stops between two chunks of orders: its line in the server's log says when.
  const until = Date.now() + uiMs
  while (!fs.readFileSync(app.logFile, "utf8").includes(`import ${real.id} paused`)) {
    if (Date.now() > until) {
      throw new Error(`the import ${real.id} did not stop after its pause`)
    }
    await page.waitForTimeout(250)
  }
  app.sandbox.setFaults({})
  // Cancel asks first; the merchant keeps the import, and resumes it.
  await run.getByTestId("woowup-import-cancel").click()
  await page.getByRole("alertdialog").getByRole("button", { name: "Keep importing" }).click()
  expect(await status.innerText()).toBe("Paused")
  await run.getByTestId("woowup-import-resume").click()
  await status.filter({ hasText: "Done" }).waitFor()
  const { data } = await api.get(`/admin/woowup/imports/${real.id}`, admin)
  const done = data.import
  expect(done).toMatchObject({ status: "done", total: 5, processed: 5, award_points: false, from: windowFrom.toISOString() })
  // The three synced orders are WoowUp's already (nothing sent twice); Marta's and Pia's, which WoowUp refused as
  // invalid, are failures (only their order page's Resync sends them again).
  expect(done).toMatchObject({ sent: 0, already_in_woowup: 3, skipped: 0, failed: 2 })
  expect(done.failures.map((f: { order_id: string }) => f.order_id).sort()).toEqual([stuckOrderId, pia.id].sort())
  const bar = run.getByTestId("woowup-import-progress")
  expect({ now: await bar.getAttribute("aria-valuenow"), max: await bar.getAttribute("aria-valuemax") }).toEqual({
    now: String(done.total),
    max: String(done.total),
  })
  expect(await run.getByTestId("woowup-import-processed").innerText()).toBe(`${done.processed} of ${done.total} orders`)
  const shown = async (key: string) => figureIn(run, `woowup-import-count-${key}`)
  expect({
    sent: await shown("sent"),
    already_in_woowup: await shown("already_in_woowup"),
    skipped: await shown("skipped"),
    failed: await shown("failed"),
  }).toEqual({ sent: done.sent, already_in_woowup: done.already_in_woowup, skipped: done.skipped, failed: done.failed })
  // Its failures, each leading to its order, as many as the import counts (all of them: fewer than 1,000).
  const failureRows = run.locator('[data-testid="woowup-import-failures"] tbody tr')
  expect(await failureRows.count()).toBe(done.failed)
  const failureRow = failureRows.filter({ hasText: stuckOrderId })
  expect(await failureRow.getByRole("link").getAttribute("href")).toMatch(new RegExp(`/orders/${stuckOrderId}$`))
  expect(await failureRow.innerText()).toMatch(/WoowUp refused the purchase as invalid: .*injected by the WoowUp sandbox/)
  // Every failure as CSV, downloaded through the admin's session.
  const [download] = await Promise.all([page.waitForEvent("download"), run.getByTestId("woowup-import-failures-csv").click()])
  const csv = fs.readFileSync((await download.path())!, "utf8").trim().split("\n")
  expect(csv[0]).toBe("order_id,reason")
  expect(csv.slice(1).map((line) => line.split(",")[0]).sort()).toEqual([stuckOrderId, pia.id].sort())
  // Every invoice WoowUp holds, once.
  const invoices = app.sandbox.state.purchases.map((p) => p.invoice_number)
  expect(new Set(invoices).size).toBe(invoices.length)
  // Nothing left to pause, resume or cancel.
  expect(await run.locator('[data-testid^="woowup-import-pause"], [data-testid^="woowup-import-resume"], [data-testid^="woowup-import-cancel"]').count()).toBe(0)
  await shot("14-import-done", section)
}
