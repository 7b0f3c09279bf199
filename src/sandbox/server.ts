import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo, Socket } from "node:net"
import { FaultInjector, GARBAGE_BODY, gatewayPage } from "./faults"
import { SlidingWindowLimiter } from "./rate-limit"
import { handleApi, type ApiResult, type ReadBody } from "./routes"
import { SandboxStore } from "./state"
import type { SandboxFault, SandboxOptions, SandboxRequest, WoowupSandbox } from "./types"

export const API_BASE = "/apiv3"
export const CONTROL_BASE = "/__sandbox"
export const DEFAULT_API_KEY = "sandbox-api-key"

/** API requests kept in the log by default: the oldest are dropped past it. */
export const DEFAULT_MAX_LOGGED_REQUESTS = 10_000

const LOOPBACK_HOST = /^(localhost|[a-z0-9-]+\.localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/i

/** `host` of a `Host` header or of an origin, without its port. */
const hostName = (value: string): string => value.trim().replace(/:\d+$/, "").toLowerCase()

/**
 * Why a control request is refused, or undefined. The control endpoints change what the sandbox answers and show
 * what it was sent: only a process on this machine may call them, never a web page (a page can reach 127.0.0.1
 * from the browser, and DNS rebinding can give it a name that resolves there).
 * - `Host` must be a loopback name (`localhost`, `*.localhost`, `127.x.x.x`, `[::1]`);
 * - a browser's cross-site request (`Sec-Fetch-Site: cross-site`, or an `Origin` that is not loopback) is refused.
 */
export function controlRefusal(req: Pick<IncomingMessage, "headers">): string | undefined {
  const host = req.headers.host
  if (!host || !LOOPBACK_HOST.test(hostName(host))) {
    return "control endpoints answer only to a loopback Host (localhost, 127.0.0.1, [::1])"
  }
  if (req.headers["sec-fetch-site"] === "cross-site") {
    return "control endpoints refuse cross-site browser requests"
  }
  const origin = req.headers.origin
  if (origin !== undefined) {
    let originHost: string | undefined
    try {
      originHost = new URL(origin).host
    } catch {
      originHost = undefined
    }
    if (!originHost || !LOOPBACK_HOST.test(hostName(originHost))) {
      return "control endpoints refuse requests from a web page that is not on this machine (Origin)"
    }
  }
  return undefined
}

/** Past this many bytes a body is no longer drained but the socket destroyed. */
const HARD_BODY_CAP = 32 * 1024 * 1024

const CODE_BY_STATUS: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  410: "account_deleted",
  429: "too_many_request",
  500: "internal_error",
}

const envelope = (result: Omit<ApiResult, "status">, startedAt: number): string =>
  JSON.stringify({ payload: result.payload, message: result.message, code: result.code, time: `${Date.now() - startedAt}ms` })

/** Reads the whole body; keeps at most `limit` bytes (the rest is drained and counted). */
const readBody = (req: IncomingMessage, limit: number): Promise<ReadBody | "aborted"> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = []
    let bytes = 0
    let settled = false
    const settle = (value: ReadBody | "aborted") => {
      if (!settled) {
        settled = true
        resolve(value)
      }
    }
    req.on("data", (chunk: Buffer) => {
      bytes += chunk.length
      if (bytes <= limit) chunks.push(chunk)
      else if (bytes > HARD_BODY_CAP) {
        req.socket.destroy()
        settle("aborted")
      }
    })
    req.on("error", () => settle("aborted"))
    req.on("aborted", () => settle("aborted"))
    req.on("end", () => {
      if (bytes > limit) return settle({ kind: "too-large", bytes, limit })
      const text = Buffer.concat(chunks).toString("utf8")
      if (text.trim() === "") return settle({ kind: "empty" })
      try {
        settle({ kind: "json", value: JSON.parse(text) })
      } catch {
        settle({ kind: "invalid", text })
      }
    })
  })

const loggedBody = (body: ReadBody): unknown =>
  body.kind === "json" ? body.value : body.kind === "invalid" ? body.text.slice(0, 1000) : undefined

const validateOptions = (o: SandboxOptions): void => {
  const int = (name: keyof SandboxOptions, min: number) => {
    const v = o[name]
    // eslint-disable-next-line @medusajs/use-medusa-error-not-generic-error -- standalone tool on node built-ins only, not an HTTP route
    if (v !== undefined && (!Number.isInteger(v) || (v as number) < min)) throw new TypeError(`WoowUp sandbox: ${name} must be an integer >= ${min}`)
  }
  int("port", 0)
  int("requestsPerMinute", 1)
  int("rateLimitWindowMs", 1)
  int("maxBodyBytes", 1)
  int("maxLoggedRequests", 1)
  if (o.apiKey !== undefined && (typeof o.apiKey !== "string" || o.apiKey.trim() === "")) {
    // eslint-disable-next-line @medusajs/use-medusa-error-not-generic-error -- standalone tool on node built-ins only, not an HTTP route
    throw new TypeError("WoowUp sandbox: apiKey must be a non-empty string")
  }
}

