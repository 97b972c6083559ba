import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/util/logger.js';
import type { RetryPolicyLike } from '../../src/util/retry.js';
import { OpenMetadataSink, SinkError, type BulkItemResult } from '../../src/sink/index.js';
import type { UpsertRequest } from '../../src/sources/contract.js';
import { schemaValidator } from '../support/om-schemas.js';
import { startOmServer, type OmServerOptions, type OmTestServer } from '../support/om-server.js';
import { databaseParents, table } from './fixtures.js';

const TOKEN = 'bulk-test-token';
const FAST: RetryPolicyLike = { maxAttempts: 8, backoffSeconds: 0.002, backoffFactor: 2, maxBackoffSeconds: 0.02 };

let om: OmTestServer | undefined;
let lines: string[] = [];
afterEach(async () => {
  await om?.close();
  om = undefined;
  lines = [];
});

async function connected(options: OmServerOptions, hostPort?: (url: string) => string, signal?: AbortSignal) {
  om = await startOmServer({ token: TOKEN, ...options });
  const sink = new OpenMetadataSink({
    hostPort: hostPort ? hostPort(om.url) : om.url,
    token: TOKEN,
    retryPolicy: FAST,
    logger: createLogger('DEBUG', (line) => lines.push(line)),
    signal,
  });
  await sink.check();
  for (const parent of databaseParents()) await sink.upsert(parent);
  return { sink, om };
}

const tables = (n: number, prefix = 't') => Array.from({ length: n }, (_, i) => table(`${prefix}${i}`));

