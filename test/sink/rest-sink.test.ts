import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/util/logger.js';
import type { RetryPolicyLike } from '../../src/util/retry.js';
import { SinkError, createSink, type Sink } from '../../src/sink/index.js';
import type { UpsertRequest } from '../../src/sources/contract.js';
import { startOmServer, type OmTestServer } from '../support/om-server.js';
import { sinkTestConfig } from './config.js';
import { dashboardRequests, databaseParents, table } from './fixtures.js';

/** A marker token: it must never show up in an error message or a log line. */
const MARKER = 'MARKER-JWT-5f1e2d3c4b';
const WRONG_MARKER = 'WRONG-MARKER-JWT-9a8b7c';

/** Short backoffs so retries take milliseconds. */
const FAST: RetryPolicyLike = { maxAttempts: 8, backoffSeconds: 0.005, backoffFactor: 2, maxBackoffSeconds: 0.05 };

const logLines: string[] = [];
const errors: string[] = [];
const logger = createLogger('DEBUG', (line) => logLines.push(line));

function sinkFor(hostPort: string, token = MARKER, extra: Parameters<typeof createSink>[1] | object = {}): Sink {
  return createSink(sinkTestConfig({ hostPort, token }), { logger, retryPolicy: FAST, ...extra });
}

/** Runs `fn`, expecting a SinkError; records its message for the marker check. */
async function sinkError(fn: () => Promise<unknown>): Promise<SinkError> {
  try {
    await fn();
  } catch (error) {
    errors.push(String((error as Error).message));
    if (error instanceof SinkError) return error;
    throw error;
  }
  throw new Error('expected a SinkError');
}

function expectOneSentence(message: string) {
  expect(message).not.toContain('\n');
  expect(message).toMatch(/\.$/);
  expect(message).not.toContain(MARKER);
  expect(message).not.toContain(WRONG_MARKER);
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
}