/**
 * Starts the WoowUp sandbox: a local HTTP server that behaves like WoowUp's apiv3 under `/apiv3`, with
 * control endpoints under `/__sandbox`.
 *
 * Each API request goes through, in this order:
 * 1. **auth**: no `Authorization: Basic <apiKey>` → 403 `forbidden` (no fault, no rate slot);
 * 2. **faults**: the first matching `script` step, else the random ones. An injected answer (a status,
 *    "garbage", "no-code", "hang") is given right away and takes no rate slot: it models the gateway in
 *    front of the API failing. "drop-after-store" is different: the request goes on through the rate
 *    limit and the handler (its effect is stored), then the socket is destroyed; if the rate limit
 *    refuses it, it is answered 429 and a scripted step is not consumed;
 * 3. **rate limit**: over `requestsPerMinute` accepted requests in the sliding window → 429
 *    `too_many_request` with `Retry-After` (takes no slot);
 * 4. **handling** (only now is the body looked at: 400 for invalid JSON or a body over `maxBodyBytes`).
 *
 * The decision (steps 1-3) is made when the request's headers arrive, at the logged `time`; `latencyMs`
 * is added before every answer.
 *
 * @example
 * const sandbox = await startWoowupSandbox({ requestsPerMinute: 5, rateLimitWindowMs: 1000 })
 * await fetch(`${sandbox.url}/multiusers/exist?email=a@b.co`, { headers: { Authorization: `Basic ${sandbox.apiKey}` } })
 * await sandbox.close()
 */
