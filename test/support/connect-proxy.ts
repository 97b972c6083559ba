/**
 * A forward proxy for tests, speaking what corporate proxies (Squid and the like) speak to kubectl:
 * `CONNECT host:port` answered `200 Connection Established` and then bytes piped both ways (https
 * servers), and requests in absolute form (`GET http://host:port/path`) forwarded (http servers).
 * With `credentials`, a request without the matching `Proxy-Authorization: Basic` gets 407 (RFC 9110
 * 15.5.8). Records what it was asked.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ConnectProxy {
  /** http(s)://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** `CONNECT 127.0.0.1:1234` or `GET http://127.0.0.1:1234/api`, with the Proxy-Authorization seen. */
  readonly requests: { readonly line: string; readonly authorization?: string }[];
  close(): Promise<void>;
}

export interface ConnectProxyOptions {
  /** `user:password` the proxy demands. @default none */
  readonly credentials?: string;
  /** Serve TLS (an https:// proxy) with this key and certificate. @default plain http */
  readonly tls?: { readonly key: string; readonly cert: string };
}

export async function startConnectProxy(options: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const requests: { line: string; authorization?: string }[] = [];
  const expected = options.credentials ? `Basic ${Buffer.from(options.credentials).toString('base64')}` : undefined;
  const sockets = new Set<net.Socket>();
  const allowed = (req: http.IncomingMessage) => {
    const authorization = req.headers['proxy-authorization'];
    requests.push({ line: `${req.method} ${req.url}`, ...(authorization ? { authorization } : {}) });
    return expected === undefined || authorization === expected;
  };
  const handler: http.RequestListener = (req, res) => {
    if (!allowed(req)) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const target = new URL(req.url ?? '');
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: target.pathname + target.search, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  };
  const server = options.tls ? https.createServer(options.tls, handler) : http.createServer(handler);
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (!allowed(req)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
      return;
    }
    const [host, port] = [
      (req.url ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, ''),
      /:(\d+)$/.exec(req.url ?? '')?.[1],
    ];
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
