import { currencyDecimals, roundDecimal } from "./money"
import type { RewardOrder } from "./order-fields"
import { paymentCapturedAmount } from "./points"

export const WOOWUP_PAYMENT_TYPES = ["credit", "debit", "mercadopago", "todopago", "cash", "other"] as const
export type WoowupPaymentType = (typeof WOOWUP_PAYMENT_TYPES)[number]

export type WoowupPurchasePayment = { type: WoowupPaymentType; total: number }

/** The order's payments, without the empty entries a partial graph may hold. */
export function livePayments(order: RewardOrder) {
  return (order.payment_collections ?? [])
    .flatMap((c) => c?.payments ?? [])
    .filter((p): p is NonNullable<typeof p> => !!p)
}

/**
 * WoowUp's payment type for a Medusa payment provider id (`pp_{provider}_{id}`), by its words:
 * mercadopago → `mercadopago`; todopago → `todopago`; Stripe's card provider (`pp_stripe_*`) → `credit`
 * (Stripe's other methods, `pp_stripe-ideal_*`, `pp_stripe-blik_*`..., are not cards: `other`); a word
 * `credit` → `credit`, `debit` → `debit`; `cash`, `cod`, `efectivo`, `contraentrega` → `cash`; anything else,
 * `pp_system_default` included, → `other`.
 */
export function woowupPaymentType(providerId: string | null | undefined): WoowupPaymentType {
  const id = (providerId ?? "").trim().toLowerCase()
  if (!id) {
    return "other"
  }
  const compact = id.replace(/[^a-z0-9]/g, "")
  if (compact.includes("mercadopago")) {
    return "mercadopago"
  }
  if (compact.includes("todopago")) {
    return "todopago"
  }
  if (id.startsWith("pp_stripe_")) {
    return "credit"
  }
  const words = id.split(/[^a-z0-9]+/).filter(Boolean)
  const has = (...candidates: string[]) => candidates.some((c) => words.includes(c))
  if (has("credit", "creditcard", "credito")) {
    return "credit"
  }
  if (has("debit", "debitcard", "debito")) {
    return "debit"
  }
  if (has("cash", "cod", "efectivo", "contraentrega") || compact.includes("cashondelivery")) {
    return "cash"
  }
  return "other"
}

/** `payment[]`: one entry per payment with something captured, with its WoowUp type and captured total. */
export function toWoowupPayments(order: RewardOrder): WoowupPurchasePayment[] {
  const decimals = currencyDecimals(order.currency_code)
  const out: WoowupPurchasePayment[] = []
  for (const payment of livePayments(order)) {
    const captured = paymentCapturedAmount(payment)
    if (captured.gt(0)) {
      out.push({ type: woowupPaymentType(payment.provider_id), total: roundDecimal(captured, decimals).toNumber() })
    }
  }
  return out
}
