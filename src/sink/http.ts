/**
 * One HTTP exchange with OpenMetadata over the global fetch (undici inside Node 20), whose default
 * dispatcher keeps connections alive and opens as many per origin as there are requests in flight,
 * so 50+ concurrent upserts reuse a pool instead of a connection each. Adds the bearer token, a
 * per-request timeout and the caller's abort signal; never puts the token in an error.
 */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  readonly json: unknown;
  /** The raw body (first 2,000 characters). */
  readonly text: string;
}

export interface HttpClientOptions {
  /** `<hostPort>/v1`. */
  readonly baseUrl: string;
  /** JWT sent as `Authorization: Bearer ...`; omitted when undefined. */
  readonly token?: string;
  /** Per-request timeout. @default 60000 */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** A request that got no HTTP answer (refused, reset, DNS, timeout); `code` is Node's error code. */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}

export class HttpClient {
  constructor(private readonly options: HttpClientOptions) {}

  async request(method: string, path: string, body?: unknown, auth = true): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth && this.options.token !== undefined) headers.authorization = `Bearer ${this.options.token}`;
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 60_000);
    // AbortSignal.any arrived in Node 20.3; on older 20.x the caller's signal is checked between retries.
    const signal =
      this.options.signal && typeof AbortSignal.any === 'function'
        ? AbortSignal.any([this.options.signal, timeout])
        : timeout;
    let res: Response;
    try {
      res = await fetch(`${this.options.baseUrl}/${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      if (this.options.signal?.aborted) throw error;
      throw toNetworkError(error, timeout.aborted);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (error) {
      throw toNetworkError(error, timeout.aborted);
    }
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, json, text: text.slice(0, 2000) };
  }
}

/** fetch reports "fetch failed" with the real cause (ECONNREFUSED, ENOTFOUND, ...) underneath. */
function toNetworkError(error: unknown, timedOut: boolean): NetworkError {
  if (timedOut) return new NetworkError('the request timed out', 'ETIMEDOUT');
  let cause: unknown = error;
  for (let i = 0; i < 4 && cause instanceof Error; i++) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return new NetworkError(cause.message, code);
    cause = cause.cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new NetworkError(message, 'ENETWORK');
}

/** The server's `message` field (OpenMetadata answers `{ code, message }`), else the start of the body. */
export function serverMessage(res: HttpResponse): string {
  const json = res.json as { message?: unknown } | undefined;
  const message = typeof json?.message === 'string' ? json.message : res.text.trim() || `HTTP ${res.status}`;
  const oneLine = message.replace(/\s+/g, ' ');
  return oneLine.length > 500 ? `${oneLine.slice(0, 499)}…` : oneLine;
}
