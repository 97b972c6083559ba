/**
 * Which proxy, if any, carries a request to the API server, and the tunnel through it — as kubectl does.
 *
 * client-go: a cluster's `proxy-url` (clientcmd/client_config.go, DirectClientConfig.ClientConfig:
 * `clientConfig.Proxy = http.ProxyURL(u)`; parseProxyURL accepts http, https and socks5) applies to
 * every request of that cluster, loopback included. Without it the transport uses
 * `http.ProxyFromEnvironment` (transport/cache.go, tlsTransportCache.get), which is golang.org/x/net
 * http/httpproxy (proxy.go, Config.ProxyFunc / useProxy): HTTPS_PROXY (or https_proxy) for https
 * servers, HTTP_PROXY (or http_proxy) for http ones, a value without a scheme read as http://, an
 * unparsable one ignored, NO_PROXY (or no_proxy) excluding hosts, and never for `localhost` or a
 * loopback address.
 *
 * An https server is reached through an HTTP CONNECT tunnel (TLS to an https proxy first), with the
 * proxy URL's user and password as `Proxy-Authorization: Basic`; an http server gets its request in
 * absolute form from the proxy (net/http Transport.dialConn / Request.write, the same). SOCKS5 is not
 * supported: it is refused with a sentence saying so.
 */
import { BlockList, isIP } from 'node:net';
import net from 'node:net';
import http from 'node:http';
import tls from 'node:tls';
import { domainToASCII } from 'node:url';

/** A proxy to use, with where it came from (for messages) and its credentials split off. */
export interface ProxyChoice {
  /** `http:` or `https:`. */
  readonly protocol: 'http:' | 'https:';
  readonly host: string;
  readonly port: number;
  /** `Proxy-Authorization` header value, when the URL has a user. */
  readonly authorization?: string;
  /** Where it was set: `proxy-url of cluster "c"` or `HTTPS_PROXY`. */
  readonly source: string;
  /** scheme://host:port, never the user or password. */
  readonly display: string;
}

/** A proxy setting argo-ingest cannot follow (socks5, an unknown scheme, an unparsable proxy-url). */
export class ProxySettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProxySettingError';
  }
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443, 'socks5:': 1080 };

/**
 * The proxy for requests to `server`: the cluster's proxy-url when set, else the environment's, else
 * undefined (direct). Throws ProxySettingError for a proxy-url kubectl would refuse or we cannot use.
 */
export function chooseProxy(
  server: URL,
  proxyUrl: string | undefined,
  env: NodeJS.ProcessEnv,
  cluster = 'the cluster',
): ProxyChoice | undefined {
  if (proxyUrl !== undefined && proxyUrl !== '') {
    const source = `proxy-url of ${cluster}`;
    let url: URL;
    try {
      url = new URL(proxyUrl);
    } catch {
      throw new ProxySettingError(`the ${source} is not a URL; write it like http://proxy.example.com:3128`);
    }
    if (!['http:', 'https:', 'socks5:'].includes(url.protocol)) {
      throw new ProxySettingError(
        `the ${source} has the scheme "${url.protocol.replace(/:$/, '')}"; kubectl accepts http, https or socks5`,
      );
    }
    return usable(url, source);
  }
  const https = server.protocol === 'https:';
  const name = https ? 'HTTPS_PROXY' : 'HTTP_PROXY';
  const value = envAny(env, name, name.toLowerCase());
  if (!value) return undefined;
  if (!https && env.REQUEST_METHOD) {
    // httpproxy refuses HTTP_PROXY under CGI, where a client could set it through a Proxy: header.
    throw new ProxySettingError('refusing to use HTTP_PROXY in a CGI environment (REQUEST_METHOD is set)');
  }
  const url = parseEnvProxy(value);
  if (!url) return undefined;
  if (!useProxy(server, envAny(env, 'NO_PROXY', 'no_proxy') ?? '')) return undefined;
  return usable(url, value === env[name] ? name : name.toLowerCase());
}