export async function startWoowupSandbox(options: SandboxOptions = {}): Promise<WoowupSandbox> {
  validateOptions(options)
  const apiKey = options.apiKey ?? DEFAULT_API_KEY
  const maxBodyBytes = options.maxBodyBytes ?? 256 * 1024
  const maxLoggedRequests = options.maxLoggedRequests ?? DEFAULT_MAX_LOGGED_REQUESTS
  const store = new SandboxStore()
  const limiter = new SlidingWindowLimiter(options.requestsPerMinute ?? 140, options.rateLimitWindowMs ?? 60_000)
  const faults = new FaultInjector()
  faults.set(options.faults ?? {})
  const requests: SandboxRequest[] = []
  const hanging = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()

  const sleep = (ms: number) =>
    ms <= 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t)
            resolve()
          }, ms)
          timers.add(t)
        })

  const isAuthorized = (header: string | undefined): boolean => {
    const m = /^Basic\s+(.+)$/i.exec(header ?? "")
    return !!m && m[1].trim() === apiKey
  }

  const write = (res: ServerResponse, status: number, headers: Record<string, string>, body: string, type = "application/json; charset=utf-8") => {
    if (res.headersSent || res.destroyed) return
    res.writeHead(status, { ...headers, "content-type": type, "content-length": String(Buffer.byteLength(body)) })
    res.end(body)
  }

  const onApi = async (req: IncomingMessage, res: ServerResponse, arrival: number, path: string, query: Record<string, string>) => {
    const method = (req.method ?? "GET").toUpperCase()

    // Steps 1-3, decided synchronously at arrival so the limiter's clock is the logged `time`.
    type Decision =
      | { kind: "forbidden" }
      | { kind: "fault"; fault: SandboxFault }
      | { kind: "limited"; retryAfter: number }
      | { kind: "handle"; drop: boolean }
    let decision: Decision
    if (!isAuthorized(req.headers.authorization)) decision = { kind: "forbidden" }
    else {
      const picked = faults.pick(method, path)
      if (picked && picked.fault !== "drop-after-store") {
        if (picked.entry) faults.consume(picked.entry)
        decision = { kind: "fault", fault: picked.fault }
      } else if (!limiter.take(arrival)) {
        decision = { kind: "limited", retryAfter: limiter.retryAfterSeconds(arrival) }
      } else {
        if (picked?.entry) faults.consume(picked.entry)
        decision = { kind: "handle", drop: picked !== undefined }
      }
    }
    const rateHeaders = limiter.headers(arrival)
    const latencyMs = faults.latencyMs
    const retryAfterSeconds = faults.retryAfterSeconds

    const body = await readBody(req, maxBodyBytes)
    const entry: SandboxRequest = { method, path, query, status: "dropped", time: arrival, durationMs: 0 }
    if (body !== "aborted") {
      const logged = loggedBody(body)
      if (logged !== undefined) entry.body = logged
    }
    if (decision.kind === "fault") entry.fault = decision.fault
    if (decision.kind === "handle" && decision.drop) entry.fault = "drop-after-store"
    const finish = (status: SandboxRequest["status"]) => {
      entry.status = status
      entry.durationMs = Date.now() - arrival
      requests.push(entry)
      // Bounded: the oldest entries go first (a sandbox left running for days must not grow without end).
      if (requests.length > maxLoggedRequests) requests.splice(0, requests.length - maxLoggedRequests)
    }
    if (body === "aborted") return finish("dropped")

    const answer = async (result: ApiResult, extra: Record<string, string> = {}) => {
      await sleep(latencyMs)
      finish(result.status)
      write(res, result.status, { ...rateHeaders, ...extra }, envelope(result, arrival))
    }

    switch (decision.kind) {
      case "forbidden":
        return answer({ status: 403, code: "forbidden", message: "forbidden: invalid or missing API key", payload: null })
      case "limited":
        return answer(
          { status: 429, code: "too_many_request", message: "too many requests", payload: null },
          { "retry-after": String(decision.retryAfter) }
        )
      case "handle": {
        const result = handleApi({ method, path, query, body }, store, faults.reading)
        if (!decision.drop) return answer(result)
        await sleep(latencyMs)
        finish("dropped")
        req.socket.destroy()
        return
      }
      case "fault": {
        const fault = decision.fault
        if (fault === "hang") {
          finish("hang")
          const socket = req.socket
          hanging.add(socket)
          res.on("close", () => {
            hanging.delete(socket)
            entry.durationMs = Date.now() - arrival
          })
          return
        }
        await sleep(latencyMs)
        if (fault === "garbage") {
          finish(200)
          return write(res, 200, rateHeaders, GARBAGE_BODY)
        }
        if (fault === "no-code") {
          finish(200)
          return write(res, 200, rateHeaders, JSON.stringify({ payload: null, message: "ok", time: `${Date.now() - arrival}ms` }))
        }
        const status = fault as number
        finish(status)
        if (status >= 502 && status <= 504) return write(res, status, rateHeaders, gatewayPage(status), "text/html")
        const code = status < 300 ? "ok" : (CODE_BY_STATUS[status] ?? "error")
        const extra: Record<string, string> = status === 429 ? { "retry-after": String(retryAfterSeconds) } : {}
        const payload = status === 400 ? { errors: ["injected by the WoowUp sandbox"] } : null
        return write(res, status, { ...rateHeaders, ...extra }, envelope({ code, message: `${code} (injected by the WoowUp sandbox)`, payload }, arrival))
      }
    }
  }

  const onControl = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const json = (status: number, value: unknown) => write(res, status, {}, JSON.stringify(value))
    const refused = controlRefusal(req)
    if (refused) {
      req.resume()
      return json(403, { error: refused })
    }
    const route = `${(req.method ?? "GET").toUpperCase()} ${path}`
    const body = await readBody(req, Math.max(maxBodyBytes, 1024 * 1024))
    if (body === "aborted") return
    switch (route) {
      case "GET /state":
        return json(200, store.state)
      case "GET /requests":
        return json(200, requests)
      case "GET /faults":
        return json(200, faults.current)
      case "POST /faults": {
        const value = body.kind === "json" ? body.value : body.kind === "empty" ? {} : undefined
        if (value === undefined) return json(400, { error: "body must be JSON (SandboxFaults)" })
        try {
          faults.set(value as never)
        } catch (err) {
          return json(400, { error: (err as Error).message })
        }
        return json(200, faults.current)
      }
      case "POST /reset":
        reset()
        return json(200, { reset: true })
      default:
        return json(404, { error: `no control endpoint ${route}` })
    }
  }

  const server = createServer((req, res) => {
    const arrival = Date.now()
    let url: URL
    try {
      url = new URL(req.url ?? "/", "http://sandbox.local")
    } catch {
      return write(res, 400, {}, JSON.stringify({ error: "bad url" }))
    }
    const pathname = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname
    const under = (base: string) => (pathname === base ? "/" : pathname.startsWith(`${base}/`) ? pathname.slice(base.length) : undefined)
    const apiPath = under(API_BASE)
    const controlPath = under(CONTROL_BASE)
    const work =
      apiPath !== undefined
        ? onApi(req, res, arrival, apiPath, Object.fromEntries(url.searchParams))
        : controlPath !== undefined
          ? onControl(req, res, controlPath)
          : Promise.resolve(write(res, 404, {}, JSON.stringify({ error: `not found; the API is under ${API_BASE}` })))
    work.catch(() => {
      // Never crash: answer 500 if nothing was sent yet. The error itself is not logged (it could hold request data).
      if (!res.headersSent && !res.destroyed) {
        write(res, 500, {}, envelope({ code: "internal_error", message: "sandbox error", payload: null }, arrival))
      }
    })
  })
  server.on("clientError", (_err, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
    else socket.destroy()
  })

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address
  const origin = `http://${host}:${address.port}`

  const reset = () => {
    store.reset()
    requests.length = 0
    faults.reset()
    limiter.reset()
  }

  let closing: Promise<void> | undefined
  return {
    url: `${origin}${API_BASE}`,
    controlUrl: `${origin}${CONTROL_BASE}`,
    apiKey,
    state: store.state,
    requests,
    setFaults: (f) => faults.set(f),
    reset,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t)
        timers.clear()
        server.close(() => resolve())
        for (const socket of hanging) socket.destroy()
        hanging.clear()
        server.closeAllConnections()
      })),
  }
}
