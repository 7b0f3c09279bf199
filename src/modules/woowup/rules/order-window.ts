/**
 * Medusa's order ids are `order_` + a ULID, whose first 10 characters encode the creation time (milliseconds,
 * Crockford base 32). So "orders created between two times" is a range of the order table's primary key: the
 * reconcile job pages through its window on that index, oldest first, without an index on `created_at` (the
 * order module has none).
 */

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
const TIME_LENGTH = 10
const RANDOM_LENGTH = 16

/** The 10-character ULID time prefix of a time. */
export function ulidTime(ms: number): string {
  let rest = Math.max(0, Math.floor(ms))
  let out = ""
  for (let i = 0; i < TIME_LENGTH; i++) {
    out = CROCKFORD[rest % 32] + out
    rest = Math.floor(rest / 32)
  }
  return out
}

/** The time a ULID (or an id ending in one, like `order_01K...`) was made at; null when it is not one. */
export function ulidTimeOf(id: string): number | null {
  const ulid = id.slice(id.lastIndexOf("_") + 1).toUpperCase()
  if (ulid.length !== TIME_LENGTH + RANDOM_LENGTH) {
    return null
  }
  let ms = 0
  for (const char of ulid.slice(0, TIME_LENGTH)) {
    const value = CROCKFORD.indexOf(char)
    if (value < 0) {
      return null
    }
    ms = ms * 32 + value
  }
  return ms
}

/** Order ids made in [from, to): `from_id <= id < to_id`. */
export function orderIdRange(from: Date, to: Date): { from_id: string; to_id: string } {
  return {
    from_id: `order_${ulidTime(from.getTime())}${"0".repeat(RANDOM_LENGTH)}`,
    to_id: `order_${ulidTime(to.getTime())}${"0".repeat(RANDOM_LENGTH)}`,
  }
}
