/**
 * A minimal JSON client for the Kubernetes API on plain node:http(s): the kubeconfig's credentials
 * (src/cluster/credentials.ts) and TLS settings, and objects sent exactly as synthesized (no model
 * classes dropping or renaming fields). `http://` servers (`kubectl proxy`) work as with kubectl.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { credentialProvider, type CredentialOptions } from './credentials.js';
import { KubeHttpError, KubeUnreachableError } from './errors.js';
import { chooseProxy, tunnelConnection, type ProxyChoice } from './proxy.js';
import type { Impersonation, LoadedKubeConfig } from './kubeconfig.js';

export type KubeMethod = 'GET' | 'POST' | 'PUT' | 'PATCH';

export interface RequestOptions {
  /** @default application/json */
  readonly contentType?: string;
  /** Query parameters. */
  readonly query?: Readonly<Record<string, string>>;
}

export interface KubeClient {
  /** The API server URL. */
  readonly server: string;
  /** The proxy requests go through (proxy-url or HTTPS_PROXY / HTTP_PROXY); undefined when direct. */
  readonly proxy?: ProxyChoice;
  /** Sends one request; resolves to the parsed JSON body; throws KubeHttpError / KubeUnreachableError. */
  request<T = Record<string, unknown>>(
    method: KubeMethod,
    path: string,
    body?: unknown,
    options?: RequestOptions,
  ): Promise<T>;
  /** As request(), with the HTTP status (201 Created vs 200 OK for an apply). */
  exchange<T = Record<string, unknown>>(
    method: KubeMethod,
    path: string,
    body?: unknown,
    options?: RequestOptions,
  ): Promise<{ status: number; body: T }>;
  /**
   * Opens a streaming GET (a watch): calls `onLine` for each newline-terminated line; resolves when the
   * server ends the stream; rejects on a non-2xx answer (KubeHttpError) or a broken connection.
   */
  stream(
    path: string,
    query: Readonly<Record<string, string>>,
    onLine: (line: string) => void,
    signal?: AbortSignal,
  ): Promise<void>;
}

export interface KubeClientOptions extends Partial<
  Pick<CredentialOptions, 'execTimeoutMs' | 'signal' | 'env' | 'interactive'>
> {
  /** Per-request timeout (not for streams). @default 30000 */
  readonly timeoutMs?: number;
}

