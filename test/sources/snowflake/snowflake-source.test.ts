import { describe, expect, it } from 'vitest';
import type { EntityDescriptor } from '../../../src/sources/contract.js';
import { createSnowflakeSource as createSnowflakeSourceFromSource } from '../../../src/sources/snowflake/source.js';
import { fromConfig } from '../../support/source-from-config.js';
import {
  collect,
  columnsByName,
  connectionFailure,
  discoveredFqns,
  expectKnownDataTypes,
  expectValidOutcomes,
  recordedConnector,
  schemaErrors,
  tableBody,
} from '../../support/sql-source-helpers.js';
import { recordedSnowflake } from './recorded-snowflake.js';

const createSnowflakeSource = fromConfig(createSnowflakeSourceFromSource);

const PASSWORD = 'pw-MARKER-7f3a';
const connection = {
  type: 'Snowflake',
  username: 'INGEST',
  password: '${SF_PASSWORD}',
  account: 'xyz1234.us-east-1.gcp',
  warehouse: 'COMPUTE_WH',
  role: 'METADATA_READER',
  database: 'ANALYTICS',
};

const { source, failing } = recordedConnector({
  type: 'snowflake',
  connection,
  env: { SF_PASSWORD: PASSWORD },
  recorded: recordedSnowflake,
  create: createSnowflakeSource,
});

describe('Snowflake discovery', () => {
  it('lists tables and views by schema in a stable order, lower-casing case-insensitive names like OpenMetadata', async () => {
    const { source: s } = source();
    const fqns = await discoveredFqns(s);
    expect(fqns).toEqual([
      'snowflake_test.analytics.Mixed Case.CamelTable',
      `snowflake_test.analytics.Mixed Case.o'brien"; DROP TABLE x;--`,
      'snowflake_test.analytics.public.all_types',
      'snowflake_test.analytics.public.customer_summary',
      'snowflake_test.analytics.public.customers',
      'snowflake_test.analytics.public.daily_revenue',
      'snowflake_test.analytics.public.events_ext',
      'snowflake_test.analytics.public.order_lines',
      'snowflake_test.analytics.public.orders',
      'snowflake_test.analytics.public.revenue_secure',
      'snowflake_test.analytics.sales.targets',
    ]);
  });

  it('costs two catalogue queries per database and reads no column metadata', async () => {
    const { source: s, client } = source();
    await collect(s.discover());
    expect(client.log.map((q) => q.sql.replace(/ WHERE.*/s, ''))).toEqual([
      'SELECT SCHEMA_NAME, COMMENT FROM "ANALYTICS".INFORMATION_SCHEMA.SCHEMATA',
      'SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, IS_TRANSIENT FROM "ANALYTICS".INFORMATION_SCHEMA.TABLES',
    ]);
  });

  it('keeps transient and temporary tables only with includeTempTables', async () => {
    const without = await discoveredFqns(source().source);
    const withTemp = await discoveredFqns(source({ includeTempTables: true }).source);
    expect(without.filter((f) => /staging_load|session_tmp/.test(f))).toEqual([]);
    expect(withTemp.filter((f) => /staging_load|session_tmp/.test(f))).toEqual([
      'snowflake_test.analytics.public.session_tmp',
      'snowflake_test.analytics.public.staging_load',
    ]);
  });

  it('applies schema and table filter patterns and includeViews like OpenMetadata', async () => {
    const { source: s } = source(
      {},
      {
        includeViews: false,
        schemaFilterPattern: { includes: ['^public$'] },
        tableFilterPattern: { excludes: ['order'] },
      },
    );
    expect(await discoveredFqns(s)).toEqual([
      'snowflake_test.analytics.public.all_types',
      'snowflake_test.analytics.public.customers',
      'snowflake_test.analytics.public.events_ext',
    ]);
  });

  it('without a database lists every database with SHOW DATABASES and quotes hostile database names', async () => {
    const { source: s, client } = source({ database: undefined }, { databaseFilterPattern: { includes: ['raw'] } });
    const fqns = await discoveredFqns(s);
    expect(fqns).toEqual(['snowflake_test.RAW"DATA.landing.files']);
    expect(client.log[0]!.sql).toBe('SHOW DATABASES');
    expect(client.log[1]!.sql).toContain('FROM "RAW""DATA".INFORMATION_SCHEMA.SCHEMATA');
  });
});

