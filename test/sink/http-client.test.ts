import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpClient, NetworkError } from '../../src/sink/http.js';

const TOKEN = 'MARKER-JWT-http-client-7c6d';
const servers: Server[] = [];

/** A real HTTP server on 127.0.0.1 answering with `handler`; closed after each test. */
async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createServer(handler);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  server.once('close', () => sockets.forEach((s) => s.destroy()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function networkError(promise: Promise<unknown>): Promise<NetworkError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NetworkError);
  return error as NetworkError;
}

describe('HttpClient', () => {
  it('sends the JSON body with its length and the bearer token, and parses the JSON answer', async () => {
    const seen: { method?: string; url?: string; auth?: string; type?: string; length?: string; body?: string }[] = [];
    const base = await serve((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({
          method: req.method,
          url: req.url,
          auth: req.headers.authorization,
          type: req.headers['content-type'],
          length: req.headers['content-length'],
          body,
        });
        res.writeHead(201, { 'content-type': 'application/json', 'retry-after': '3' });
        res.end(JSON.stringify({ name: 'é' }));
      });
    });
    const client = new HttpClient({ baseUrl: base, token: TOKEN });
    const res = await client.request('PUT', 'tables', { name: 'café' });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({ name: 'é' });
    expect(res.headers.get('Retry-After')).toBe('3');
    expect(res.headers.get('x-missing')).toBeNull();
    expect(seen).toEqual([
      {
        method: 'PUT',
        url: '/api/v1/tables',
        auth: `Bearer ${TOKEN}`,
        type: 'application/json',
        length: String(Buffer.byteLength('{"name":"café"}')),
        body: '{"name":"café"}',
      },
    ]);
    // Without auth (the version check), no Authorization header.
    await client.request('GET', 'system/version', undefined, false);
    expect(seen[1]).toMatchObject({ method: 'GET', auth: undefined, type: undefined });
    client.close();
  });

  it('reuses kept-alive connections for sequential and concurrent requests', async () => {
    let connections = 0;
    const base = await serve((_req, res) => res.end('{}'));
    servers[0]!.on('connection', () => connections++);
    const client = new HttpClient({ baseUrl: base, token: TOKEN });
    for (let i = 0; i < 10; i++) await client.request('GET', 'x');
    await Promise.all(Array.from({ length: 10 }, () => client.request('GET', 'x')));
    expect(connections).toBeLessThanOrEqual(10);
    expect(connections).toBeGreaterThanOrEqual(1);
    client.close();
  });

  it('turns a refused connection into a NetworkError with its code', async () => {
    const base = await serve(() => undefined);
    const port = new URL(base).port;
    await new Promise<void>((resolve) => servers.splice(0)[0]!.close(() => resolve()));
    const error = await networkError(
      new HttpClient({ baseUrl: `http://127.0.0.1:${port}/api/v1` }).request('GET', 'x'),
    );
    expect(error.code).toBe('ECONNREFUSED');
  });

  it('gives up on a server that never answers after the timeout, as ETIMEDOUT, without the token', async () => {
    const base = await serve(() => undefined);
    const error = await networkError(
      new HttpClient({ baseUrl: base, token: TOKEN, timeoutMs: 100 }).request('GET', 'x'),
    );
    expect(error.code).toBe('ETIMEDOUT');
    expect(error.message).not.toContain(TOKEN);
  });

  it('stops at once when the caller aborts, with the abort rather than a network error', async () => {
    const base = await serve(() => undefined);
    const controller = new AbortController();
    const pending = new HttpClient({ baseUrl: base, signal: controller.signal }).request('GET', 'x');
    setTimeout(() => controller.abort(new Error('cancelled by the test')), 20);
    const error = await pending.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).not.toBeInstanceOf(NetworkError);
    expect((error as Error).name).toBe('AbortError');
  });
});
