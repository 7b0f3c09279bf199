import {
  createApiKeysWorkflow,
  createLocationFulfillmentSetWorkflow,
  createProductsWorkflow,
  createPromotionsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createServiceZonesWorkflow,
  createShippingOptionsWorkflow,
  createShippingProfilesWorkflow,
  createStockLocationsWorkflow,
  createTaxRegionsWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
} from "@medusajs/medusa/core-flows"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules, ProductStatus } from "@medusajs/framework/utils"

/** Built in to the payment module: authorizes at checkout, captures when the admin captures. */
export const SYSTEM_PROVIDER_ID = "pp_system_default"
/** The test/demo provider in `integration-tests/fixtures/auto-capture-payment`: captures at authorization. */
export const AUTO_CAPTURE_PROVIDER_ID = "pp_autocapture_autocapture"

/** The three variants every seeded store sells. */
export type SeedVariantName = "standard" | "oddSku" | "noSku"

/** Unit prices in the store currency's main unit (Medusa v2 stores 25 for 25.00 USD). */
export type SeedPrices = Record<SeedVariantName | "shipping", number>

export type SeedPromotion = {
  code: string
  /** `percentage` off the items, or a `fixed` amount off the items (spread across them). */
  type: "percentage" | "fixed"
  value: number
}

export type SeedStoreOptions = {
  /** Region currency, lower case. Default `usd`. Any currency Medusa knows works (`clp`, `ars`, `eur`...). */
  currency?: string
  /** ISO 3166-1 alpha-2 codes, lower case, of the region and shipping zone. Default: one country for the currency. */
  countries?: string[]
  /**
   * Payment providers enabled on the region. Default: `pp_system_default`, plus `pp_autocapture_autocapture`
   * when the app registered it (NODE_ENV=test or WOOWUP_DEMO=true).
   */
  paymentProviders?: string[]
  /** A tax rate in percent (e.g. 19) for every country of the region. Default: no tax regions, so no tax. */
  taxRate?: number
  /** Prices tax-inclusive for the region's currency. Default false. Only meaningful with `taxRate`. */
  taxInclusive?: boolean
  /** Overrides for the default prices (see `DEFAULT_PRICES`). */
  prices?: Partial<SeedPrices>
  /** Promotions to create (standard, active, on items). */
  promotions?: SeedPromotion[]
  /**
   * Appended to names, handles and SKUs, so one database can hold several seeded stores
   * (e.g. a USD one and a CLP one). Default "" (SKUs exactly as in `SEED_SKUS`).
   */
  suffix?: string
}

export type SeededStore = {
  currencyCode: string
  /** The first of `countries`: placeOrder ships there. */
  countryCode: string
  countries: string[]
  regionId: string
  salesChannelId: string
  /** The publishable API key's token (`pk_...`), for the `x-publishable-api-key` header. */
  publishableKey: string
  publishableKeyId: string
  stockLocationId: string
  fulfillmentSetId: string
  shippingProfileId: string
  shippingOptionId: string
  paymentProviderIds: string[]
  productIds: { tshirt: string; sticker: string }
  /** Variant ids by name. */
  variants: Record<SeedVariantName, string>
  skus: Record<SeedVariantName, string | null>
  prices: SeedPrices
  taxRate: number | null
  promotionCodes: string[]
}

/** The SKUs (before `suffix`). `oddSku` has a dot, a slash, a space and an `ñ`: WoowUp rejects such SKUs. */
export const SEED_SKUS: Record<SeedVariantName, string | null> = {
  standard: "TSHIRT-M-BLUE",
  oddSku: "TSHIRT.M/blue ñ",
  noSku: null,
}

export const DEFAULT_PRICES: Record<string, SeedPrices> = {
  usd: { standard: 25, oddSku: 30, noSku: 3.5, shipping: 5 },
  clp: { standard: 20000, oddSku: 25000, noSku: 3000, shipping: 4000 },
  ars: { standard: 25000, oddSku: 30000, noSku: 3500, shipping: 5000 },
}

const COUNTRY_BY_CURRENCY: Record<string, string> = {
  usd: "us",
  clp: "cl",
  ars: "ar",
  brl: "br",
  mxn: "mx",
  cop: "co",
  pen: "pe",
  uyu: "uy",
  eur: "de",
  gbp: "gb",
}