function envAny(env: NodeJS.ProcessEnv, ...names: string[]): string | undefined {
  for (const n of names) if (env[n]) return env[n];
  return undefined;
}

/** httpproxy parseProxy: a URL with scheme http, https or socks5, else tried again as http://value. */
function parseEnvProxy(value: string): URL | undefined {
  try {
    const url = new URL(value);
    if (['http:', 'https:', 'socks5:'].includes(url.protocol) && url.host !== '') return url;
  } catch {
    // falls through to http://
  }
  try {
    return new URL(`http://${value}`);
  } catch {
    return undefined;
  }
}

function usable(url: URL, source: string): ProxyChoice {
  if (url.protocol === 'socks5:') {
    throw new ProxySettingError(
      `the ${source} is a SOCKS5 proxy (${url.protocol}//${url.host}), which argo-ingest does not support; ` +
        'use an http or https proxy, or run argo-ingest where the API server is reachable directly',
    );
  }
  const protocol = url.protocol as 'http:' | 'https:';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port === '' ? DEFAULT_PORTS[protocol]! : Number(url.port);
  const user = decoded(url.username);
  const password = decoded(url.password);
  return {
    protocol,
    host,
    port,
    ...(url.username !== '' ? { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } : {}),
    source,
    display: `${protocol}//${url.host}`,
  };
}

/** A URL's user or password as written when it is not valid percent-encoding (never an exception). */
function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** httpproxy useProxy: false for localhost, loopback addresses and hosts NO_PROXY names. */
export function useProxy(server: URL, noProxy: string): boolean {
  const bare = server.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const host = isIP(bare) !== 0 ? bare : domainToASCII(bare) || bare;
  const port = server.port === '' ? String(DEFAULT_PORTS[server.protocol] ?? '') : server.port;
  if (host === 'localhost') return false;
  const family = isIP(host);
  if (family !== 0 && isLoopback(host, family)) return false;
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return false;
    const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
    if (cidr && isIP(cidr[1]!) !== 0) {
      if (family !== 0 && inCidr(host, family, cidr[1]!, Number(cidr[2]))) return false;
      continue;
    }
    const { host: entryHost, port: entryPort } = splitHostPort(entry);
    if (entryHost === '') continue;
    if (entryPort !== '' && entryPort !== port) continue;
    if (isIP(entryHost) !== 0) {
      if (family !== 0 && sameIp(host, entryHost)) return false;
      continue;
    }
    // "foo.com" matches foo.com and its subdomains, ".foo.com" and "*.foo.com" only the subdomains.
    let domain = entryHost.startsWith('*.') ? entryHost.slice(1) : entryHost;
    const matchHost = !domain.startsWith('.');
    if (matchHost) domain = `.${domain}`;
    domain = domainToASCII(domain.slice(1)) ? `.${domainToASCII(domain.slice(1))}` : domain;
    if (host.endsWith(domain) || (matchHost && host === domain.slice(1))) return false;
  }
  return true;
}

function splitHostPort(entry: string): { host: string; port: string } {
  const bracketed = /^\[([^\]]*)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { host: bracketed[1]!, port: bracketed[2] ?? '' };
  // An IPv6 address without brackets has several colons and no port.
  if ((entry.match(/:/g) ?? []).length > 1) return { host: entry, port: '' };
  const colon = entry.lastIndexOf(':');
  return colon < 0 ? { host: entry, port: '' } : { host: entry.slice(0, colon), port: entry.slice(colon + 1) };
}

function isLoopback(ip: string, family: number): boolean {
  const list = new BlockList();
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  list.addAddress('::1', 'ipv6');
  list.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');
  return list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
}

function inCidr(ip: string, family: number, network: string, prefix: number): boolean {
  const type = isIP(network) === 6 ? 'ipv6' : 'ipv4';
  const list = new BlockList();
  try {
    list.addSubnet(network, prefix, type);
  } catch {
    return false;
  }
  return list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
}

