import { startWoowupSandbox } from "./server"
import type { SandboxOptions, WoowupSandbox } from "./types"

const USAGE = `Usage: woowup-sandbox [--port 8787] [--host 127.0.0.1] [--api-key KEY] [--rpm 140]

Starts the WoowUp sandbox, a local stand-in for WoowUp's apiv3 (see the plugin's README).
Point the plugin at it with apiUrl = the printed URL and apiKey = the printed key.`

/** Parses the CLI's arguments; throws an Error with a message for the user on a bad one. */
export const parseCliArgs = (argv: string[]): SandboxOptions & { help?: boolean } => {
  const options: SandboxOptions & { help?: boolean } = { port: 8787 }
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2)
    const value = () => {
      const v = inline ?? argv[++i]
      // eslint-disable-next-line @medusajs/use-medusa-error-not-generic-error -- standalone tool on node built-ins only, not an HTTP route
      if (v === undefined || v === "") throw new Error(`${flag} needs a value`)
      return v
    }
    const int = (min: number) => {
      const raw = value()
      const n = Number(raw)
      // eslint-disable-next-line @medusajs/use-medusa-error-not-generic-error -- standalone tool on node built-ins only, not an HTTP route
      if (!/^\d+$/.test(raw) || n < min) throw new Error(`${flag} must be an integer >= ${min}, got "${raw}"`)
      return n
    }
    switch (flag) {
      case "--port":
      case "-p":
        options.port = int(0)
        break
      case "--host":
        options.host = value()
        break
      case "--api-key":
        options.apiKey = value()
        break
      case "--rpm":
        options.requestsPerMinute = int(1)
        break
      case "--help":
      case "-h":
        options.help = true
        break
      default:
        // eslint-disable-next-line @medusajs/use-medusa-error-not-generic-error -- standalone tool on node built-ins only, not an HTTP route
        throw new Error(`unknown argument "${argv[i]}"`)
    }
  }
  return options
}

type CliIo = { out: (line: string) => void; err: (line: string) => void; onSignal?: (signal: NodeJS.Signals, stop: () => void) => void }

const defaultIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  onSignal: (signal, stop) => process.once(signal, stop),
}

/**
 * Runs `woowup-sandbox`: starts the sandbox, prints its URL and key, and stops it cleanly on SIGINT or
 * SIGTERM. Resolves with the running sandbox (undefined after `--help` or an error, with `process.exitCode` set).
 */
export async function runCli(argv: string[] = process.argv.slice(2), io: CliIo = defaultIo): Promise<WoowupSandbox | undefined> {
  let options: ReturnType<typeof parseCliArgs>
  try {
    options = parseCliArgs(argv)
  } catch (err) {
    io.err(`woowup-sandbox: ${(err as Error).message}\n\n${USAGE}`)
    process.exitCode = 2
    return undefined
  }
  if (options.help) {
    io.out(USAGE)
    return undefined
  }
  const { help: _help, ...sandboxOptions } = options
  let sandbox: WoowupSandbox
  try {
    sandbox = await startWoowupSandbox(sandboxOptions)
  } catch (err) {
    io.err(`woowup-sandbox: cannot start: ${(err as Error).message}`)
    process.exitCode = 1
    return undefined
  }
  io.out(`WoowUp sandbox listening`)
  io.out(`  API URL:  ${sandbox.url}`)
  io.out(`  API key:  ${sandbox.apiKey}`)
  io.out(`  control:  ${sandbox.controlUrl}/{state,requests,faults,reset}`)
  io.out(`  rate:     ${sandboxOptions.requestsPerMinute ?? 140} requests per minute`)
  const stop = () => {
    io.out("woowup-sandbox: stopping")
    void sandbox.close().then(() => io.out("woowup-sandbox: stopped"))
  }
  io.onSignal?.("SIGINT", stop)
  io.onSignal?.("SIGTERM", stop)
  return sandbox
}

if (require.main === module) void runCli()
