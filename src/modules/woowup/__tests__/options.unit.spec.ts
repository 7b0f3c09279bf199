import { parseWoowupOptions } from "../options"

const KEY = "sk_live_0123456789abcdef"

function problem(input: unknown): string {
  try {
    parseWoowupOptions(input)
  } catch (e) {
    return (e as Error).message
  }
  throw new Error("expected the options to be refused")
}

describe("plugin options", () => {
  it("takes { apiKey } alone and fills every default", () => {
    expect(parseWoowupOptions({ apiKey: KEY })).toEqual({
      apiKey: KEY,
      apiUrl: "https://api.woowup.com/apiv3",
      timeoutMs: 30_000,
      maxRetries: 5,
      requestsPerMinute: 140,
      processes: 1,
      retryBaseDelayMs: 1_000,
      retryMaxDelayMs: 60_000,
      identifier: "email",
      createCustomers: true,
      syncCustomers: true,
      verificationChannel: "email",
      verificationTemplate: "woowup-identity-verification",
      invoicePrefix: "",
      branchName: "Medusa",
      pointsPerCurrencyUnit: 1,
      rounding: "floor",
      includeShipping: false,
      includeTax: false,
      minimumOrderAmount: 0,
      sendPoints: true,
      reverseOnRefund: true,
      reverseOnCancel: true,
      sendZeroPointPurchases: false,
      reconcile: { enabled: true, schedule: "*/15 * * * *", lookbackHours: 168, concurrency: 4, maxAttempts: 10 },
      catalog: { enabled: false, backfillOnStart: false },
      abandonedCarts: { enabled: false, afterMinutes: 60, maxAgeHours: 72 },
      redeem: { enabled: false, minPoints: 1, maxShareOfCart: 1, holdMinutes: 1440 },
      storeCacheSeconds: 60,
    })
  })

  it("ignores the database options Medusa adds to a module with models", () => {
    expect(parseWoowupOptions({ apiKey: KEY, database: { clientUrl: "postgres://x" } }).apiKey).toBe(KEY)
  })

  it.each([
    ["a missing apiKey", {}, /option "apiKey" is required/],
    ["an empty apiKey", { apiKey: "  " }, /option "apiKey" must be a non-empty string/],
    ["an apiKey that is not a string", { apiKey: 42 }, /option "apiKey" must be a string/],
    ["an apiUrl that is not a URL", { apiKey: KEY, apiUrl: "api.woowup.com" }, /option "apiUrl" must be a URL/],
    ["a non-integer timeout", { apiKey: KEY, timeoutMs: 1.5 }, /option "timeoutMs"/],
    ["a timeout the claim could go stale in", { apiKey: KEY, timeoutMs: 60_000 }, /option "timeoutMs" must be <= 50000: a request must end before another process may take its claim over/],
    ["a negative retry count", { apiKey: KEY, maxRetries: -1 }, /option "maxRetries" must be >= 0/],
    ["too many retries", { apiKey: KEY, maxRetries: 100 }, /option "maxRetries" must be <= 25/],
    ["a rate limit that is not a number", { apiKey: KEY, requestsPerMinute: "fast" }, /option "requestsPerMinute" must be a number/],
    ["an unknown identifier", { apiKey: KEY, identifier: "dni" }, /option "identifier" must be one of "email", "document", "telephone", "service_uid"/],
    ["a negative rate", { apiKey: KEY, pointsPerCurrencyUnit: -1 }, /option "pointsPerCurrencyUnit"/],
    ["a negative rate in the map", { apiKey: KEY, pointsPerCurrencyUnit: { usd: -1 } }, /option "pointsPerCurrencyUnit/],
    ["an unknown rounding", { apiKey: KEY, rounding: "up" }, /option "rounding" must be one of "floor", "ceil", "round"/],
    ["a reconcile schedule that is not cron", { apiKey: KEY, reconcile: { schedule: "hourly" } }, /option "reconcile.schedule" must be a cron expression/],
    ["a reconcile concurrency of 0", { apiKey: KEY, reconcile: { concurrency: 0 } }, /option "reconcile.concurrency" must be >= 1/],
    ["an unknown reconcile option", { apiKey: KEY, reconcile: { every: 5 } }, /unknown option\(s\) "reconcile.every"/],
    ["a computePoints that is not a function", { apiKey: KEY, computePoints: 3 }, /option "computePoints" must be a function/],
    ["a document identity without its metadata key", { apiKey: KEY, identifier: "document" }, /option "identifierMetadataKey" is required when identifier is "document"/],
    ["a misspelt option", { apiKey: KEY, pointsPerCurrency: 2 }, /unknown option\(s\) "pointsPerCurrency"/],
    ["a negative store cache time", { apiKey: KEY, storeCacheSeconds: -1 }, /option "storeCacheSeconds" must be >= 0/],
    ["a fractional store cache time", { apiKey: KEY, storeCacheSeconds: 1.5 }, /option "storeCacheSeconds"/],
    ["an unknown catalog option", { apiKey: KEY, catalog: { enabled: true, brand: "x" } }, /unknown option\(s\) "catalog.brand"/],
    ["a catalog that is not an object", { apiKey: KEY, catalog: true }, /option "catalog" must be a object/],
    ["a catalog.enabled that is not a boolean", { apiKey: KEY, catalog: { enabled: "yes" } }, /option "catalog.enabled" must be a boolean/],
    ["a currency that is not a code", { apiKey: KEY, catalog: { currency: "dollars" } }, /option "catalog.currency" must be a 3-letter ISO 4217 currency code/],
    ["a currency of digits", { apiKey: KEY, catalog: { currency: "840" } }, /option "catalog.currency" must be a 3-letter ISO 4217 currency code/],
    ["an empty brand metadata key", { apiKey: KEY, catalog: { brandMetadataKey: " " } }, /option "catalog.brandMetadataKey" must be a non-empty string/],
    ["a backfillOnStart that is not a boolean", { apiKey: KEY, catalog: { backfillOnStart: 1 } }, /option "catalog.backfillOnStart" must be a boolean/],
    ["a storefrontUrl that is not a URL", { apiKey: KEY, storefrontUrl: "shop.example/products/{handle}" }, /option "storefrontUrl" must be an http: or https: URL/],
    ["a storefrontUrl that is not http(s)", { apiKey: KEY, storefrontUrl: "ftp://shop.example/{handle}" }, /option "storefrontUrl" must be an http: or https: URL/],
    ["a javascript: storefrontUrl", { apiKey: KEY, storefrontUrl: "javascript:alert({sku})" }, /option "storefrontUrl" must be an http: or https: URL/],
    ["a storefrontUrl with an unknown placeholder", { apiKey: KEY, storefrontUrl: "https://shop.example/p/{slug}" }, /option "storefrontUrl" has unknown placeholder\(s\) "\{slug\}" \(known: \{handle\}, \{product_id\}, \{variant_id\}, \{sku\}\)/],
    ["a storefrontUrl with credentials", { apiKey: KEY, storefrontUrl: "https://me:pw@shop.example/{handle}" }, /option "storefrontUrl" must not hold credentials/],
    ["an unknown abandonedCarts option", { apiKey: KEY, abandonedCarts: { after: 30 } }, /unknown option\(s\) "abandonedCarts.after"/],
    ["an afterMinutes of 0", { apiKey: KEY, abandonedCarts: { afterMinutes: 0 } }, /option "abandonedCarts.afterMinutes" must be >=1|option "abandonedCarts.afterMinutes".*1/],
    ["an afterMinutes that is not an integer", { apiKey: KEY, abandonedCarts: { afterMinutes: 1.5 } }, /option "abandonedCarts.afterMinutes"/],
    ["a maxAgeHours not longer than afterMinutes", { apiKey: KEY, abandonedCarts: { afterMinutes: 120, maxAgeHours: 2 } }, /option "abandonedCarts.maxAgeHours" must be longer than afterMinutes/],
    ["a recoverUrl without {cart_id}", { apiKey: KEY, abandonedCarts: { recoverUrl: "https://shop.example/cart" } }, /option "abandonedCarts.recoverUrl" must be an http: or https: URL with \{cart_id\}/],
    ["a recoverUrl with another placeholder", { apiKey: KEY, abandonedCarts: { recoverUrl: "https://shop.example/{id}/{cart_id}" } }, /option "abandonedCarts.recoverUrl" has unknown placeholder\(s\) "\{id\}"/],
    ["a javascript: recoverUrl", { apiKey: KEY, abandonedCarts: { recoverUrl: "javascript:go({cart_id})" } }, /option "abandonedCarts.recoverUrl" must be an http: or https: URL/],
    ["a recoverUrl with credentials", { apiKey: KEY, abandonedCarts: { recoverUrl: "https://me:pw@shop.example/{cart_id}" } }, /option "abandonedCarts.recoverUrl" must not hold credentials/],
    ["a storefrontUrl that is not a string", { apiKey: KEY, storefrontUrl: 42 }, /option "storefrontUrl" must be a string/],
  ])("refuses %s, naming the option", (_, input, expected) => {
    const message = problem(input)
    expect(message).toMatch(/^medusa-plugin-woowup: invalid plugin options: /)
    expect(message).toMatch(expected)
    expect(message).not.toContain(KEY)
  })

  it("names every wrong option at once", () => {
    const message = problem({ apiKey: KEY, timeoutMs: 0, rounding: "up" })
    expect(message).toMatch(/"timeoutMs"/)
    expect(message).toMatch(/"rounding"/)
  })

  it("never echoes an API key given where another value was expected", () => {
    expect(problem({ apiKey: KEY, apiUrl: KEY })).not.toContain(KEY)
    expect(problem({ apiKey: KEY, invoicePrefix: { secret: KEY } })).not.toContain(KEY)
  })

  it("takes apiUrl over https:, or http: to a loopback address (the sandbox)", () => {
    for (const apiUrl of [
      "https://api.woowup.com/apiv3",
      "http://127.0.0.1:4000/apiv3",
      "http://localhost:4000/apiv3",
      "http://[::1]:4000/apiv3",
    ]) {
      expect(parseWoowupOptions({ apiKey: KEY, apiUrl }).apiUrl).toBe(apiUrl)
    }
  })

  it.each([
    ["http: to another host", "http://api.woowup.com/apiv3"],
    ["http: to a host named like loopback", "http://127.0.0.1.example.com/apiv3"],
    ["credentials in the URL", "https://user:hunter2-secret@api.woowup.com/apiv3"],
    ["credentials in a loopback URL", "http://admin:hunter2-secret@127.0.0.1:4000/apiv3"],
  ])("refuses apiUrl with %s, naming the option and never echoing the URL", (_what, apiUrl) => {
    const message = problem({ apiKey: KEY, apiUrl })
    expect(message).toMatch(/option "apiUrl" must be an https: URL/)
    expect(message).not.toContain("hunter2")
    expect(message).not.toContain("api.woowup.com")
  })

  it("takes the catalog feed's options, the currency in lower case", () => {
    const options = parseWoowupOptions({
      apiKey: KEY,
      catalog: { enabled: true, currency: " EUR ", brandMetadataKey: "brand", backfillOnStart: true },
    })
    expect(options.catalog).toEqual({ enabled: true, currency: "eur", brandMetadataKey: "brand", backfillOnStart: true })
  })

  it("leaves the catalog currency unset: the store's default currency is read when the feed runs", () => {
    expect(parseWoowupOptions({ apiKey: KEY, catalog: { enabled: true } }).catalog).toEqual({
      enabled: true,
      backfillOnStart: false,
    })
  })

  it.each([
    "https://shop.example/products/{handle}",
    "https://shop.example/p/{product_id}?variant={variant_id}&sku={sku}",
    "http://localhost:8000/products/{handle}",
    "https://{handle}.shop.example/",
    "https://shop.example/catalog",
  ])("takes storefrontUrl %s as it is", (storefrontUrl) => {
    expect(parseWoowupOptions({ apiKey: KEY, storefrontUrl }).storefrontUrl).toBe(storefrontUrl)
  })

  it("takes the abandoned-cart feed's options", () => {
    const abandonedCarts = {
      enabled: true,
      afterMinutes: 1,
      recoverUrl: "https://shop.example/cart/recover/{cart_id}",
      maxAgeHours: 24,
    }
    expect(parseWoowupOptions({ apiKey: KEY, abandonedCarts }).abandonedCarts).toEqual(abandonedCarts)
  })

  it("takes the redemption options, currency codes of pointValue in lower case", () => {
    const redeem = { enabled: true, pointValue: { USD: 0.1, ars: 10 }, minPoints: 10, maxShareOfCart: 0.5, holdMinutes: 30 }
    expect(parseWoowupOptions({ apiKey: KEY, redeem }).redeem).toEqual({ ...redeem, pointValue: { usd: 0.1, ars: 10 } })
    expect(parseWoowupOptions({ apiKey: KEY, redeem: { enabled: true, pointValue: 0.1 } }).redeem.pointValue).toBe(0.1)
  })

  it.each([
    [{ enabled: true }, 'option "redeem.pointValue" is required when redeem.enabled is true'],
    [{ pointValue: 0 }, 'option "redeem.pointValue" must be > 0'],
    [{ pointValue: "0.1" }, 'option "redeem.pointValue" must be a positive number or a map of currency code to positive number'],
    [{ pointValue: { usd: -1 } }, 'option "redeem.pointValue.usd" must be > 0'],
    [{ maxShareOfCart: 0 }, 'option "redeem.maxShareOfCart" must be > 0'],
    [{ maxShareOfCart: 1.5 }, 'option "redeem.maxShareOfCart" must be <= 1'],
    [{ minPoints: 0.5 }, 'option "redeem.minPoints" must be a int'],
    [{ holdMinutes: 0 }, 'option "redeem.holdMinutes" must be >= 1'],
    [{ pointsValue: 1 }, 'unknown option(s) "redeem.pointsValue"'],
  ])("refuses redeem %j, naming the option", (redeem, message) => {
    expect(problem({ apiKey: KEY, redeem })).toContain(message)
  })
})