describe('Snowflake parents', () => {
  it('sends the service without secrets, then databases and filtered schemas with comments, all schema-valid', async () => {
    const { source: s } = source({}, { schemaFilterPattern: { excludes: ['^sales$'] } });
    const parents = await collect(s.parents());
    expect(parents.map((p) => `${p.kind} ${p.fqn}`)).toEqual([
      'databaseService snowflake_test',
      'database snowflake_test.analytics',
      'databaseSchema snowflake_test.analytics.Mixed Case',
      'databaseSchema snowflake_test.analytics.public',
    ]);
    expect(JSON.stringify(parents)).not.toContain(PASSWORD);
    expect(parents[0]!.body).toMatchObject({
      serviceType: 'Snowflake',
      connection: { config: { account: 'xyz1234.us-east-1.gcp' } },
    });
    expect(parents[3]!.body).toMatchObject({ description: 'Curated tables' });
    expect(schemaErrors(parents)).toEqual([]);
  });
});

describe('Snowflake processing', () => {
  async function processAll(client = recordedSnowflake(), sourceConfig: Record<string, unknown> = {}) {
    const { source: s } = source({}, sourceConfig, client);
    const entities = await collect(s.discover());
    client.log.length = 0;
    const outcomes = await s.process(entities.filter((e) => e.fqn.includes('.public.')));
    return { entities, outcomes, client };
  }

  it('maps every column of a table covering the common Snowflake types to a valid OpenMetadata dataType', async () => {
    const { outcomes } = await processAll();
    const body = tableBody(outcomes, 'snowflake_test.analytics.public.all_types');
    expect(body.columns).toHaveLength(20);
    expectKnownDataTypes(body.columns);
    const byName = columnsByName(body);
    expect(byName.c_number).toMatchObject({
      dataType: 'NUMBER',
      precision: 38,
      scale: 0,
      dataTypeDisplay: 'NUMBER(38,0)',
    });
    expect(byName.c_varchar).toMatchObject({
      dataType: 'VARCHAR',
      dataLength: 16777216,
      dataTypeDisplay: 'VARCHAR(16777216)',
    });
    expect(byName.c_timestamp_ltz).toMatchObject({ dataType: 'TIMESTAMPZ' });
    expect(byName.c_timestamp_ntz).toMatchObject({ dataType: 'TIMESTAMP' });
    expect(byName.c_object).toMatchObject({ dataType: 'JSON' });
    expect(byName.c_array).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'VARIANT' });
    expect(byName.c_structured_array).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'NUMBER' });
    expect(byName.c_vector).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'FLOAT' });
    expect(body.description).toBe('One column of every common Snowflake type');
  });

  it('reads primary, unique and foreign keys from SHOW ... KEYS IN SCHEMA', async () => {
    const { outcomes } = await processAll();
    const customers = tableBody(outcomes, 'snowflake_test.analytics.public.customers');
    expect(customers.columns.map((c) => [c.name, c.constraint])).toEqual([
      ['id', 'PRIMARY_KEY'],
      ['email', 'UNIQUE'],
      ['country', 'NULL'],
      ['created_at', 'NULL'],
    ]);
    expect(customers.columns[0]!.description).toBe('Surrogate key');
    const lines = tableBody(outcomes, 'snowflake_test.analytics.public.order_lines');
    expect(lines.tableConstraints).toEqual([
      { constraintType: 'PRIMARY_KEY', columns: ['order_id', 'line_no'] },
      {
        constraintType: 'FOREIGN_KEY',
        columns: ['order_id'],
        referredColumns: ['snowflake_test.analytics.public.orders.order_id'],
      },
    ]);
  });

  it('marks views, secure views, materialized views and external tables with their OpenMetadata table types', async () => {
    const { outcomes } = await processAll();
    const types = Object.fromEntries(
      outcomes.map((o) => [o.fqn.split('.').pop(), tableBody(outcomes, o.fqn).tableType]),
    );
    expect(types).toMatchObject({
      customer_summary: 'View',
      revenue_secure: 'SecureView',
      daily_revenue: 'MaterializedView',
      events_ext: 'External',
      customers: 'Regular',
    });
  });

  it('sends the SQL of views (INFORMATION_SCHEMA.VIEWS) and materialized views (SHOW MATERIALIZED VIEWS)', async () => {
    const { outcomes } = await processAll();
    const sql = (name: string) => tableBody(outcomes, `snowflake_test.analytics.public.${name}`).schemaDefinition;
    expect(sql('customer_summary')).toContain('create view CUSTOMER_SUMMARY as select customer_id');
    expect(sql('daily_revenue')).toContain('materialized view DAILY_REVENUE as select ordered_at::date');
    // An account whose INFORMATION_SCHEMA.VIEWS has no row for the materialized view: SHOW's text is used.
    const client = recordedSnowflake();
    client.data.views = client.data.views!.filter((r) => r.TABLE_NAME !== 'DAILY_REVENUE');
    const { outcomes: viaShow } = await processAll(client);
    expect(tableBody(viaShow, 'snowflake_test.analytics.public.daily_revenue').schemaDefinition).toContain(
      'materialized view DAILY_REVENUE as select order_date',
    );
    // VIEW_DEFINITION is NULL for a secure view the role does not own: nothing to send.
    expect(sql('revenue_secure')).toBeUndefined();
    expect(sql('customers')).toBeUndefined();
  });

  it('produces create requests that validate against OpenMetadata 1.0.4 and 1.13 schemas', async () => {
    const { outcomes } = await processAll();
    expectValidOutcomes(outcomes);
  });

  it('issues the same number of queries for a batch of 2 tables and for the whole schema (O(1) per schema)', async () => {
    const small = recordedSnowflake();
    const { source: a } = source({}, {}, small);
    const entities = (await collect(a.discover())).filter((e) => e.fqn.includes('.public.'));
    small.log.length = 0;
    await a.process(entities.filter((e) => /\.(customers|orders)$/.test(e.fqn)));
    const forTwo = small.log.length;
    small.log.length = 0;
    await a.process(entities);
    expect(entities.length).toBeGreaterThan(5);
    // + INFORMATION_SCHEMA.VIEWS and SHOW MATERIALIZED VIEWS: the full batch has both kinds of view.
    expect(small.log.length).toBe(forTwo + 2);
    expect(forTwo).toBeLessThanOrEqual(7);
  });

  it('binds table names instead of writing them into SQL, so hostile names are data', async () => {
    const client = recordedSnowflake();
    const { source: s } = source({}, {}, client);
    const entities = (await collect(s.discover())).filter((e) => e.fqn.includes('Mixed Case'));
    client.log.length = 0;
    const outcomes = await s.process(entities);
    const hostile = `o'brien"; DROP TABLE x;--`;
    expect(tableBody(outcomes, `snowflake_test.analytics.Mixed Case.${hostile}`).columns[0]!.name).toBe('Mixed Col');
    for (const { sql, binds } of client.log) {
      expect(sql).not.toContain("o'brien");
      if (!sql.startsWith('SHOW')) expect(binds[0]).toBe('Mixed Case');
    }
    expect(client.log.some((q) => q.binds.includes(hostile))).toBe(true);
  });

  it('reports a table dropped after discovery as a failed outcome and keeps the rest of the batch', async () => {
    const client = recordedSnowflake();
    const { source: s } = source({}, {}, client);
    const entities = (await collect(s.discover())).filter((e) => e.fqn.includes('.public.'));
    client.data.columns = client.data.columns!.filter((r) => r.TABLE_NAME !== 'ORDERS');
    const outcomes = await s.process(entities);
    const failed = outcomes.filter((o) => !o.ok);
    expect(failed).toEqual([
      {
        fqn: 'snowflake_test.analytics.public.orders',
        ok: false,
        error: expect.stringContaining('not found') as string,
        retryable: false,
      },
    ]);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(entities.length - 1);
  });
});