export function createKubeClient(kube: LoadedKubeConfig, options: KubeClientOptions = {}): KubeClient {
  const base = new URL(kube.cluster.server);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const credentials = credentialProvider(kube.user, kube.cluster, {
    context: kube.context,
    ...(options.execTimeoutMs !== undefined ? { execTimeoutMs: options.execTimeoutMs } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
    ...(options.interactive !== undefined ? { interactive: options.interactive } : {}),
  });
  const impersonation = impersonationHeaders(kube.user.impersonate);
  const proxy = chooseProxy(
    base,
    kube.cluster.proxyUrl,
    options.env ?? process.env,
    `cluster of context "${kube.context}"`,
  );
  const secure = base.protocol === 'https:';
  // The module of the first hop: TLS to an https server (tunnelled when proxied), or to an https proxy
  // that carries an http server's requests.
  const transport = secure || proxy?.protocol === 'https:' ? https : http;

  const requestOptions = async (
    method: KubeMethod,
    path: string,
    query: Readonly<Record<string, string>> | undefined,
    headers: Record<string, string | number>,
  ): Promise<https.RequestOptions> => {
    const target = new URL(base.pathname.replace(/\/$/, '') + path, base);
    for (const [k, v] of Object.entries(query ?? {})) target.searchParams.set(k, v);
    const creds = await credentials.get();
    const opts: https.RequestOptions = {
      method,
      protocol: target.protocol,
      hostname: target.hostname.replace(/^\[|\]$/g, ''),
      port: target.port,
      path: target.pathname + target.search,
      headers: {
        accept: 'application/json',
        'user-agent': 'argo-ingest',
        ...headers,
        ...(creds.authorization !== undefined ? { authorization: creds.authorization } : {}),
        ...impersonation,
      },
    };
    if (secure) {
      const tlsOptions = {
        rejectUnauthorized: !kube.cluster.insecureSkipTlsVerify,
        ...(kube.cluster.ca !== undefined ? { ca: kube.cluster.ca } : {}),
        ...(kube.cluster.tlsServerName !== undefined ? { servername: kube.cluster.tlsServerName } : {}),
        ...(creds.cert !== undefined ? { cert: creds.cert, key: creds.key } : {}),
      };
      Object.assign(opts, tlsOptions);
      if (proxy) opts.createConnection = tunnelConnection(proxy, tlsOptions, timeoutMs);
    } else if (proxy) {
      // An http server: the proxy gets the request in absolute form. The kubeconfig's CA is not read for
      // an http server (clientcmd loads it only when the transport is TLS), so an https proxy is checked
      // against the system's CAs.
      Object.assign(opts, {
        protocol: proxy.protocol,
        hostname: proxy.host,
        port: proxy.port,
        path: target.href,
        ...(proxy.protocol === 'https:' && isIP(proxy.host) === 0 ? { servername: proxy.host } : {}),
      });
      if (proxy.authorization) (opts.headers as Record<string, string>)['proxy-authorization'] = proxy.authorization;
    }
    return opts;
  };

  const once = async (
    method: KubeMethod,
    path: string,
    body: unknown,
    options: RequestOptions,
  ): Promise<{ status: number; text: string }> => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const opts = await requestOptions(
      method,
      path,
      options.query,
      payload !== undefined
        ? { 'content-type': options.contentType ?? 'application/json', 'content-length': Buffer.byteLength(payload) }
        : {},
    );
    return send(transport, { ...opts, timeout: timeoutMs }, payload, kube.cluster.server);
  };

  const exchange = async <T>(
    method: KubeMethod,
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<{ status: number; body: T }> => {
    let answer = await once(method, path, body, options);
    // A 401 may mean that an exec credential expired early: fetch a new one once (exec.go: a 401
    // makes the Authenticator refresh).
    if (answer.status === 401 && credentials.invalidate()) answer = await once(method, path, body, options);
    if (answer.status >= 200 && answer.status < 300) {
      return { status: answer.status, body: (answer.text ? JSON.parse(answer.text) : {}) as T };
    }
    throw httpError(method, path, answer.status, answer.text);
  };

  return {
    server: kube.cluster.server,
    ...(proxy ? { proxy } : {}),
    exchange,
    async request<T>(method: KubeMethod, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
      return (await exchange<T>(method, path, body, options)).body;
    },
    async stream(path, query, onLine, signal) {
      const opts = await requestOptions('GET', path, query, {});
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          resolve();
          return;
        }
        const req = transport.request(opts, (res) => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status >= 300) {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => reject(httpError('GET', path, status, Buffer.concat(chunks).toString('utf8'))));
            res.on('error', (e) => reject(unreachable(kube.cluster.server, e)));
            return;
          }
          let buffered = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffered += chunk;
            let newline;
            while ((newline = buffered.indexOf('\n')) >= 0) {
              const line = buffered.slice(0, newline).trim();
              buffered = buffered.slice(newline + 1);
              if (line === '') continue;
              try {
                onLine(line);
              } catch (error) {
                // A line the caller cannot use ends the stream with that error.
                req.destroy();
                reject(error instanceof Error ? error : new Error(String(error)));
                return;
              }
            }
          });
          res.on('end', () => resolve());
          res.on('error', (e) => reject(unreachable(kube.cluster.server, e)));
          res.on('aborted', () => reject(unreachable(kube.cluster.server, new Error('the watch was cut'))));
        });
        req.on('error', (e) => reject(unreachable(kube.cluster.server, e)));
        // Aborting ends the stream as if the server had closed it.
        const onAbort = () => {
          resolve();
          req.destroy();
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        req.on('close', () => signal?.removeEventListener('abort', onAbort));
        req.end();
      });
    },
  };
}

function send(
  transport: typeof http | typeof https,
  opts: https.RequestOptions,
  payload: string | undefined,
  server: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = transport.request(opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => reject(unreachable(server, e)));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', (e) => reject(unreachable(server, e)));
    req.end(payload);
  });
}

/**
 * The headers of client-go's impersonatingRoundTripper (transport/round_trippers.go): Impersonate-User,
 * Impersonate-Uid, one Impersonate-Group per group, one Impersonate-Extra-<key> per value, the key
 * %-escaped where it is not an HTTP token character (headerKeyEscape; `%` itself always).
 */
export function impersonationHeaders(as: Impersonation | undefined): Record<string, string | string[]> {
  if (!as) return {};
  const headers: Record<string, string | string[]> = { 'impersonate-user': as.user };
  if (as.uid !== undefined) headers['impersonate-uid'] = as.uid;
  if (as.groups.length > 0) headers['impersonate-group'] = [...as.groups];
  for (const [key, values] of Object.entries(as.extra)) {
    if (values.length > 0) headers[`impersonate-extra-${headerKeyEscape(key)}`] = [...values];
  }
  return headers;
}

/** RFC 7230 token characters other than `%` stay; every other byte of the UTF-8 key becomes %XX. */
function headerKeyEscape(key: string): string {
  let out = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /^[!#$&'*+\-.^_`|~0-9A-Za-z]$/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function unreachable(server: string, error: Error): KubeUnreachableError {
  const code = (error as { code?: string }).code ?? 'ERROR';
  return new KubeUnreachableError(server, code, error.message);
}

function httpError(method: string, path: string, status: number, text: string): KubeHttpError {
  let parsed: { kind?: string; reason?: string; message?: string; details?: { name?: string } } | undefined;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  if (parsed?.kind === 'Status') {
    return new KubeHttpError(method, path, status, parsed.reason, parsed.message ?? '', parsed.details?.name);
  }
  return new KubeHttpError(method, path, status, undefined, text.trim().slice(0, 200), undefined);
}
