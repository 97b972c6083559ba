/**
 * The JSON-over-HTTP client of the dashboard connectors (Looker, Power BI, Tableau, Metabase, Superset).
 *
 * - Transient answers (429, 5xx, network errors, timeouts) are retried with the config's retryPolicy;
 *   a `Retry-After` header replaces the computed delay (src/util/retry.ts).
 * - Auth is a hook: the connector signs in and returns the headers to send. The sign-in happens on the
 *   first request; a 401 later means the session or token expired, so the client signs in again once
 *   (concurrent requests share that one sign-in) and repeats the request.
 * - At most `concurrency` requests are in flight per client (one client per source), so shards that
 *   share a source in local mode share the vendor's rate limit too.
 * - Error messages name the method, the path (never the query) and the status, and every configured
 *   secret is replaced by `***` in them, whatever the vendor echoes back.
 */
import type { Logger } from '../../util/logger.js';
import {
  TransientError,
  isTransient,
  isTransientStatus,
  parseRetryAfter,
  sleep as defaultSleep,
  withRetry,
  type RetryPolicyLike,
} from '../../util/retry.js';
import { SourceError } from '../contract.js';
import { Limiter } from './limiter.js';

export type Headers = Readonly<Record<string, string>>;

/** Signs in and returns the headers every later request carries (`Authorization`, a session header...). */
export type LoginHook = (client: HttpJsonClient) => Promise<Headers>;

export interface HttpClientOptions {
  /** Vendor name for messages, e.g. "Looker". */
  readonly vendor: string;
  /** Base URL; request paths are appended to it (a trailing `/` is dropped). */
  readonly baseUrl: string;
  readonly retryPolicy: RetryPolicyLike;
  /** Requests in flight at once. */
  readonly concurrency: number;
  readonly logger: Logger;
  /** Signs in; omitted for anonymous APIs. */
  readonly login?: LoginHook;
  /** Values to mask in every error message (passwords, client secrets, tokens). @default [] */
  readonly secrets?: readonly (string | undefined)[];
  readonly signal?: AbortSignal;
  /** Time allowed for one request (headers and body). @default 60000 */
  readonly timeoutMs?: number;
  /** Replaceable for tests. @default setTimeout-based sleep */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The options a connector passes through unchanged (it adds vendor, baseUrl, login and secrets). */
export type BaseClientOptions = Omit<HttpClientOptions, 'vendor' | 'baseUrl' | 'login' | 'secrets'>;

export interface RequestOptions {
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** A JSON body (sent with `Content-Type: application/json`). */
  readonly json?: unknown;
  /** A form body (`application/x-www-form-urlencoded`), as OAuth token endpoints take. */
  readonly form?: Readonly<Record<string, string>>;
  readonly headers?: Headers;
  /** Attempts for this request (1 = no retry), instead of the retryPolicy's maxAttempts. */
  readonly attempts?: number;
}

/** What a request answered: any status that is not transient (transient ones are retried or thrown). */
export interface HttpResult {
  readonly status: number;
  readonly headers: globalThis.Headers;
  /** Parsed JSON; `undefined` for an empty or non-JSON body. */
  readonly body: unknown;
}

/** A non-2xx answer the caller may handle (404 for a dashboard deleted since discovery, ...). */
export class HttpStatusError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'HttpStatusError';
  }
}

export class HttpJsonClient {
  readonly vendor: string;
  private readonly baseUrl: string;
  private readonly limiter: Limiter;
  private readonly secrets: readonly string[];
  /** The current sign-in (headers), shared by concurrent requests. */
  private session: Promise<Headers> | undefined;
  /** What `session` resolved to, once it has. */
  private sessionHeaders: Headers | undefined;

