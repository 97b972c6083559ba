import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UpsertRequest } from '../../src/sources/contract.js';
import { collectionOf, startOmServer, type OmTestServer } from '../support/om-server.js';
import { validateCreate } from '../support/om-schemas.js';
import { dashboardRequests, databaseParents, table } from './fixtures.js';

const TOKEN = 'om-server-test-token';

async function put(om: OmTestServer, request: UpsertRequest, token = TOKEN) {
  const res = await fetch(`${om.url}/v1/${collectionOf(request.kind)}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(request.body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function get(om: OmTestServer, path: string, token = TOKEN) {
  const res = await fetch(`${om.url}/v1/${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('OpenMetadata test server', () => {
  let om: OmTestServer;
  beforeAll(async () => {
    om = await startOmServer({ token: TOKEN });
  });
  afterEach(() => {
    om.setFaults(undefined);
    om.reset();
  });
  afterAll(() => om.close());

  it('reports its version without a token', async () => {
    const res = await fetch(`${om.url}/v1/system/version`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ version: '1.0.4' });
  });

  it('accepts a valid createTable under existing parents, 201 then 200', async () => {
    for (const parent of databaseParents()) expect((await put(om, parent)).status).toBe(201);
    const first = await put(om, table('orders'));
    expect(first.status).toBe(201);
    expect(first.body.fullyQualifiedName).toBe('pg_test.shop.public.orders');
    const second = await put(om, table('orders', undefined, 'note'));
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);

    const stored = om.entities('table').get('pg_test.shop.public.orders');
    expect(stored?.version).toBe(0.2);
    expect((stored?.columns as unknown[]).length).toBe(2);
    expect(stored?.database).toMatchObject({ type: 'database', fullyQualifiedName: 'pg_test.shop' });
    expect(om.counters).toMatchObject({ puts: 5, created: 4, updated: 1, rejected: 0 });
  });

  it('quotes name parts that contain a dot in the FQN', async () => {
    for (const parent of databaseParents()) await put(om, parent);
    const res = await put(om, table('v1.2'));
    expect(res.status).toBe(201);
    expect(res.body.fullyQualifiedName).toBe('pg_test.shop.public."v1.2"');
    expect(om.entities('table').has('pg_test.shop.public."v1.2"')).toBe(true);
  });

  it('rejects an invalid createTable with 400 naming the field, and records it', async () => {
    for (const parent of databaseParents()) await put(om, parent);
    const bad = table('orders');
    const body = { ...bad.body, columns: [{ name: 'id', dataType: 'INTEGERISH' }], owner: 'someone' };
    const res = await put(om, { ...bad, body });
    expect(res.status).toBe(400);
    expect(String(res.body.message)).toContain('/columns/0/dataType');
    expect(String(res.body.message)).toContain('/owner');
    expect(om.invalidBodies).toHaveLength(1);
    expect(om.invalidBodies[0]?.kind).toBe('table');
    expect(om.counters.rejected).toBe(1);
    expect(om.entities('table').size).toBe(0);
  });

  it('checks names against the OpenMetadata 2.0 rule: Unicode accepted, ">" and "::" rejected', () => {
    expect(validateCreate('table', table('Bestellungen_ü_日本').body)).toEqual([]);
    expect(validateCreate('table', table('a>b').body).join()).toContain('/name');
    expect(validateCreate('table', table('a::b').body).join()).toContain('/name');
  });

  it('answers 404 when the parent does not exist', async () => {
    const res = await put(om, table('orphan'));
    expect(res.status).toBe(404);
    expect(String(res.body.message)).toContain('pg_test.shop.public');
  });

  it('answers 401 JSON for a wrong or missing token', async () => {
    const wrong = await get(om, 'users/loggedInUser', 'not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: 401 });
    const res = await fetch(`${om.url}/v1/tables`);
    expect(res.status).toBe(401);
    expect(om.counters.unauthorized).toBe(2);
  });

  it('lists tables by database with paging, and soft-deletes by id', async () => {
    for (const parent of databaseParents()) await put(om, parent);
    for (const parent of databaseParents('other')) await put(om, parent);
    for (let i = 0; i < 5; i++) await put(om, table(`t${i}`));
    await put(om, table('elsewhere', 'other'));

    const seen: string[] = [];
    let after: string | undefined;
    do {
      const q = new URLSearchParams({ database: 'pg_test.shop', limit: '2' });
      if (after) q.set('after', after);
      const page = await get(om, `tables?${q}`);
      const data = page.body.data as { fullyQualifiedName: string; id: string }[];
      seen.push(...data.map((d) => d.fullyQualifiedName));
      after = (page.body.paging as { after?: string }).after;
    } while (after);
    expect(seen).toEqual([0, 1, 2, 3, 4].map((i) => `pg_test.shop.public.t${i}`));

    const id = om.entities('table').get('pg_test.shop.public.t3')!.id;
    const del = await fetch(`${om.url}/v1/tables/${id}?hardDelete=false&recursive=true`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(del.status).toBe(200);
    expect(om.entities('table').get('pg_test.shop.public.t3')?.deleted).toBe(true);
    expect(om.counters.deletes).toBe(1);
    const remaining = await get(om, 'tables?database=pg_test.shop&limit=100');
    expect((remaining.body.data as unknown[]).length).toBe(4);
    const deleted = await get(om, 'tables?database=pg_test.shop&limit=100&include=deleted');
    expect((deleted.body.data as { id: string }[]).map((d) => d.id)).toEqual([id]);
  });

  it('restores a soft-deleted entity on PUT, and deletes a non-empty container only recursively', async () => {
    for (const parent of databaseParents()) await put(om, parent);
    await put(om, table('orders'));
    const del = (path: string) =>
      fetch(`${om.url}/v1/${path}`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } });
    const tableId = om.entities('table').get('pg_test.shop.public.orders')!.id;
    expect((await del(`tables/${tableId}?hardDelete=false&recursive=true`)).status).toBe(200);
    const restored = await put(om, table('orders'));
    expect(restored.status).toBe(200);
    expect(om.entities('table').get('pg_test.shop.public.orders')?.deleted).toBe(false);

    const dbId = om.entities('database').get('pg_test.shop')!.id;
    const refused = await del(`databases/${dbId}?hardDelete=false`);
    expect(refused.status).toBe(400);
    expect((await del(`databases/${dbId}?hardDelete=false&recursive=true`)).status).toBe(200);
    expect(om.entities('table').get('pg_test.shop.public.orders')?.deleted).toBe(true);
    expect(om.entities('databaseSchema').get('pg_test.shop.public')?.deleted).toBe(true);
    expect((await del(`tables/not-an-id`)).status).toBe(404);
  });

  it('stores dashboards with chart references and lists them by service', async () => {
    for (const r of dashboardRequests()) expect((await put(om, r)).status).toBe(201);
    const dashboard = om.entities('dashboard').get('bi_test.d1');
    expect(dashboard?.charts).toEqual([expect.objectContaining({ type: 'chart', fullyQualifiedName: 'bi_test.c1' })]);
    const charts = await get(om, 'charts?service=bi_test');
    expect((charts.body.data as unknown[]).length).toBe(1);
  });

  it('injects faults at the configured rate, deterministically, with Retry-After', async () => {
    await put(om, databaseParents()[0]!);
    om.reset();
    om.setFaults({ rate: 0.2, kinds: ['503', '429'], retryAfterSeconds: 1 });
    const statuses: number[] = [];
    const retryAfter = new Set<string | null>();
    for (let i = 0; i < 500; i++) {
      const res = await fetch(`${om.url}/v1/${collectionOf('databaseService')}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(databaseParents()[0]!.body),
      });
      statuses.push(res.status);
      if (res.status !== 200 && res.status !== 201) retryAfter.add(res.headers.get('retry-after'));
      await res.arrayBuffer();
    }
    const faulted = statuses.filter((s) => s === 503 || s === 429).length;
    expect(faulted).toBe(om.counters.faultsInjected);
    expect(faulted / 500).toBeGreaterThan(0.15);
    expect(faulted / 500).toBeLessThan(0.25);
    expect(statuses).toContain(503);
    expect(statuses).toContain(429);
    expect([...retryAfter]).toEqual(['1']);
    expect(om.counters.created + om.counters.updated).toBe(500 - faulted);
  });

  it('chooses the same faults for the same seed', async () => {
    const run = async () => {
      const server = await startOmServer({ token: TOKEN, seed: 7, faults: { rate: 0.3 } });
      const statuses: number[] = [];
      try {
        for (let i = 0; i < 40; i++) statuses.push((await put(server, databaseParents()[0]!)).status);
      } finally {
        await server.close();
      }
      return statuses;
    };
    const a = await run();
    expect(a.some((s) => s >= 429)).toBe(true);
    expect(await run()).toEqual(a);
  });
});
