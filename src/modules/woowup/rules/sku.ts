import type { RewardOrderItem } from "./order-fields"

/** WoowUp's validation of `purchase_detail[].sku`. */
export const WOOWUP_SKU_PATTERN = /^[^-][a-zA-Z0-9_%-]+$/

// Kept as is: letters, digits, `_` and `-` (a `-` only when not first). Everything else, `%` included, is
// percent-encoded as the uppercase %XX of each of its UTF-8 bytes.
const SAFE = /[A-Za-z0-9_-]/

const encoder = new TextEncoder()

function percentEncode(char: string): string {
  let out = ""
  for (const byte of encoder.encode(char)) {
    out += "%" + byte.toString(16).toUpperCase().padStart(2, "0")
  }
  return out
}

/**
 * Makes any SKU valid for WoowUp (`^[^-][a-zA-Z0-9_%-]+$`), stably and reversibly:
 * - surrounding whitespace is trimmed and the text NFC-normalized (so the same visible SKU always maps to the
 *   same WoowUp SKU);
 * - letters, digits, `_` and `-` are kept, except a leading `-`, which becomes `%2D`;
 * - every other character (`.`, `/`, spaces, `%` itself, accents, emoji...) becomes the `%XX` of its UTF-8 bytes;
 * - a SKU that is one character long after that is encoded whole (`A` → `%41`), since WoowUp wants two or more.
 * `fromWoowupSku` reverses it. Returns null for a missing or blank SKU.
 */
export function encodeWoowupSku(sku: string | null | undefined): string | null {
  if (typeof sku !== "string") {
    return null
  }
  const text = sku.trim().normalize("NFC")
  if (!text) {
    return null
  }
  let out = ""
  let first = true
  for (const char of text) {
    out += SAFE.test(char) && !(first && char === "-") ? char : percentEncode(char)
    first = false
  }
  if (out.length < 2) {
    out = percentEncode(text)
  }
  return out
}

/**
 * The WoowUp SKU of an order line: its variant SKU, else its variant id, else the line item id, made valid by
 * {@link encodeWoowupSku}. Medusa ids (`variant_01H...`, `ordli_01H...`) are already valid and pass unchanged.
 */
export function toWoowupSku(
  item: Pick<RewardOrderItem, "id" | "variant_sku" | "variant_id">
): string {
  return (
    encodeWoowupSku(item.variant_sku) ??
    encodeWoowupSku(item.variant_id) ??
    encodeWoowupSku(item.id) ??
    // an item always has an id; this keeps the function total for malformed input
    "unknown_sku"
  )
}

/**
 * Decodes a WoowUp SKU made by {@link encodeWoowupSku}. A SKU that is not valid percent-encoding (e.g. one that
 * was never encoded and contains a stray `%`) is returned as it is.
 */
export function fromWoowupSku(sku: string): string {
  if (!sku.includes("%")) {
    return sku
  }
  try {
    return decodeURIComponent(sku)
  } catch {
    return sku
  }
}
