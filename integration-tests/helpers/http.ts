/**
 * What the HTTP helpers need from a client: axios (the test runner's `api`, `axios.create({ baseURL })` in a
 * script) fits, and so does any wrapper with the same two methods. URLs are relative to the client's base URL.
 */
export type RequestConfig = { headers?: Record<string, string> }

export type HttpClient = {
  get(url: string, config?: RequestConfig): Promise<{ data: any }>
  post(url: string, body?: unknown, config?: RequestConfig): Promise<{ data: any }>
}

/** Axios-style request config carrying an `Authorization` header, as `adminHeaders()` returns it. */
export type AuthHeaders = { headers: Record<string, string> }

/**
 * Runs one request and, when it fails, rethrows with the step, the method, the URL, the status and Medusa's
 * error message: an axios error alone says only "Request failed with status code 400".
 */
export async function request<T = any>(
  step: string,
  method: "get" | "post",
  client: HttpClient,
  url: string,
  body?: unknown,
  config?: RequestConfig
): Promise<T> {
  try {
    const res = method === "get" ? await client.get(url, config) : await client.post(url, body ?? {}, config)
    return res.data as T
  } catch (err: any) {
    const status = err?.response?.status
    const data = err?.response?.data
    const detail = data ? (typeof data === "string" ? data : JSON.stringify(data)) : (err?.message ?? String(err))
    const error = new Error(`${step}: ${method.toUpperCase()} ${url} failed${status ? ` (${status})` : ""}: ${detail}`)
    ;(error as any).status = status
    ;(error as any).response = err?.response
    throw error
  }
}

/** Store and admin API client over fetch; errors carry the status and body like axios's, as the helpers expect. */
export function httpClient(baseUrl: string): HttpClient {
  const call = async (method: string, url: string, body?: unknown, config?: { headers?: Record<string, string> }) => {
    const res = await fetch(baseUrl + url, {
      method,
      headers: { "content-type": "application/json", ...(config?.headers ?? {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    let data: any = null
    try {
      data = text ? JSON.parse(text) : null
    } catch {
      data = text
    }
    if (!res.ok) {
      throw Object.assign(new Error(`${method} ${url}: ${res.status}`), { response: { status: res.status, data } })
    }
    return { data }
  }
  return {
    get: (url, config) => call("GET", url, undefined, config),
    post: (url, body, config) => call("POST", url, body ?? {}, config),
  }
}
