const { loadEnv } = require("@medusajs/framework/utils")
loadEnv("test", process.cwd())

// One project per TEST_TYPE, as in Medusa's starter; `npm test` runs them all (scripts/test.js).
const testMatch = {
  unit: ["<rootDir>/src/**/__tests__/**/*.unit.spec.[jt]s"],
  "integration:woowup": ["<rootDir>/integration-tests/woowup/**/*.spec.[jt]s"],
  "integration:modules": ["<rootDir>/src/modules/*/__tests__/**/*.module.spec.[jt]s"],
  "integration:http": ["<rootDir>/integration-tests/http/**/*.spec.[jt]s"],
  // The app as real OS processes (medusa start), killed and restarted; Redis-backed server + workers.
  "integration:process": ["<rootDir>/integration-tests/process/**/*.spec.[jt]s"],
  "integration:package": ["<rootDir>/integration-tests/package/**/*.spec.[jt]s"],
  "integration:browser": ["<rootDir>/integration-tests/browser/**/*.spec.[jt]s"],
  // `npm run bench -- --smoke`: the bench with tiny numbers, checked only for completing and writing its figures.
  bench: ["<rootDir>/bench/__tests__/**/*.spec.[jt]s"],
}

module.exports = {
  transform: {
    "^.+\\.[jt]sx?$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "typescript", decorators: true, tsx: true }, transform: { decoratorMetadata: true } } },
    ],
  },
  testEnvironment: "node",
  moduleFileExtensions: ["js", "ts", "tsx", "json"],
  modulePathIgnorePatterns: ["dist/", "<rootDir>/.medusa/"],
  setupFiles: ["<rootDir>/integration-tests/setup.js"],
  testMatch: testMatch[process.env.TEST_TYPE] ?? testMatch.unit,
  // A suite that boots Medusa creates and migrates a database in its first hook: minutes on a busy 2-core machine.
  testTimeout: process.env.TEST_TYPE?.startsWith("integration:") ? 300_000 : 30_000,
}