describe('Snowflake errors', () => {
  it('turns a refused login into one auth sentence that names the fix and not the password', async () => {
    const error = Object.assign(new Error(`Incorrect username or password was specified. (${PASSWORD})`), {
      code: '390100',
    });
    const failure = await connectionFailure(failing(error).testConnection(), [PASSWORD]);
    expect(failure.reason).toBe('auth');
    expect(failure.message).toMatch(/Snowflake rejected the login of user "INGEST".*check username and password/);
  });

  it('turns a network failure into an unreachable-account sentence', async () => {
    const error = Object.assign(new Error('Network error. Could not reach Snowflake.'), {
      code: 401001,
      cause: Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }),
    });
    const failure = await connectionFailure(collect(failing(error).discover()), [PASSWORD]);
    expect(failure.reason).toBe('unreachable');
    expect(failure.message).toMatch(/Cannot reach Snowflake account "xyz1234.us-east-1.gcp".*check "account"/);
  });

  it('fails the whole batch (not one table) when the connection is lost mid-shard', async () => {
    const client = recordedSnowflake();
    const { source: s } = source({}, {}, client);
    const entities: EntityDescriptor[] = await collect(s.discover());
    client.runQuery = async () => {
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    };
    await expect(s.process(entities.slice(0, 2))).rejects.toMatchObject({ reason: 'unreachable' });
  });

  it('closes the driver connection once, even when close() is called twice', async () => {
    const { source: s, client } = source();
    await s.testConnection();
    await s.close();
    await s.close();
    expect(client.closed).toBe(1);
  });
});
