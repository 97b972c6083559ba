/**
 * The Redshift connector. Its catalogue statements shared with PostgreSQL run against a real Debian
 * PostgreSQL (started here); its Redshift-only statements (SVV_EXTERNAL_*, SVV_MV_INFO, late-binding
 * view columns, DISTKEY / SORTKEY) are answered from recorded result sets (test/fixtures/redshift/).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransientError } from '../../../src/util/retry.js';
import type { EntityDescriptor } from '../../../src/sources/contract.js';
import type { RedshiftRow } from '../../../src/sources/redshift/client.js';
import type { Statement } from '../../../src/sources/redshift/queries.js';
import { createRedshiftSource as createRedshiftSourceFromSource } from '../../../src/sources/redshift/source.js';
import { fromConfig } from '../../support/source-from-config.js';
import type { CatalogSource } from '../../../src/sources/sql-common/catalog-source.js';
import { startPostgres, type PostgresServer } from '../../support/postgres-server.js';
import {
  collect,
  connectionFailure,
  databaseConfig,
  fqnsOf,
  okRequests,
  omDataTypes,
  schemaErrors,
  sourceOptions,
  tableBody,
} from '../../support/sql-source-helpers.js';
import { BULK_TABLES, HOSTILE_SCHEMA, HOSTILE_TABLES, buildRedshiftEstate } from './estate.js';
import { routedClient, type RoutedClient, type RouteOptions } from './recorded-redshift.js';

const createRedshiftSource = fromConfig(createRedshiftSourceFromSource);

const PASSWORD = 'rs-pw-MARKER-41d9';

let pg: PostgresServer;

beforeAll(async () => {
  pg = await startPostgres({ password: PASSWORD });
  await buildRedshiftEstate(pg);
  await pg.admin(`CREATE DATABASE other_db OWNER ${pg.user}`);
  await pg.query('CREATE SCHEMA finance; CREATE TABLE finance.ledger (id integer)', [], 'other_db');
}, 120_000);

afterAll(async () => {
  await pg?.close();
});

interface Opts {
  readonly connection?: Record<string, unknown>;
  readonly sourceConfig?: Record<string, unknown>;
  readonly password?: string;
  readonly route?: RouteOptions;
}

const clients: RoutedClient[] = [];
const sources: CatalogSource[] = [];
afterAll(async () => {
  await Promise.all(sources.map((s) => s.close()));
});

function source(o: Opts = {}): { source: CatalogSource; client: () => RoutedClient } {
  const config = databaseConfig(
    'redshift',
    {
      type: 'Redshift',
      username: pg.user,
      password: '${REDSHIFT_PASSWORD}',
      hostPort: pg.hostPort,
      database: pg.database,
      ...o.connection,
    },
    o.sourceConfig,
    { REDSHIFT_PASSWORD: o.password ?? PASSWORD },
  );
  let made: RoutedClient | undefined;
  const s = createRedshiftSource(config, sourceOptions, (target) => {
    made = routedClient(target, o.route);
    clients.push(made);
    return made;
  });
  sources.push(s);
  return {
    source: s,
    client: () => {
      if (!made) throw new Error('the source has not connected yet');
      return made;
    },
  };
}

const fqn = (...parts: string[]) => ['redshift_test', 'argo_test', ...parts].join('.');

describe('Redshift discovery', () => {
  it('lists local tables and views from pg_catalog and Spectrum tables from SVV_EXTERNAL_TABLES, deterministically', async () => {
    const first = await collect(source().source.discover());
    const second = await collect(source().source.discover());
    expect(fqnsOf(second)).toEqual(fqnsOf(first));
    const sales = first.filter((e) => e.meta?.schemaName === 'sales');
    expect(sales.map((e) => [e.meta?.tableName, e.meta?.tableType])).toEqual([
      ['customers', 'Regular'],
      ['events', 'Regular'],
      ['lbv_all_types', 'View'],
      ['lbv_recent_events', 'View'],
      ['mv_daily_sales', 'MaterializedView'],
      ['orders', 'Regular'],
      ['v_big_orders', 'View'],
    ]);
    expect(first.filter((e) => e.meta?.schemaName === 'spectrum').map((e) => [e.fqn, e.meta?.tableType])).toEqual([
      [fqn('spectrum', 'clicks'), 'External'],
      [fqn('spectrum', 'sales_csv'), 'External'],
    ]);
    expect(first.filter((e) => e.meta?.schemaName === 'bulk')).toHaveLength(BULK_TABLES);
    const schemas = first.map((e) => e.meta?.schemaName);
    const runs = schemas.filter((s, i) => i === 0 || schemas[i - 1] !== s);
    expect(new Set(runs).size).toBe(runs.length);
  });

  it('hides the mv_tbl__ storage table of a materialized view and the pg_ / information_schema schemas', async () => {
    const all = await collect(source().source.discover());
    expect(all.some((e) => String(e.meta?.tableName).startsWith('mv_tbl__'))).toBe(false);
    const schemas = new Set(all.map((e) => e.meta?.schemaName));
    expect([...schemas].some((s) => String(s).startsWith('pg_') || s === 'information_schema')).toBe(false);
  });

  it('runs the catalogue statements Redshift shares with PostgreSQL on PostgreSQL, the others from recordings', async () => {
    const { source: s, client } = source();
    await collect(s.discover());
    const log = client().log;
    expect(log.filter((l) => l.dialect === 'shared').map((l) => l.id)).toEqual(['schemas', 'tables']);
    expect(log.filter((l) => l.dialect === 'redshift').map((l) => l.id)).toEqual([
      'external-schemas',
      'materialized-views',
      'external-tables',
    ]);
  });

  it('applies schema and table filter patterns the OpenMetadata way', async () => {
    const entities = await collect(
      source({
        sourceConfig: {
          schemaFilterPattern: { includes: ['SALES', 'market'], excludes: ['sales'] },
          tableFilterPattern: { excludes: ['tmp_', 'lbv_', 'v_'] },
        },
      }).source.discover(),
    );
    expect(fqnsOf(entities)).toEqual([
      fqn('marketing', 'campaigns'),
      fqn('sales', 'customers'),
      fqn('sales', 'events'),
      fqn('sales', 'mv_daily_sales'),
      fqn('sales', 'orders'),
    ]);
  });

  it('leaves views (late-binding and materialized included) out when includeViews is false', async () => {
    const entities = await collect(
      source({
        sourceConfig: { includeViews: false, schemaFilterPattern: { includes: ['sales$'] } },
      }).source.discover(),
    );
    expect(entities.map((e) => e.meta?.tableName)).toEqual(['customers', 'events', 'orders']);
  });

  it('visits every database of the cluster with ingestAllDatabases, filtered by databaseFilterPattern', async () => {
    const entities = await collect(
      source({
        connection: { ingestAllDatabases: true },
        sourceConfig: {
          databaseFilterPattern: { includes: ['other_db', 'argo_test'] },
          schemaFilterPattern: { includes: ['finance', 'marketing'] },
        },
      }).source.discover(),
    );
    expect(fqnsOf(entities)).toEqual([
      fqn('marketing', 'campaigns'),
      fqn('marketing', 'tmp_scratch'),
      'redshift_test.other_db.finance.ledger',
    ]);
  });
});

describe('Redshift parents', () => {
  it('yields the service without the password, the database, then its local and external schemas', async () => {
    const parents = await collect(
      source({ sourceConfig: { schemaFilterPattern: { includes: ['sales', 'spectrum'] } } }).source.parents(),
    );
    expect(parents.map((p) => `${p.kind}:${p.fqn}`)).toEqual([
      'databaseService:redshift_test',
      'database:redshift_test.argo_test',
      'databaseSchema:redshift_test.argo_test.sales',
      'databaseSchema:redshift_test.argo_test.spectrum',
    ]);
    expect(parents[0]!.body).toMatchObject({ serviceType: 'Redshift' });
    expect(JSON.stringify(parents)).not.toContain(PASSWORD);
    expect(schemaErrors(parents)).toEqual([]);
  });
});

describe('Redshift processing', () => {
  it('describes 250 tables of one schema with the same statements as 10 (O(1) per schema batch)', async () => {
    const bulk = (await collect(source().source.discover())).filter((e) => e.meta?.schemaName === 'bulk');
    const run = async (batch: readonly EntityDescriptor[]) => {
      const { source: s, client } = source();
      await s.testConnection();
      const before = client().log.length;
      const outcomes = await s.process(batch);
      expect(outcomes.every((o) => o.ok)).toBe(true);
      return {
        outcomes,
        statements: client()
          .log.slice(before)
          .map((l) => l.id),
      };
    };
    const small = await run(bulk.slice(0, 10));
    const all = await run(bulk);
    expect(all.outcomes).toHaveLength(BULK_TABLES);
    expect(all.statements).toEqual(small.statements);
    expect(all.statements).toEqual(['table-details', 'columns', 'constraints', 'dist-sort-keys']);
    expect(tableBody(all.outcomes, fqn('bulk', 't0042')).columns).toEqual([
      expect.objectContaining({ name: 'id', dataType: 'INT', constraint: 'PRIMARY_KEY' }),
      expect.objectContaining({
        name: 'v',
        dataType: 'VARCHAR',
        dataLength: 52,
        dataTypeDisplay: 'character varying(52)',
      }),
    ]);
    expect(schemaErrors(okRequests(all.outcomes))).toEqual([]);
  });

  it('maps keys, foreign keys, comments, DISTKEY and compound / interleaved SORTKEYs', async () => {
    const sales = (await collect(source().source.discover())).filter((e) => e.meta?.schemaName === 'sales');
    const outcomes = await source().source.process(sales);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const customers = tableBody(outcomes, fqn('sales', 'customers'));
    expect(customers.description).toBe('People who buy things');
    expect(customers.columns).toEqual([
      expect.objectContaining({ name: 'id', constraint: 'PRIMARY_KEY', description: 'surrogate key' }),
      expect.objectContaining({ name: 'email', constraint: 'UNIQUE', dataLength: 200 }),
      expect.objectContaining({ name: 'name', constraint: 'NULL' }),
    ]);
    expect(tableBody(outcomes, fqn('sales', 'orders')).tableConstraints).toEqual([
      { constraintType: 'UNIQUE', columns: ['customer_id', 'placed_at'] },
      { constraintType: 'FOREIGN_KEY', columns: ['customer_id'], referredColumns: [fqn('sales', 'customers', 'id')] },
      { constraintType: 'SORT_KEY', columns: ['placed_at', 'customer_id'] },
    ]);
    expect(tableBody(outcomes, fqn('sales', 'events')).tableConstraints).toEqual([
      { constraintType: 'DIST_KEY', columns: ['user_id'] },
      { constraintType: 'SORT_KEY', columns: ['ts', 'id'] },
    ]);
    const view = tableBody(outcomes, fqn('sales', 'v_big_orders'));
    expect(view.tableType).toBe('View');
    expect(view.columns.map((c) => c.name)).toEqual(['id', 'customer_id']);
    // pg_get_viewdef, sent as schemaDefinition (viewDefinition on 1.0.x), for views and materialized views.
    expect(view.schemaDefinition).toMatch(/select/i);
    expect(tableBody(outcomes, fqn('sales', 'mv_daily_sales'))).toMatchObject({
      tableType: 'MaterializedView',
      schemaDefinition: expect.stringMatching(/select/i),
    });
    expect(tableBody(outcomes, fqn('sales', 'events'))).not.toHaveProperty('schemaDefinition');
    expect(schemaErrors(okRequests(outcomes))).toEqual([]);
  });

  it("takes a late-binding view's columns from pg_get_late_binding_view_cols()", async () => {
    const views = (await collect(source().source.discover())).filter((e) =>
      String(e.meta?.tableName).startsWith('lbv_recent'),
    );
    const outcomes = await source().source.process(views);
    expect(tableBody(outcomes, fqn('sales', 'lbv_recent_events')).columns).toEqual([
      expect.objectContaining({ name: 'id', dataType: 'INT', ordinalPosition: 1 }),
      expect.objectContaining({ name: 'ts', dataType: 'TIMESTAMP', ordinalPosition: 2 }),
    ]);
  });

  it('maps Spectrum columns (Hive types, arrays, structs, maps, partition keys) from SVV_EXTERNAL_COLUMNS', async () => {
    const spectrum = (await collect(source().source.discover())).filter((e) => e.meta?.schemaName === 'spectrum');
    const { source: s, client } = source();
    const outcomes = await s.process(spectrum);
    expect(client().log.map((l) => l.id)).toEqual(['external-columns']);
    const clicks = tableBody(outcomes, fqn('spectrum', 'clicks'));
    expect(clicks.tableType).toBe('External');
    expect(clicks.columns.map((c) => [c.name, c.dataType, c.arrayDataType ?? c.precision ?? null])).toEqual([
      ['click_id', 'BIGINT', null],
      ['url', 'STRING', null],
      ['tags', 'ARRAY', 'STRING'],
      ['device', 'STRUCT', null],
      ['attributes', 'MAP', null],
      ['amount', 'DECIMAL', 10],
      ['ratio', 'DOUBLE', null],
      ['ts', 'TIMESTAMP', null],
      ['event_date', 'DATE', null],
    ]);
    expect(clicks.columns[0]!.constraint).toBe('NOT_NULL');
    expect(clicks.columns[8]!.description).toBe('partition key 1');
    const csv = tableBody(outcomes, fqn('spectrum', 'sales_csv'));
    expect(csv.columns.map((c) => [c.dataType, c.dataLength ?? null])).toEqual([
      ['INT', null],
      ['SMALLINT', null],
      ['TINYINT', null],
      ['FLOAT', null],
      ['BOOLEAN', null],
      ['CHAR', 3],
      ['VARCHAR', 200],
      ['BINARY', 1],
    ]);
    expect(schemaErrors(okRequests(outcomes))).toEqual([]);
  });

  it('reports a table dropped since discovery as one failed entity, the rest of the batch succeeding', async () => {
    await pg.query('CREATE TABLE marketing.short_lived (id integer)');
    const marketing = (await collect(source().source.discover())).filter((e) => e.meta?.schemaName === 'marketing');
    await pg.query('DROP TABLE marketing.short_lived');
    const outcomes = await source().source.process(marketing);
    expect(outcomes.find((o) => o.fqn === fqn('marketing', 'short_lived'))).toMatchObject({ ok: false });
    expect(outcomes.filter((o) => o.ok).map((o) => o.fqn)).toEqual([
      fqn('marketing', 'campaigns'),
      fqn('marketing', 'tmp_scratch'),
    ]);
  });
});

describe('Redshift faults during processing', () => {
  it('turns a connection lost mid-run into a retryable TransientError, not a configuration error', async () => {
    const customers = (await collect(source().source.discover())).filter((e) => e.meta?.tableName === 'customers');
    const lost = Object.assign(new Error('Connection terminated unexpectedly'), {});
    const { source: s } = source({
      route: { override: (st: Statement) => (st.id === 'columns' ? Promise.reject(lost) : undefined) },
    });
    await s.testConnection();
    const error: unknown = await s.process(customers).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toMatch(/^lost the connection to Redshift at .*Connection terminated/);
  });
});

describe('Redshift type mapping', () => {
  it('maps every Redshift type (SUPER, HLLSKETCH, GEOMETRY, GEOGRAPHY, VARBYTE, ...) to a valid OpenMetadata dataType', async () => {
    const views = (await collect(source().source.discover())).filter((e) => e.meta?.tableName === 'lbv_all_types');
    const outcomes = await source().source.process(views);
    const table = tableBody(outcomes, fqn('sales', 'lbv_all_types'));
    const valid = omDataTypes();
    for (const c of table.columns) expect(valid, c.name).toContain(c.dataType);
    expect(Object.fromEntries(table.columns.map((c) => [c.name, c.dataType]))).toEqual({
      c_smallint: 'SMALLINT',
      c_integer: 'INT',
      c_bigint: 'BIGINT',
      c_numeric: 'NUMERIC',
      c_real: 'FLOAT',
      c_double: 'DOUBLE',
      c_boolean: 'BOOLEAN',
      c_char: 'CHAR',
      c_varchar: 'VARCHAR',
      c_date: 'DATE',
      c_time: 'TIME',
      c_timetz: 'TIME',
      c_timestamp: 'TIMESTAMP',
      c_timestamptz: 'TIMESTAMPZ',
      c_super: 'SUPER',
      c_hllsketch: 'HLLSKETCH',
      c_geometry: 'GEOMETRY',
      c_geography: 'GEOGRAPHY',
      c_varbyte: 'VARBINARY',
      c_interval: 'INTERVAL',
    });
    const byName = new Map(table.columns.map((c) => [c.name, c]));
    expect(byName.get('c_numeric')).toMatchObject({ precision: 18, scale: 4 });
    expect(byName.get('c_varchar')).toMatchObject({ dataLength: 65535, dataTypeDisplay: 'character varying(65535)' });
    expect(byName.get('c_varbyte')?.dataLength).toBe(64);
    expect(schemaErrors(okRequests(outcomes))).toEqual([]);
  });

  it('maps the types of a local table through format_type() on the shared catalogue', async () => {
    const events = (await collect(source().source.discover())).filter((e) => e.meta?.tableName === 'events');
    const table = tableBody(await source().source.process(events), fqn('sales', 'events'));
    expect(table.columns.map((c) => [c.name, c.dataType])).toEqual([
      ['id', 'INT'],
      ['user_id', 'INT'],
      ['ts', 'TIMESTAMP'],
      ['payload', 'VARCHAR'],
      ['amount', 'NUMERIC'],
      ['flag', 'BOOLEAN'],
      ['code', 'CHAR'],
      ['note', 'TEXT'],
      ['ratio', 'DOUBLE'],
      ['score', 'FLOAT'],
      ['small', 'SMALLINT'],
      ['big', 'BIGINT'],
      ['day', 'DATE'],
      ['at_tz', 'TIMESTAMPZ'],
    ]);
    expect(table.columns[4]).toMatchObject({ precision: 12, scale: 2, dataTypeDisplay: 'numeric(12,2)' });
  });
});

describe('Redshift hostile identifiers', () => {
  it('binds quotes, dots, `$1` and commas in schema, table and column names as data', async () => {
    const entities = (await collect(source().source.discover())).filter((e) => e.meta?.schemaName === HOSTILE_SCHEMA);
    expect(entities.map((e) => e.meta?.tableName)).toEqual([...HOSTILE_TABLES].sort((a, b) => (a < b ? -1 : 1)));
    const outcomes = await source().source.process(entities);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const dotted = tableBody(outcomes, `redshift_test.argo_test.${HOSTILE_SCHEMA}."dot.ted"`);
    expect(dotted.columns.map((c) => [c.name, c.constraint])).toEqual([
      ['k, ey', 'PRIMARY_KEY'],
      ['Ünï', 'NULL'],
    ]);
    expect(tableBody(outcomes, `redshift_test.argo_test.${HOSTILE_SCHEMA}.child`).tableConstraints).toEqual([
      {
        constraintType: 'FOREIGN_KEY',
        columns: ['Parent "Id"'],
        referredColumns: [`redshift_test.argo_test.${HOSTILE_SCHEMA}."dot.ted".k, ey`],
      },
    ]);
    expect(tableBody(outcomes, `redshift_test.argo_test.${HOSTILE_SCHEMA}.Mixed Case`).tableConstraints).toEqual([
      { constraintType: 'UNIQUE', columns: ['a', 'B ""x'] },
    ]);
    const still = await pg.query("SELECT 1 FROM pg_class WHERE relname = 'customers'");
    expect(still.rowCount).toBe(1);
  });
});

describe('Redshift connection errors', () => {
  const failure = (o: Opts) => connectionFailure(source(o).source.testConnection(), [PASSWORD, 'wrong-MARKER']);

  it('succeeds with the right credentials', async () => {
    await expect(source().source.testConnection()).resolves.toBeUndefined();
  });

  it('says the password was rejected (PostgreSQL 28P01)', async () => {
    const e = await failure({ password: 'wrong-MARKER-pw' });
    expect(e.reason).toBe('auth');
    expect(e.message).toBe(
      `Redshift at ${pg.hostPort} rejected the password for user "${pg.user}" (database "${pg.database}"); check serviceConnection.config.username and the password variable's value.`,
    );
  });

  it('says the password was rejected for Redshift\'s own 28000 "password authentication failed"', async () => {
    const recorded = Object.assign(new Error('password authentication failed for user "argo_test"'), {
      code: '28000',
      severity: 'FATAL',
    });
    const e = await failure({
      route: {
        override: (s: Statement): Promise<RedshiftRow[]> | undefined =>
          s.id === 'version' ? Promise.reject(recorded) : undefined,
      },
    });
    expect(e.reason).toBe('auth');
    expect(e.message).toMatch(/rejected the password for user/);
  });

  it('says the cluster cannot be reached for a port nobody listens on', async () => {
    const e = await failure({ connection: { hostPort: '127.0.0.1:1' } });
    expect(e.reason).toBe('unreachable');
    expect(e.message).toMatch(/^Cannot reach Redshift at 127\.0\.0\.1:1 \(ECONNREFUSED\).*hostPort/);
  });

  it('says the database does not exist', async () => {
    const e = await failure({ connection: { database: 'no_such_db' } });
    expect(e.reason).toBe('config');
    expect(e.message).toMatch(/has no database "no_such_db".*serviceConnection.config.database/);
  });
});
