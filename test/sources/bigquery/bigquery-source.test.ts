import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBigquerySource as createBigquerySourceFromSource } from '../../../src/sources/bigquery/source.js';
import { fromConfig } from '../../support/source-from-config.js';
import { startBigQueryServer, type BigQueryServer } from '../../support/bigquery-server.js';
import {
  collect,
  columnsByName,
  connectionFailure,
  databaseConfig,
  discoveredFqns,
  expectKnownDataTypes,
  expectValidOutcomes,
  schemaErrors,
  sourceOptions,
  tableBody,
} from '../../support/sql-source-helpers.js';
import { HOSTILE_TABLE, estate } from './estate.js';

const createBigquerySource = fromConfig(createBigquerySourceFromSource);

const PRIVATE_KEY = '-----BEGIN PRIVATE KEY-----\\nMARKER-bq-key\\n-----END PRIVATE KEY-----\\n';
const KEY_ID = 'key-id-MARKER-5150';

let server: BigQueryServer;
beforeAll(async () => {
  server = await startBigQueryServer({ projects: estate(), pageSize: 2 });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  server.projects = estate();
});

/** A real google-auth-library client that already holds a token: no OAuth round trip. */
function tokenClient(token = 'test-token'): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
  return client;
}

function source(
  sourceConfig: Record<string, unknown> = {},
  token = 'test-token',
  projectId: unknown = ['acme-analytics', 'acme-raw'],
) {
  const config = databaseConfig(
    'bigquery',
    {
      type: 'BigQuery',
      hostPort: server.url,
      credentials: {
        gcsConfig: {
          type: 'service_account',
          projectId,
          privateKeyId: '${GCP_KEY_ID}',
          privateKey: '${GCP_PRIVATE_KEY}',
          clientEmail: 'ingest@acme-analytics.iam.gserviceaccount.com',
          clientId: '1234567890',
        },
      },
    },
    sourceConfig,
    { GCP_PRIVATE_KEY: PRIVATE_KEY, GCP_KEY_ID: KEY_ID },
  );
  return createBigquerySource(config, sourceOptions, { authClient: tokenClient(token), autoRetry: false });
}

describe('BigQuery discovery', () => {
  it('lists every table of every dataset of the configured projects, paging through tables.list', async () => {
    const fqns = await discoveredFqns(source());
    expect(fqns).toEqual([
      'bigquery_test.acme-analytics.sales.all_types',
      'bigquery_test.acme-analytics.sales.customers',
      'bigquery_test.acme-analytics.sales.daily_mv',
      'bigquery_test.acme-analytics.sales.events_ext',
      'bigquery_test.acme-analytics.sales.order_summary',
      'bigquery_test.acme-analytics.sales.orders',
      `bigquery_test.acme-analytics.sales.${HOSTILE_TABLE}`,
      'bigquery_test.acme-analytics.staging.raw_1',
      'bigquery_test.acme-analytics.staging.raw_2',
      'bigquery_test.acme-analytics.staging.raw_3',
      'bigquery_test.acme-analytics.staging.raw_4',
      'bigquery_test.acme-analytics.staging.raw_5',
      'bigquery_test.acme-raw.landing.files',
    ]);
    // Only list calls: datasets.list and tables.list, several pages each; never tables.get.
    expect(server.requests.every((r) => /\/datasets(\/[^/]+\/tables)?$/.test(r.path))).toBe(true);
    expect(server.requests.filter((r) => r.path.endsWith('/staging/tables'))).toHaveLength(3);
    expect(server.requests.some((r) => r.query.pageToken !== undefined)).toBe(true);
  });

  it('applies database (project), schema (dataset) and table filters and includeViews', async () => {
    const s = source({
      includeViews: false,
      databaseFilterPattern: { includes: ['acme-analytics'] },
      schemaFilterPattern: { excludes: ['^staging$'] },
      tableFilterPattern: { excludes: ['.*types'] },
    });
    expect(await discoveredFqns(s)).toEqual([
      'bigquery_test.acme-analytics.sales.customers',
      'bigquery_test.acme-analytics.sales.events_ext',
      'bigquery_test.acme-analytics.sales.orders',
      `bigquery_test.acme-analytics.sales.${HOSTILE_TABLE}`,
    ]);
    expect(server.requests.some((r) => r.path.includes('acme-raw'))).toBe(false);
  });
});

