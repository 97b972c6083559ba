/**
 * One HTTP exchange with OpenMetadata over node:http / node:https with a keep-alive agent of the
 * client's own: 50+ concurrent upserts reuse a pool of connections instead of opening one each. Adds
 * the bearer token, a per-request timeout and the caller's abort signal; never puts the token in an
 * error. The signal gets one listener per client (AbortFanout), not one per request.
 *
 * Why not the global fetch: profiling local mode (bench/profile.ts) showed undici's fetch costing about
 * 1.5 ms of CPU per PUT (WHATWG streams, Request/Response objects, AbortSignal.any per request), the
 * largest single cost of a worker; node:http does the same exchange for a fraction of that.
 */
import http from 'node:http';
import https from 'node:https';
import { AbortError, AbortFanout } from './abort.js';

/** Response headers by lower-case name (the subset of the WHATWG Headers API the sink uses). */
export interface HttpHeaders {
  get(name: string): string | null;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: HttpHeaders;
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
  /** Shares the abort listener of the signal with its owner (the sink); made from `signal` when absent. */
  readonly abort?: AbortFanout;
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

class TimeoutError extends Error {}

export class HttpClient {
  private readonly base: URL;
  private readonly basePath: string;
  private readonly transport: typeof http | typeof https;
  private readonly agent: http.Agent;
  /** Headers every request carries, built once. */
  private readonly authHeaders: Readonly<Record<string, string>>;
  private readonly abort: AbortFanout;

  constructor(private readonly options: HttpClientOptions) {
    this.abort = options.abort ?? new AbortFanout(options.signal);
    this.base = new URL(options.baseUrl);
    this.basePath = this.base.pathname.replace(/\/+$/, '');
    const secure = this.base.protocol === 'https:';
    this.transport = secure ? https : http;
    // Idle sockets of a keep-alive agent are unref'd, so an unclosed client never holds the process open.
    this.agent = secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
    this.authHeaders = options.token === undefined ? {} : { authorization: `Bearer ${options.token}` };
  }

  async request(method: string, path: string, body?: unknown, auth = true): Promise<HttpResponse> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> = { accept: 'application/json', ...(auth ? this.authHeaders : {}) };
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    try {
      return await this.exchange(method, `${this.basePath}/${path}`, headers, payload);
    } catch (error) {
      if (this.abort.aborted) throw error;
      throw toNetworkError(error);
    }
  }

  /** Closes the pooled connections. The client still works afterwards (it opens new ones). */
  close(): void {
    this.agent.destroy();
  }

  private exchange(
    method: string,
    path: string,
    headers: Record<string, string | number>,
    payload: string | undefined,
  ): Promise<HttpResponse> {
    return new Promise<HttpResponse>((resolve, reject) => {
      if (this.abort.aborted) {
        reject(new AbortError(this.abort.reason));
        return;
      }
      const req = this.transport.request(
        {
          protocol: this.base.protocol,
          hostname: this.base.hostname.replace(/^\[|\]$/g, ''),
          port: this.base.port,
          method,
          path,
          headers,
          agent: this.agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', fail);
          res.on('end', () => {
            clearTimeout(timer);
            removeAbort();
            const text = Buffer.concat(chunks).toString('utf8');
            const raw = res.headers;
            // Parsed on first read: an upsert looks at the status only, and OpenMetadata answers each
            // PUT with the whole entity (columns included), which would be parsed for nothing.
            let json: { value: unknown } | undefined;
            resolve({
              status: res.statusCode ?? 0,
              headers: { get: (name) => headerValue(raw[name.toLowerCase()]) },
              get json() {
                json ??= { value: parseJson(text) };
                return json.value;
              },
              text: text.length > 2000 ? text.slice(0, 2000) : text,
            });
          });
        },
      );
      const timer = setTimeout(() => req.destroy(new TimeoutError()), this.options.timeoutMs ?? 60_000);
      const removeAbort = this.abort.add((reason) => {
        clearTimeout(timer);
        req.destroy();
        reject(new AbortError(reason));
      });
      function fail(error: Error): void {
        clearTimeout(timer);
        removeAbort();
        reject(error);
      }
      req.on('error', fail);
      req.end(payload);
    });
  }
}

/** The body as JSON, or undefined when it is empty or not JSON. */
function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A socket error (ECONNREFUSED, ECONNRESET, ENOTFOUND, ...) or our timeout, as a NetworkError. */
function toNetworkError(error: unknown): NetworkError {
  if (error instanceof TimeoutError) return new NetworkError('the request timed out', 'ETIMEDOUT');
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