function sameIp(a: string, b: string): boolean {
  const list = new BlockList();
  list.addAddress(b, isIP(b) === 6 ? 'ipv6' : 'ipv4');
  return list.check(a, isIP(a) === 6 ? 'ipv6' : 'ipv4');
}

/** The TLS settings of the API server connection, which an https proxy is also checked with (as Go does). */
export interface TunnelTls {
  readonly ca?: string;
  readonly rejectUnauthorized: boolean;
  readonly servername?: string;
  readonly cert?: string;
  readonly key?: string;
}

/**
 * A `createConnection` for https.request that opens a CONNECT tunnel through `proxy` to the request's
 * host and port, then TLS to the API server inside it. A refused tunnel (407, 403, 502, ...) fails the
 * request with an error naming the proxy (never its credentials).
 */
export function tunnelConnection(
  proxy: ProxyChoice,
  tlsOptions: TunnelTls,
  timeoutMs: number,
): NonNullable<http.ClientRequestArgs['createConnection']> {
  return (options, done) => {
    const host = (options.hostname ?? options.host ?? 'localhost').replace(/^\[|\]$/g, '');
    const port = Number(options.port ?? 443);
    const authority = isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
    const toProxy =
      proxy.protocol === 'https:'
        ? tls.connect({
            host: proxy.host,
            port: proxy.port,
            ...(isIP(proxy.host) === 0 ? { servername: proxy.host } : {}),
            ...(tlsOptions.ca !== undefined ? { ca: tlsOptions.ca } : {}),
            rejectUnauthorized: tlsOptions.rejectUnauthorized,
          })
        : net.connect({ host: proxy.host, port: proxy.port });
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      toProxy.destroy();
      // With an error the request emits it and ignores the socket (ClientRequest's oncreate).
      done(error, toProxy);
    };
    // Every failure on the way to the API server is the proxy's (code EPROXY, explained as such).
    toProxy.setTimeout(timeoutMs, () =>
      fail(
        Object.assign(new Error(`the proxy ${proxy.display} (${proxy.source}) did not answer within ${timeoutMs} ms`), {
          code: 'EPROXY',
        }),
      ),
    );
    const connect = http.request({
      method: 'CONNECT',
      path: authority,
      headers: { host: authority, ...(proxy.authorization ? { 'proxy-authorization': proxy.authorization } : {}) },
      createConnection: () => toProxy,
    });
    connect.on('connect', (res, socket) => {
      toProxy.setTimeout(0);
      if (res.statusCode !== 200) {
        socket.destroy();
        fail(
          Object.assign(
            new Error(
              `the proxy ${proxy.display} (${proxy.source}) refused the tunnel to ${authority}: HTTP ${res.statusCode}` +
                (res.statusCode === 407 ? ' (it wants credentials: put them in the proxy URL as user:password@)' : ''),
            ),
            { code: 'EPROXY' },
          ),
        );
        return;
      }
      settled = true;
      done(
        null,
        tls.connect({
          socket,
          // `host` is what the certificate is checked against when no tls-server-name is set.
          host,
          ...(tlsOptions.servername !== undefined
            ? { servername: tlsOptions.servername }
            : isIP(host) === 0
              ? { servername: host }
              : {}),
          ...(tlsOptions.ca !== undefined ? { ca: tlsOptions.ca } : {}),
          ...(tlsOptions.cert !== undefined ? { cert: tlsOptions.cert, key: tlsOptions.key } : {}),
          rejectUnauthorized: tlsOptions.rejectUnauthorized,
        }),
      );
    });
    connect.on('error', (error: NodeJS.ErrnoException) =>
      fail(
        Object.assign(new Error(`cannot reach the proxy ${proxy.display} (${proxy.source}): ${error.message}`), {
          code: 'EPROXY',
        }),
      ),
    );
    connect.end();
    return undefined;
  };
}