  constructor(private readonly options: HttpClientOptions) {
    this.vendor = options.vendor;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.limiter = new Limiter(Math.max(1, Math.floor(options.concurrency)));
    this.secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 3);
  }

  /** Signs in now (if the client has a login hook and no session yet); for testConnection. */
  async connect(): Promise<void> {
    if (this.options.login) await this.headers();
  }

  /** GET a JSON document with the session's headers. */
  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  /**
   * An authenticated request, limited, retried, re-signed-in on 401. Resolves to the JSON body of a 2xx
   * answer; throws HttpStatusError for other statuses, SourceError when credentials are refused.
   */
  request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    return this.limiter.run(async () => {
      let headers = await this.headers();
      let result = await this.send(method, path, { ...options, headers: { ...options.headers, ...headers } });
      if (result.status === 401 && this.options.login) {
        this.options.logger.debug(`${this.vendor}: ${method} ${path} answered 401; signing in again`);
        headers = await this.renew(headers);
        result = await this.send(method, path, { ...options, headers: { ...options.headers, ...headers } });
        if (result.status === 401) {
          throw new SourceError(
            `${this.vendor} refused the session right after signing in (${method} ${path} answered 401); ` +
              'check that the account may use the API',
            'auth',
          );
        }
      }
      if (result.status === 403) {
        throw new SourceError(
          `${this.vendor} denied ${method} ${path} (403${this.detail(result.body)}); give the account read access to dashboards`,
          'permission',
        );
      }
      if (result.status < 200 || result.status >= 300) {
        throw new HttpStatusError(
          `${this.vendor} answered ${method} ${path} with ${result.status}${this.detail(result.body)}`,
          result.status,
        );
      }
      return result.body as T;
    });
  }

  /**
   * One exchange without the session and outside the concurrency limit (sign-in calls use it), retried
   * on transient answers. Resolves to any other answer, 4xx included, for the caller to judge.
   */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<HttpResult> {
    const url = this.url(path, options.query);
    const shownPath = new URL(url).pathname;
    const policy =
      options.attempts === undefined
        ? this.options.retryPolicy
        : { ...this.options.retryPolicy, maxAttempts: options.attempts };
    return withRetry(() => this.once(method, url, shownPath, options), policy, {
      signal: this.options.signal,
      sleep: this.options.sleep ?? defaultSleep,
      retryable: isTransient,
      onRetry: ({ attempt, delayMs, error }) =>
        this.options.logger.warn(
          `${this.vendor}: ${method} ${shownPath} failed (attempt ${attempt}): ${this.mask((error as Error).message)}; ` +
            `retrying in ${delayMs} ms`,
        ),
    }).catch((error: unknown) => {
      if (error instanceof TransientError && error.status === undefined) {
        // Out of attempts on a network fault: the vendor is unreachable, which ends the shard.
        throw new SourceError(
          `${this.vendor} at ${new URL(url).origin} is unreachable (${this.mask(error.message)}); check hostPort and the network`,
          'unreachable',
        );
      }
      throw error;
    });
  }

  /** Masks every configured secret in a text. */
  mask(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out;
  }

  /** `: <vendor message>` of an error body, masked (whole, for sign-in errors); empty when there is none. */
  vendorSuffix(body: unknown): string {
    const message = vendorMessage(body);
    return message ? `: ${this.mask(message)}` : '';
  }

  /** The session headers, signing in when there is no session yet. */
  private headers(): Promise<Headers> {
    if (!this.options.login) return Promise.resolve({});
    if (!this.session) {
      const login = this.options.login(this);
      this.session = login;
      login.then(
        (headers) => {
          if (this.session === login) this.sessionHeaders = headers;
        },
        // A failed sign-in must not stick: the next request tries again.
        () => {
          if (this.session === login) this.session = undefined;
        },
      );
    }
    return this.session;
  }

  /**
   * Signs in again unless another request already did since `stale` was issued. The check is
   * synchronous, so requests that got their 401 at the same time share one new sign-in.
   */
  private renew(stale: Headers): Promise<Headers> {
    if (this.sessionHeaders === stale) {
      this.session = undefined;
      this.sessionHeaders = undefined;
    }
    return this.headers();
  }

  private async once(method: string, url: string, shownPath: string, options: RequestOptions): Promise<HttpResult> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    let body: string | undefined;
    if (options.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 60_000);
    const signal = this.options.signal ? anySignal([this.options.signal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { method, headers, body, signal });
      text = await response.text();
    } catch (error) {
      if (this.options.signal?.aborted) throw this.options.signal.reason;
      if (timeout.aborted) throw new TransientError(`${method} ${shownPath} timed out`);
      const code = ((error as Error).cause as NodeJS.ErrnoException | undefined)?.code;
      if (isTransient(error)) throw new TransientError(code ?? (error as Error).message);
      throw new SourceError(
        `${this.vendor}: ${method} ${shownPath} failed: ${this.mask(code ?? (error as Error).message)}`,
        'unreachable',
      );
    }
    const parsed = parseJson(text);
    if (isTransientStatus(response.status)) {
      throw new TransientError(
        `${this.vendor} answered ${method} ${shownPath} with ${response.status}${this.detail(parsed)}`,
        parseRetryAfter(response.headers.get('retry-after')),
        response.status,
      );
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  private url(path: string, query: RequestOptions['query']): string {
    const url = new URL(/^https?:\/\//.test(path) ? path : this.baseUrl + (path.startsWith('/') ? path : `/${path}`));
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.href;
  }

  /** `: <vendor message>` from a JSON error body, short and masked; empty when there is none. */
  private detail(body: unknown): string {
    const message = vendorMessage(body);
    if (!message) return '';
    const oneLine = this.mask(message).replace(/\s+/g, ' ').trim();
    return `: ${oneLine.length > 160 ? `${oneLine.slice(0, 159)}…` : oneLine}`;
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The message field vendors use in error bodies (message, msg, error_description, error.summary...). */
export function vendorMessage(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  for (const key of ['message', 'msg', 'error_description', 'detail']) {
    if (typeof b[key] === 'string' && b[key]) return b[key];
  }
  const error = b.error;
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object') {
    const e = error as Record<string, unknown>;
    for (const key of ['summary', 'message', 'detail', 'code']) if (typeof e[key] === 'string') return e[key];
  }
  return undefined;
}

/** AbortSignal.any (Node >= 20.3), with a fallback for older runtimes. */
function anySignal(signals: readonly AbortSignal[]): AbortSignal {
  const any = (AbortSignal as { any?: (s: AbortSignal[]) => AbortSignal }).any;
  if (any) return any([...signals]);
  const controller = new AbortController();
  for (const s of signals) {
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    s.addEventListener('abort', () => controller.abort(s.reason), { once: true });
  }
  return controller.signal;
}
