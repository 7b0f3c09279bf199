/** Small helpers shared by the bench's orchestrator (`run.ts`) and its in-process agent (`agent.ts`). */
import crypto from "node:crypto"
import { ulidTime } from "../src/modules/woowup/rules/order-window"

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

/** A ULID made at `ms` (Medusa's ids are a prefix and a ULID: the order table's primary key sorts by creation time). */
export function ulidAt(ms: number): string {
  const bytes = crypto.randomBytes(16)
  let random = ""
  for (let i = 0; i < 16; i++) {
    random += CROCKFORD[bytes[i] % 32]
  }
  return ulidTime(ms) + random
}

/** The p-th percentile (nearest rank) of `values`; NaN when there are none. */
export function percentile(values: number[], p: number): number {
  if (!values.length) {
    return NaN
  }
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)))
  return sorted[rank - 1]
}

/** `ms` rounded for a table. */
export const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits
