#!/usr/bin/env node
// `woowup-sandbox --port 8787 [--api-key K] [--rpm N]`: a local stand-in for WoowUp's apiv3.
// Runs the compiled plugin (`medusa plugin:build` writes .medusa/server).
"use strict"

let cli
try {
  cli = require("../.medusa/server/src/sandbox/cli.js")
} catch (err) {
  if (err && err.code === "MODULE_NOT_FOUND" && String(err.message).includes("sandbox/cli.js")) {
    process.stderr.write("woowup-sandbox: the plugin is not built; run `npx medusa plugin:build` first\n")
    process.exit(1)
  }
  throw err
}
cli.runCli(process.argv.slice(2))