describe('BigQuery parents', () => {
  it('sends the service with public credential fields only, then projects and datasets, all schema-valid', async () => {
    const parents = await collect(source({ databaseFilterPattern: { includes: ['acme-raw'] } }).parents());
    expect(parents.map((p) => `${p.kind} ${p.fqn}`)).toEqual([
      'databaseService bigquery_test',
      'database bigquery_test.acme-raw',
      'databaseSchema bigquery_test.acme-raw.landing',
    ]);
    expect(parents[0]!.body).toMatchObject({
      serviceType: 'BigQuery',
      connection: {
        config: { credentials: { gcsConfig: { clientEmail: 'ingest@acme-analytics.iam.gserviceaccount.com' } } },
      },
    });
    const text = JSON.stringify(parents);
    expect(text).not.toContain('MARKER-bq-key');
    expect(text).not.toContain(KEY_ID);
    expect(schemaErrors(parents)).toEqual([]);
  });
});

describe('BigQuery processing', () => {
  async function processSales() {
    const s = source();
    const entities = (await collect(s.discover())).filter((e) => e.fqn.includes('.sales.'));
    server.requests.length = 0;
    return { outcomes: await s.process(entities), entities };
  }

  it('maps every column of a table covering the BigQuery types to a valid OpenMetadata dataType, with nested fields as children', async () => {
    const { outcomes } = await processSales();
    const body = tableBody(outcomes, 'bigquery_test.acme-analytics.sales.all_types');
    const walk = (columns: typeof body.columns): typeof body.columns =>
      columns.flatMap((c) => [c, ...walk(c.children ?? [])]);
    const all = walk(body.columns);
    expect(all).toHaveLength(21 + 7);
    expectKnownDataTypes(all);
    const byName = columnsByName(body);
    expect(byName.c_integer).toMatchObject({ dataType: 'BIGINT', dataTypeDisplay: 'INT64', constraint: 'NOT_NULL' });
    expect(byName.c_numeric).toMatchObject({ dataType: 'NUMERIC', precision: 10, scale: 2 });
    expect(byName.c_tags).toMatchObject({
      dataType: 'ARRAY',
      arrayDataType: 'STRING',
      dataTypeDisplay: 'ARRAY<STRING>',
      description: 'Free-form tags',
    });
    expect(byName.c_address).toMatchObject({
      dataType: 'STRUCT',
      dataTypeDisplay: 'STRUCT<street STRING, zip STRING, geo STRUCT<lat FLOAT64, lon FLOAT64>>',
      description: 'Postal address',
    });
    expect(byName.c_address!.children!.map((c) => [c.name, c.dataType, c.constraint])).toEqual([
      ['street', 'STRING', 'NULL'],
      ['zip', 'STRING', 'NOT_NULL'],
      ['geo', 'STRUCT', 'NULL'],
    ]);
    expect(byName.c_address!.children![2]!.children!.map((c) => c.name)).toEqual(['lat', 'lon']);
    expect(byName.c_items).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'STRUCT' });
    expect(byName.c_items!.children!.map((c) => c.name)).toEqual(['sku', 'qty']);
  });

  it('reads descriptions, table types and primary / foreign keys from tables.get', async () => {
    const { outcomes } = await processSales();
    const orders = tableBody(outcomes, 'bigquery_test.acme-analytics.sales.orders');
    expect(orders.description).toBe('One row per order');
    expect(orders.tableConstraints).toEqual([
      { constraintType: 'PRIMARY_KEY', columns: ['order_id', 'line_no'] },
      {
        constraintType: 'FOREIGN_KEY',
        columns: ['customer_id'],
        referredColumns: ['bigquery_test.acme-analytics.sales.customers.id'],
      },
    ]);
    expect(tableBody(outcomes, 'bigquery_test.acme-analytics.sales.customers').columns[0]).toMatchObject({
      name: 'id',
      constraint: 'PRIMARY_KEY',
      description: 'Customer number',
    });
    const types = Object.fromEntries(
      outcomes.map((o) => [o.fqn.split('.').pop(), tableBody(outcomes, o.fqn).tableType]),
    );
    expect(types).toMatchObject({
      order_summary: 'View',
      daily_mv: 'MaterializedView',
      events_ext: 'External',
      orders: 'Regular',
    });
    // tables.get view.query / materializedView.query, sent as schemaDefinition (viewDefinition on 1.0.x).
    const sqlOf = (name: string) =>
      tableBody(outcomes, outcomes.find((o) => o.fqn.endsWith(`.${name}`))!.fqn).schemaDefinition;
    expect(sqlOf('order_summary')).toMatch(/select/i);
    expect(sqlOf('daily_mv')).toMatch(/select/i);
    expect(sqlOf('orders')).toBeUndefined();
  });

  it('produces schema-valid create requests with one tables.get per table and no query jobs', async () => {
    const { outcomes, entities } = await processSales();
    expectValidOutcomes(outcomes);
    expect(server.requests).toHaveLength(entities.length);
    expect(server.requests.every((r) => r.method === 'GET' && /\/tables\/[^/]+$/.test(r.path))).toBe(true);
  });

  it('requests a hostile table name as a URL path segment, never as SQL', async () => {
    const s = source();
    const entity = (await collect(s.discover())).find((e) => e.fqn.endsWith(HOSTILE_TABLE))!;
    server.requests.length = 0;
    const [outcome] = await s.process([entity]);
    expect(outcome).toMatchObject({ ok: true });
    expect(server.requests.map((r) => r.path)).toEqual([
      `/bigquery/v2/projects/acme-analytics/datasets/sales/tables/${HOSTILE_TABLE}`,
    ]);
  });

  it('reports a table deleted after discovery (404) as a failed outcome and keeps the others', async () => {
    const s = source();
    const entities = (await collect(s.discover())).filter((e) => e.fqn.includes('.staging.'));
    server.projects = estate().map((p) => ({
      ...p,
      datasets: p.datasets.map((d) => ({ ...d, tables: d.tables.filter((t) => t.id !== 'raw_3') })),
    }));
    const outcomes = await s.process(entities);
    expect(outcomes.filter((o) => !o.ok).map((o) => o.fqn)).toEqual(['bigquery_test.acme-analytics.staging.raw_3']);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(4);
  });
});

describe('BigQuery errors', () => {
  it('turns a rejected token (401) into one auth sentence without the private key', async () => {
    const failure = await connectionFailure(source({}, 'wrong-token').testConnection(), ['MARKER']);
    expect(failure.reason).toBe('auth');
    expect(failure.message).toMatch(
      /^BigQuery at http:\/\/127\.0\.0\.1:\d+ rejected the credentials \(Request had invalid authentication credentials/,
    );
  });

  it('turns an unreachable endpoint into one unreachable sentence', async () => {
    const closed = await startBigQueryServer({ projects: [] });
    await closed.close();
    const config = databaseConfig('bigquery', {
      type: 'BigQuery',
      hostPort: closed.url,
      credentials: { gcsConfig: { projectId: 'acme-analytics' } },
    });
    const s = createBigquerySource(config, sourceOptions, { authClient: tokenClient(), autoRetry: false });
    const failure = await connectionFailure(s.testConnection(), []);
    expect(failure.reason).toBe('unreachable');
    expect(failure.message).toMatch(/^Cannot reach BigQuery at http:\/\/127\.0\.0\.1:\d+ .*check hostPort/);
  });
});