describe('bulk table upserts (PUT /v1/tables/bulk)', () => {
  it('sends a batch as one request to a 1.13.4 server and says so in the run log', async () => {
    const { sink, om } = await connected({ version: '1.13.4' });
    expect(sink.mode()).toEqual({ dialect: 'openmetadata-1.13', tables: 'bulk', serverVersion: '1.13.4' });
    expect(lines.join('\n')).toContain('body dialect openmetadata-1.13, tables in bulk (PUT /v1/tables/bulk)');
    const results = await sink.upsertMany(tables(40));
    expect(results).toEqual(Array.from({ length: 40 }, () => 'updated'));
    expect(om.counters.bulkPuts).toBe(1);
    expect(om.counters.tablePuts).toBe(1);
    expect(om.entities('table').size).toBe(40);
    expect(om.invalidBodies).toEqual([]);
  });

  it('sends single PUTs to servers without the endpoint by version (1.0.4), never trying bulk', async () => {
    const { sink, om } = await connected({ version: '1.0.4' });
    expect(sink.mode()).toEqual({ dialect: 'openmetadata-1.0', tables: 'single', serverVersion: '1.0.4' });
    expect(await sink.upsertMany(tables(3))).toBeUndefined();
    expect(om.counters.bulkPuts).toBe(0);
  });

  it('falls back to single PUTs once, with one log line, when the server answers the route 405', async () => {
    const { sink, om } = await connected({ version: '2.0.0', bulkEndpoint: false });
    expect(await sink.upsertMany(tables(3))).toBeUndefined();
    expect(await sink.upsertMany(tables(3, 'u'))).toBeUndefined();
    expect(om.counters.bulkPuts).toBe(1);
    expect(sink.mode().tables).toBe('single');
    const fallback = lines.filter((l) => l.includes('has no PUT /v1/tables/bulk'));
    expect(fallback).toHaveLength(1);
    expect(fallback[0]).toContain('(HTTP 405); upserting tables one by one');
  });

  it('turns failed items of the BulkOperationResult into failures of those tables only', async () => {
    const { sink, om } = await connected({ version: '1.13.4' });
    const invalid: UpsertRequest = { ...table('bad'), body: { ...table('bad').body, columns: 'not a list' } };
    const orphan = table('orphan', 'no_such_service');
    const results = await sink.upsertMany([table('a'), invalid, orphan, table('b')]);
    expect(results?.[0]).toBe('updated');
    expect(results?.[3]).toBe('updated');
    for (const i of [1, 2]) {
      const failure = results?.[i] as BulkItemResult;
      expect(failure).toBeInstanceOf(SinkError);
      expect(failure).toMatchObject({ reason: 'rejected', status: 400 });
    }
    expect(String((results?.[2] as SinkError).message)).toContain('no_such_service.shop.public.orphan');
    expect([...om.entities('table').keys()].sort()).toEqual(['pg_test.shop.public.a', 'pg_test.shop.public.b']);
  });

  it('retries a batch answered 503 / 429 / reset as a batch, and throws once the retries are used up', async () => {
    const { sink, om } = await connected({ version: '1.13.4', seed: 7 });
    om.setFaults({ rate: 0.5, kinds: ['503', '429', 'reset'] });
    const results = await sink.upsertMany(tables(20));
    expect(results).toEqual(Array.from({ length: 20 }, () => 'updated'));
    expect(om.counters.faultsInjected).toBeGreaterThan(0);
    expect(om.counters.bulkPuts).toBe(om.counters.faultsInjected + 1);
    om.setFaults({ rate: 1, kinds: ['503'] });
    await expect(sink.upsertMany(tables(2, 'z'))).rejects.toMatchObject({ reason: 'other', status: 503 });
  });

  it('answers like the server: a BulkOperationResult valid against type/bulkOperationResult.json (1.13)', async () => {
    om = await startOmServer({ token: TOKEN, version: '1.13.4' });
    const put = (body: unknown) =>
      fetch(`${om!.url}/v1/tables/bulk`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const res = await put([table('x').body]);
    expect(res.status).toBe(200);
    const result = (await res.json()) as Record<string, unknown>;
    const validate = schemaValidator('1.13', 'type/bulkOperationResult.json');
    expect(validate(result), JSON.stringify(validate.errors)).toBe(true);
    expect(result).toMatchObject({ status: 'failure', numberOfRowsFailed: 1 });
    expect((await put({ tables: [] })).status).toBe(400);
    const old = await startOmServer({ token: TOKEN, version: '1.0.4' });
    try {
      const answer = await fetch(`${old.url}/v1/tables/bulk`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: '[]',
      });
      expect(answer.status).toBe(405);
    } finally {
      await old.close();
    }
  });
});

describe('sink hygiene', () => {
  it('never shows the userinfo of hostPort in a log line or an error', async () => {
    const { sink } = await connected({ version: '1.13.4' }, (url) =>
      url.replace('http://', 'http://svc-user:pa55-w0rd@'),
    );
    const connectedLine = lines.find((l) => l.includes('Connected to OpenMetadata'));
    expect(connectedLine).toMatch(/at http:\/\/127\.0\.0\.1:\d+\/api;/);
    const broken = new OpenMetadataSink({
      hostPort: 'http://svc-user:pa55-w0rd@127.0.0.1:1/api',
      token: TOKEN,
      retryPolicy: { ...FAST, maxAttempts: 1 },
      logger: createLogger('DEBUG', (line) => lines.push(line)),
    });
    const error = await broken.check().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain('http://127.0.0.1:1/api');
    for (const text of [...lines, error?.message ?? '']) {
      expect(text).not.toContain('pa55-w0rd');
      expect(text).not.toContain('svc-user');
    }
    await sink.close();
  });

  it('keeps one abort listener on the run signal with 60 requests in flight (no MaxListenersExceededWarning)', async () => {
    const controller = new AbortController();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const { sink } = await connected({ version: '1.0.4', latencyMs: 30 }, undefined, controller.signal);
      const pending = tables(60).map((t) => sink.upsert(t));
      await new Promise((r) => setTimeout(r, 10));
      expect(getEventListeners(controller.signal, 'abort').length).toBe(1);
      await Promise.all(pending);
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
