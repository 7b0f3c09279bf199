import { encodeWoowupSku, fromWoowupSku, toWoowupSku, WOOWUP_SKU_PATTERN } from "../sku"
import { prng } from "./fixtures"

describe("encodeWoowupSku", () => {
  it.each([
    ["ABC-123", "ABC-123"],
    ["abc_def", "abc_def"],
    ["SKU.1", "SKU%2E1"],
    ["a/b", "a%2Fb"],
    ["red shirt", "red%20shirt"],
    ["camiseta-niño", "camiseta-ni%C3%B1o"],
    ["100%", "100%25"],
    ["-leading", "%2Dleading"],
    ["--x", "%2D-x"],
    ["A", "%41"],
    ["7", "%37"],
    ["-", "%2D"],
    ["%", "%25"],
    ["ñ", "%C3%B1"],
    ["😀x", "%F0%9F%98%80x"],
    ["  padded  ", "padded"],
  ])("%j → %j", (input, expected) => {
    expect(encodeWoowupSku(input)).toBe(expected)
    expect(expected).toMatch(WOOWUP_SKU_PATTERN)
  })

  it("returns null for missing or blank SKUs", () => {
    expect(encodeWoowupSku(null)).toBeNull()
    expect(encodeWoowupSku(undefined)).toBeNull()
    expect(encodeWoowupSku("")).toBeNull()
    expect(encodeWoowupSku("   ")).toBeNull()
  })

  it("maps the composed and decomposed forms of an accent to the same SKU", () => {
    expect(encodeWoowupSku("cafe\u0301")).toBe(encodeWoowupSku("caf\u00e9"))
  })

  it("keeps SKUs apart that differ only in a character it encodes", () => {
    const skus = ["a.b", "a/b", "a b", "a%2Eb", "a%b", "a-b", "a_b", "ab"]
    const encoded = skus.map(encodeWoowupSku)
    expect(new Set(encoded).size).toBe(skus.length)
  })
})

describe("fromWoowupSku", () => {
  it("decodes what encodeWoowupSku made", () => {
    expect(fromWoowupSku("SKU%2E1")).toBe("SKU.1")
    expect(fromWoowupSku("%41")).toBe("A")
    expect(fromWoowupSku("%2Dleading")).toBe("-leading")
    expect(fromWoowupSku("100%25")).toBe("100%")
  })

  it("returns SKUs it cannot decode as they are", () => {
    expect(fromWoowupSku("ABC-123")).toBe("ABC-123")
    expect(fromWoowupSku("50%off")).toBe("50%off")
    expect(fromWoowupSku("%E0%A4%A")).toBe("%E0%A4%A")
  })
})

describe("toWoowupSku", () => {
  it("uses the variant SKU, encoded", () => {
    expect(toWoowupSku({ id: "ordli_1", variant_id: "variant_1", variant_sku: "TSHIRT.M" })).toBe("TSHIRT%2EM")
  })

  it("falls back to the variant id, then the line item id", () => {
    expect(toWoowupSku({ id: "ordli_1", variant_id: "variant_01H", variant_sku: null })).toBe("variant_01H")
    expect(toWoowupSku({ id: "ordli_1", variant_id: "variant_01H", variant_sku: "  " })).toBe("variant_01H")
    expect(toWoowupSku({ id: "ordli_01H", variant_id: null, variant_sku: null })).toBe("ordli_01H")
  })
})

describe("properties over generated SKUs", () => {
  // Characters chosen to hit every branch: safe ASCII, `-` and `%`, punctuation, spaces, accents (1-2 bytes),
  // CJK (3 bytes), emoji (4 bytes, surrogate pairs).
  const alphabet = [
    ..."abcXYZ019_-%./ :#?&+=\\\"'()[]{}<>@!~*,;|`$^",
    "ñ",
    "é",
    "ü",
    "ç",
    "€",
    "中",
    "文",
    "😀",
    "🇦🇷",
    "\t",
  ]
  const random = prng(20261125)
  const samples: string[] = []
  for (let i = 0; i < 3000; i++) {
    const length = 1 + Math.floor(random() * 12)
    let s = ""
    for (let j = 0; j < length; j++) {
      s += alphabet[Math.floor(random() * alphabet.length)]
    }
    samples.push(s)
  }
  // what the encoder promises to round-trip: trimmed, NFC, not blank
  const canonical = samples.map((s) => s.trim().normalize("NFC")).filter(Boolean)

  it("every encoded SKU matches WoowUp's pattern", () => {
    for (const s of samples) {
      const encoded = encodeWoowupSku(s)
      if (encoded !== null) {
        expect(encoded).toMatch(WOOWUP_SKU_PATTERN)
      }
    }
  })

  it("decoding gives the SKU back", () => {
    for (const s of canonical) {
      expect(fromWoowupSku(encodeWoowupSku(s)!)).toBe(s)
    }
  })

  it("is stable: the same SKU always gives the same result, and encoding is idempotent on its own safe output", () => {
    for (const s of canonical.slice(0, 500)) {
      expect(encodeWoowupSku(s)).toBe(encodeWoowupSku(s))
    }
    for (const safe of ["ABC-123", "variant_01H", "a-b_c"]) {
      expect(encodeWoowupSku(encodeWoowupSku(safe))).toBe(safe)
    }
  })

  it("different SKUs never collide", () => {
    const unique = [...new Set(canonical)]
    const encoded = new Set(unique.map(encodeWoowupSku))
    expect(encoded.size).toBe(unique.length)
  })

  it("1-character SKUs of every printable ASCII character are valid and round-trip", () => {
    for (let c = 33; c < 127; c++) {
      const s = String.fromCharCode(c)
      const encoded = encodeWoowupSku(s)!
      expect(encoded).toMatch(WOOWUP_SKU_PATTERN)
      expect(fromWoowupSku(encoded)).toBe(s)
    }
  })
})