describe('OpenMetadata REST sink', () => {
  let om: OmTestServer;
  beforeAll(async () => {
    om = await startOmServer({ token: MARKER, seed: 3 });
  });
  afterEach(() => {
    om.setFaults(undefined);
    om.reset();
  });
  afterAll(() => om.close());

  it('passes the start-up check and logs the server version', async () => {
    await sinkFor(om.url).check();
    expect(logLines.some((l) => l.includes(`Connected to OpenMetadata 1.0.4 at ${om.url}`))).toBe(true);
  });

  it('upserts every entity kind: created first, updated the second time', async () => {
    const sink = sinkFor(om.url);
    const requests: UpsertRequest[] = [...databaseParents(), table('orders'), ...dashboardRequests()];
    for (const r of requests) expect(await sink.upsert(r)).toBe('created');
    for (const r of requests) expect(await sink.upsert(r)).toBe('updated');
    for (const r of requests) expect(om.entities(r.kind).has(r.fqn)).toBe(true);
    expect(om.counters).toMatchObject({ created: requests.length, updated: requests.length, rejected: 0 });
    expect(om.invalidBodies).toEqual([]);
    await sink.close();
  });

  it('gets every entity through 20% 503/429 faults and connection resets', async () => {
    const sink = sinkFor(om.url);
    for (const r of databaseParents()) await sink.upsert(r);
    om.setFaults({ rate: 0.2, kinds: ['503', '429', 'reset'], retryAfterSeconds: 0 });
    const names = Array.from({ length: 300 }, (_, i) => `t${String(i).padStart(3, '0')}`);
    // 50 concurrent upserts at a time, as a local run at parallelism 50 would issue them.
    const queue = [...names];
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        for (let name = queue.shift(); name !== undefined; name = queue.shift()) await sink.upsert(table(name));
      }),
    );
    expect(om.entities('table').size).toBe(300);
    expect(om.counters.faultsInjected).toBeGreaterThan(30);
    expect(om.counters.created).toBe(303);
    // Keep-alive: far fewer TCP connections than requests (resets force a few new ones).
    expect(om.counters.connections).toBeLessThan(om.counters.faultsInjected + 60);
    expect(om.counters.connections).toBeLessThan(om.counters.puts / 2);
  });

  it('waits as long as Retry-After says, not the configured backoff', async () => {
    const delays: number[] = [];
    const slowPolicy = { maxAttempts: 3, backoffSeconds: 30, backoffFactor: 2, maxBackoffSeconds: 600 };
    const sleep = async (ms: number) => {
      delays.push(ms);
      om.setFaults(undefined);
    };
    const sink = sinkFor(om.url, MARKER, { retryPolicy: slowPolicy, sleep });
    om.setFaults({ rate: 1, kinds: ['429'], retryAfterSeconds: 1 });
    expect(await sink.upsert(databaseParents()[0]!)).toBe('created');
    expect(delays).toEqual([1000]);

    delays.length = 0;
    om.setFaults({ rate: 1, kinds: ['503'], retryAfterSeconds: null });
    expect(await sink.upsert(databaseParents()[0]!)).toBe('updated');
    expect(delays).toEqual([30_000]);
  });

  it('gives up after maxAttempts with a SinkError carrying the status', async () => {
    om.setFaults({ rate: 1, kinds: ['503'], retryAfterSeconds: 0 });
    const error = await sinkError(() => sinkFor(om.url).upsert(databaseParents()[0]!));
    expect(error.status).toBe(503);
    expect(error.message).toContain(`after ${FAST.maxAttempts} attempt(s)`);
    expect(om.counters.puts).toBe(FAST.maxAttempts);
  });

  it('turns a body the server rejects into a "rejected" SinkError with the server message', async () => {
    const sink = sinkFor(om.url);
    for (const r of databaseParents()) await sink.upsert(r);
    const bad = table('orders');
    const error = await sinkError(() =>
      sink.upsert({ ...bad, body: { ...bad.body, columns: [{ name: 'id', dataType: 'NOT_A_TYPE' }] } }),
    );
    expect(error.reason).toBe('rejected');
    expect(error.status).toBe(400);
    expect(error.message).toContain('table pg_test.shop.public.orders');
    expect(error.message).toContain('/columns/0/dataType');
    // One bad entity does not stop the next.
    expect(await sink.upsert(table('fine'))).toBe('created');

    const orphan = await sinkError(() => sink.upsert(table('x', 'no_such_service')));
    expect(orphan.reason).toBe('rejected');
    expect(orphan.status).toBe(404);
  });

  it('ends an unreachable hostPort in one sentence naming it and the fix', async () => {
    const closed = createServer();
    const port = await listen(closed);
    await new Promise<void>((r) => closed.close(() => r()));
    const hostPort = `http://127.0.0.1:${port}/api`;
    const error = await sinkError(() => sinkFor(hostPort).check());
    expect(error.reason).toBe('unreachable');
    expect(error.message).toContain(hostPort);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain('workflowConfig.openMetadataServerConfig.hostPort');
    expectOneSentence(error.message);

    const upsertError = await sinkError(() => sinkFor(hostPort).upsert(databaseParents()[0]!));
    expect(upsertError.reason).toBe('unreachable');
    expectOneSentence(upsertError.message);
  });

  it('times out a server that never answers and reports it unreachable', async () => {
    const silent = createServer(() => {
      // Accept the request, never answer.
    });
    const port = await listen(silent);
    try {
      const hostPort = `http://127.0.0.1:${port}/api`;
      const sink = sinkFor(hostPort, MARKER, { requestTimeoutMs: 100, retryPolicy: { ...FAST, maxAttempts: 2 } });
      const error = await sinkError(() => sink.upsert(databaseParents()[0]!));
      expect(error.reason).toBe('unreachable');
      expect(error.message).toContain('ETIMEDOUT');
      expectOneSentence(error.message);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('stops retrying when the run is cancelled and reports the cancellation', async () => {
    const controller = new AbortController();
    const sleep = async () => controller.abort(new Error('run cancelled'));
    const sink = sinkFor(om.url, MARKER, { signal: controller.signal, sleep });
    om.setFaults({ rate: 1, kinds: ['503'], retryAfterSeconds: 0 });
    await expect(sink.upsert(databaseParents()[0]!)).rejects.toThrow('run cancelled');
    expect(om.counters.puts).toBe(1);
  });

  it('ends a wrong token in one sentence that names the setting, never the token', async () => {
    const error = await sinkError(() => sinkFor(om.url, WRONG_MARKER).check());
    expect(error.reason).toBe('auth');
    expect(error.status).toBe(401);
    expect(error.message).toContain(om.url);
    expect(error.message).toContain('securityConfig.jwtToken');
    expectOneSentence(error.message);

    const upsertError = await sinkError(() => sinkFor(om.url, WRONG_MARKER).upsert(databaseParents()[0]!));
    expect(upsertError.reason).toBe('auth');
    expectOneSentence(upsertError.message);
  });

  it('says a URL is not OpenMetadata, for another HTTP server and for a hostPort without /api', async () => {
    const other = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html><body>Not here</body></html>');
    });
    const port = await listen(other);
    try {
      const hostPort = `http://127.0.0.1:${port}/api`;
      const error = await sinkError(() => sinkFor(hostPort).check());
      expect(error.message).toContain(`${hostPort} does not look like an OpenMetadata server`);
      expect(error.message).toContain('HTTP 404');
      expectOneSentence(error.message);
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
    const withoutApi = om.url.replace(/\/api$/, '');
    const error = await sinkError(() => sinkFor(withoutApi).check());
    expect(error.message).toContain('ending in /api');
    expectOneSentence(error.message);
  });

  it('lists tables under a service across its databases, page by page, and soft-deletes them', async () => {
    const sink = createSink(sinkTestConfig({ hostPort: om.url, token: MARKER }), { logger, retryPolicy: FAST });
    const second = databaseParents()
      .slice(1)
      .map((r) => ({
        ...r,
        fqn: r.fqn.replace('shop', 'archive'),
        body: JSON.parse(JSON.stringify(r.body).replaceAll('shop', 'archive')) as Record<string, unknown>,
      }));
    for (const r of [...databaseParents(), ...second]) await sink.upsert(r);
    for (const name of ['a', 'b', 'c']) await sink.upsert(table(name));
    const archived = table('old');
    await sink.upsert({
      ...archived,
      body: { ...archived.body, databaseSchema: 'pg_test.archive.public' },
    });
    for (const r of databaseParents('other_service')) await sink.upsert(r);
    await sink.upsert(table('foreign', 'other_service'));

    const paged = createSink(sinkTestConfig({ hostPort: om.url, token: MARKER }), { logger, retryPolicy: FAST });
    const listed: { id: string; fqn: string }[] = [];
    for await (const e of paged.listEntities!('table', 'pg_test')) listed.push(e);
    expect(listed.map((e) => e.fqn).sort()).toEqual([
      'pg_test.archive.public.old',
      'pg_test.shop.public.a',
      'pg_test.shop.public.b',
      'pg_test.shop.public.c',
    ]);
    const onlyShop: string[] = [];
    for await (const e of paged.listEntities!('table', 'pg_test', { database: 'pg_test.shop' })) onlyShop.push(e.fqn);
    expect(onlyShop).toHaveLength(3);

    const b = listed.find((e) => e.fqn === 'pg_test.shop.public.b')!;
    await paged.softDelete!('table', b.id);
    expect(om.entities('table').get('pg_test.shop.public.b')?.deleted).toBe(true);
    const after: string[] = [];
    for await (const e of paged.listEntities!('table', 'pg_test')) after.push(e.fqn);
    expect(after).not.toContain('pg_test.shop.public.b');
    expect(after).toHaveLength(3);
    // Deleting again (an earlier answer lost) is not an error.
    await paged.softDelete!('table', '00000000-0000-0000-0000-000000000000');
  });

  it('lists more tables than one page holds', async () => {
    const sink = createSink(sinkTestConfig({ hostPort: om.url, token: MARKER }), { logger, retryPolicy: FAST });
    for (const r of databaseParents()) await sink.upsert(r);
    for (let i = 0; i < 1203; i++) await sink.upsert(table(`p${i}`));
    let count = 0;
    for await (const e of sink.listEntities!('table', 'pg_test'))
      if (e.fqn.startsWith('pg_test.shop.public.p')) count++;
    expect(count).toBe(1203);
  });

  it('lists dashboards and charts by service', async () => {
    const sink = sinkFor(om.url);
    for (const r of dashboardRequests()) await sink.upsert(r);
    const dashboards: string[] = [];
    for await (const e of sink.listEntities!('dashboard', 'bi_test')) dashboards.push(e.fqn);
    const charts: string[] = [];
    for await (const e of sink.listEntities!('chart', 'bi_test')) charts.push(e.fqn);
    expect(dashboards).toEqual(['bi_test.d1']);
    expect(charts).toEqual(['bi_test.c1']);
  });

  it('never wrote a token into an error or a log line', () => {
    expect(errors.length).toBeGreaterThan(5);
    expect(logLines.length).toBeGreaterThan(5);
    for (const line of [...errors, ...logLines]) {
      expect(line).not.toContain(MARKER);
      expect(line).not.toContain(WRONG_MARKER);
    }
  });
});
