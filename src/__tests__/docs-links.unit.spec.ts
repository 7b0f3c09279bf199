/**
 * The README and docs/*.md link to each other: every relative link must reach a file of the repository, and every
 * `#anchor` a heading of its page (GitHub's slugs). The README's images are absolute URLs to the repository's raw
 * files (npm's page shows no relative image), and each names a file that exists here.
 */
import fs from "node:fs"
import path from "node:path"

const ROOT = path.resolve(__dirname, "../..")
const RAW = "https://raw.githubusercontent.com/medusa-plugin-woowup/medusa-plugin-woowup/main/"
const pages = ["README.md", ...fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)]

/** Markdown without its fenced code blocks (their `](` are code, not links). */
const prose = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8").replace(/^\s*```[\s\S]*?^\s*```/gm, "")

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-")

const anchorsOf = (file: string) => new Set([...prose(file).matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1])))

describe("links between the README and docs/", () => {
  it("reach an existing file and heading", () => {
    const broken: string[] = []
    for (const page of pages) {
      for (const [, target] of prose(page).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) {
          continue
        }
        const [file, anchor] = target.split("#")
        const resolved = file ? path.normalize(path.join(path.dirname(page), file)) : page
        if (!fs.existsSync(path.join(ROOT, resolved))) {
          broken.push(`${page}: ${target} (no ${resolved})`)
        } else if (anchor && resolved.endsWith(".md") && !anchorsOf(resolved).has(anchor)) {
          broken.push(`${page}: ${target} (no heading #${anchor} in ${resolved})`)
        }
      }
    }
    expect(broken).toEqual([])
  })

  it("show the README's images from absolute URLs of files in the repository", () => {
    const images = [...prose("README.md").matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1])
    expect(images.length).toBeGreaterThan(0)
    for (const url of images) {
      expect(url.startsWith(RAW)).toBe(true)
      expect(fs.existsSync(path.join(ROOT, url.slice(RAW.length)))).toBe(true)
    }
  })

  it("link every page of docs/ from the README", () => {
    const readme = prose("README.md")
    const unlinked = pages.filter((p) => p !== "README.md" && !readme.includes(`](${p}`))
    expect(unlinked).toEqual([])
  })
})
