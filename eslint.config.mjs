import medusa from "@medusajs/eslint-plugin"

export default [
  { ignores: ["node_modules/**", ".medusa/**", "**/*.js", "**/*.mjs"] },
  ...medusa.configs.recommended,
]
