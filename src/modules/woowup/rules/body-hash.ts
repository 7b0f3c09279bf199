import { createHash } from "node:crypto"

/**
 * JSON with every object's keys sorted, at any depth (arrays keep their order): the same data always gives the
 * same text, whatever order its fields were set in. `undefined` fields are left out, as `JSON.stringify` does.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value))
}

/** SHA-256 (hex) of {@link canonicalJson}: equal data, equal hash. What a feed compares before calling WoowUp. */
export function bodyHash(body: unknown): string {
  return createHash("sha256").update(canonicalJson(body)).digest("hex")
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeys)
  }
  if (!value || typeof value !== "object" || value instanceof Date) {
    return value
  }
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])])
  )
}