/**
 * Seeds a store that can sell through the store API, with Medusa's core workflows (as the starter's seed
 * script does): a region with its payment providers, a sales channel with a publishable key, a stock location
 * with a fulfillment set, service zone, shipping profile and a flat-rate shipping option, and two published
 * products whose variants don't manage inventory:
 * - `standard`: "Medusa T-Shirt" M / Blue, SKU `TSHIRT-M-BLUE`;
 * - `oddSku`: "Medusa T-Shirt" L / Blue, SKU `TSHIRT.M/blue ñ` (one WoowUp would reject);
 * - `noSku`: "Medusa Sticker", no SKU.
 *
 * Works on any container: a test runner's `getContainer()`, or `medusa exec`'s container for the demo.
 *
 * @example
 * const seed = await seedStore(getContainer(), { currency: "clp", taxRate: 19 })
 * const order = await placeOrder(api, seed, { email: "ana@example.com", items: [{ variant_id: seed.variants.standard, quantity: 1 }] })
 */
export async function seedStore(container: MedusaContainer, opts: SeedStoreOptions = {}): Promise<SeededStore> {
  const currencyCode = (opts.currency ?? "usd").toLowerCase()
  const countries = (opts.countries ?? [COUNTRY_BY_CURRENCY[currencyCode] ?? "us"]).map((c) => c.toLowerCase())
  const suffix = opts.suffix ?? ""
  const label = suffix ? ` ${suffix}` : ""
  const prices: SeedPrices = { ...(DEFAULT_PRICES[currencyCode] ?? DEFAULT_PRICES.usd), ...opts.prices }
  const skus: Record<SeedVariantName, string | null> = {
    standard: `${SEED_SKUS.standard}${suffix}`,
    oddSku: `${SEED_SKUS.oddSku}${suffix}`,
    noSku: null,
  }
  const paymentProviderIds = opts.paymentProviders ?? (await defaultPaymentProviders(container))

  const {
    result: [region],
  } = await createRegionsWorkflow(container).run({
    input: {
      regions: [
        {
          name: `WoowUp ${currencyCode.toUpperCase()}${label}`,
          currency_code: currencyCode,
          countries,
          payment_providers: paymentProviderIds,
        },
      ],
    },
  })

  if (opts.taxRate != null) {
    await createTaxRegionsWorkflow(container).run({
      input: countries.map((country_code) => ({
        country_code,
        provider_id: "tp_system",
        default_tax_rate: { name: `VAT ${opts.taxRate}%`, code: "VAT", rate: opts.taxRate },
      })),
    })
  }

  if (opts.taxInclusive) {
    const pricing = container.resolve(Modules.PRICING)
    await pricing.createPricePreferences([{ attribute: "region_id", value: region.id, is_tax_inclusive: true }])
  }

  const {
    result: [salesChannel],
  } = await createSalesChannelsWorkflow(container).run({
    input: { salesChannelsData: [{ name: `WoowUp Webshop${label}` }] },
  })

  const {
    result: [apiKey],
  } = await createApiKeysWorkflow(container).run({
    input: { api_keys: [{ title: `WoowUp Webshop${label}`, type: "publishable", created_by: "" }] },
  })
  await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: apiKey.id, add: [salesChannel.id] } })

  const {
    result: [stockLocation],
  } = await createStockLocationsWorkflow(container).run({
    input: {
      locations: [
        {
          name: `WoowUp Warehouse${label}`,
          address: { address_1: "Av. Siempre Viva 742", city: "Santiago", country_code: countries[0].toUpperCase() },
        },
      ],
    },
  })
  await linkSalesChannelsToStockLocationWorkflow(container).run({
    input: { id: stockLocation.id, add: [salesChannel.id] },
  })
  // Shipping options of this location may only use the fulfillment providers linked to it.
  await container.resolve(ContainerRegistrationKeys.LINK).create({
    [Modules.STOCK_LOCATION]: { stock_location_id: stockLocation.id },
    [Modules.FULFILLMENT]: { fulfillment_provider_id: "manual_manual" },
  })

  await createLocationFulfillmentSetWorkflow(container).run({
    input: {
      location_id: stockLocation.id,
      fulfillment_set_data: { name: `WoowUp delivery${label}`, type: "shipping" },
    },
  })
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const {
    data: [location],
  } = await query.graph({
    entity: "stock_location",
    fields: ["id", "fulfillment_sets.id"],
    filters: { id: stockLocation.id },
  })
  const fulfillmentSetId = location.fulfillment_sets[0]!.id

  const {
    result: [serviceZone],
  } = await createServiceZonesWorkflow(container).run({
    input: {
      data: [
        {
          fulfillment_set_id: fulfillmentSetId,
          name: `WoowUp zone${label}`,
          geo_zones: countries.map((country_code) => ({ type: "country" as const, country_code })),
        },
      ],
    },
  })

  const {
    result: [shippingProfile],
  } = await createShippingProfilesWorkflow(container).run({
    input: { data: [{ name: `WoowUp profile${label}`, type: "default" }] },
  })

  const {
    result: [shippingOption],
  } = await createShippingOptionsWorkflow(container).run({
    input: [
      {
        name: "Standard Shipping",
        price_type: "flat",
        provider_id: "manual_manual",
        service_zone_id: serviceZone.id,
        shipping_profile_id: shippingProfile.id,
        type: { label: "Standard", description: "Ships in 2-3 days.", code: "standard" },
        prices: [
          { currency_code: currencyCode, amount: prices.shipping },
          { region_id: region.id, amount: prices.shipping },
        ],
        rules: [
          { attribute: "enabled_in_store", value: "true", operator: "eq" },
          { attribute: "is_return", value: "false", operator: "eq" },
        ],
      },
    ],
  })

  const price = (amount: number) => [{ amount, currency_code: currencyCode }]
  const { result: products } = await createProductsWorkflow(container).run({
    input: {
      products: [
        {
          title: `Medusa T-Shirt${label}`,
          handle: `woowup-t-shirt${slug(suffix)}`,
          status: ProductStatus.PUBLISHED,
          shipping_profile_id: shippingProfile.id,
          options: [
            { title: "Size", values: ["M", "L"] },
            { title: "Color", values: ["Blue"] },
          ],
          variants: [
            {
              title: "M / Blue",
              sku: skus.standard!,
              options: { Size: "M", Color: "Blue" },
              manage_inventory: false,
              prices: price(prices.standard),
            },
            {
              title: "L / Blue",
              sku: skus.oddSku!,
              options: { Size: "L", Color: "Blue" },
              manage_inventory: false,
              prices: price(prices.oddSku),
            },
          ],
          sales_channels: [{ id: salesChannel.id }],
        },
        {
          title: `Medusa Sticker${label}`,
          handle: `woowup-sticker${slug(suffix)}`,
          status: ProductStatus.PUBLISHED,
          shipping_profile_id: shippingProfile.id,
          options: [{ title: "Default", values: ["Default"] }],
          variants: [
            {
              title: "Sticker",
              options: { Default: "Default" },
              manage_inventory: false,
              prices: price(prices.noSku),
            },
          ],
          sales_channels: [{ id: salesChannel.id }],
        },
      ],
    },
  })
  const [tshirt, sticker] = products
  const variantId = (product: (typeof products)[number], title: string) => {
    const variant = product.variants.find((v) => v.title === title)
    if (!variant) {
      throw new Error(`seedStore: variant "${title}" of ${product.title} was not created`)
    }
    return variant.id
  }

  const promotionCodes = (opts.promotions ?? []).map((p) => p.code)
  if (opts.promotions?.length) {
    await createPromotionsWorkflow(container).run({
      input: {
        promotionsData: opts.promotions.map((p) => ({
          code: p.code,
          type: "standard" as const,
          status: "active" as const,
          application_method: {
            type: p.type,
            target_type: "items" as const,
            allocation: "across" as const,
            value: p.value,
            currency_code: currencyCode,
          },
        })),
      },
    })
  }

  return {
    currencyCode,
    countryCode: countries[0],
    countries,
    regionId: region.id,
    salesChannelId: salesChannel.id,
    publishableKey: apiKey.token,
    publishableKeyId: apiKey.id,
    stockLocationId: stockLocation.id,
    fulfillmentSetId,
    shippingProfileId: shippingProfile.id,
    shippingOptionId: shippingOption.id,
    paymentProviderIds,
    productIds: { tshirt: tshirt.id, sticker: sticker.id },
    variants: {
      standard: variantId(tshirt, "M / Blue"),
      oddSku: variantId(tshirt, "L / Blue"),
      noSku: variantId(sticker, "Sticker"),
    },
    skus,
    prices,
    taxRate: opts.taxRate ?? null,
    promotionCodes,
  }
}

/** `pp_system_default`, plus the auto-capture provider when this app registered it. */
async function defaultPaymentProviders(container: MedusaContainer): Promise<string[]> {
  const payment = container.resolve(Modules.PAYMENT)
  const registered = await payment.listPaymentProviders({ id: [SYSTEM_PROVIDER_ID, AUTO_CAPTURE_PROVIDER_ID] })
  const ids = registered.map((p) => p.id)
  return [SYSTEM_PROVIDER_ID, AUTO_CAPTURE_PROVIDER_ID].filter((id) => ids.includes(id))
}

function slug(suffix: string) {
  const s = suffix.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "")
  return s ? `-${s}` : ""
}
