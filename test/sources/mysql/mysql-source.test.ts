/**
 * The MySQL connector against a real MariaDB (Debian's mariadbd, started here): discovery, parents,
 * batched processing with O(1) catalogue queries per schema, filters, type mapping, keys and comments,
 * hostile names, and one-sentence connection errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardOf } from '../../../src/runtime/shards.js';
import type { EntityDescriptor } from '../../../src/sources/contract.js';
import { createMysqlSource as createMysqlSourceFromSource } from '../../../src/sources/mysql/source.js';
import { fromConfig } from '../../support/source-from-config.js';
import type { CatalogSource } from '../../../src/sources/sql-common/catalog-source.js';
import { startMariaDb, type MariaDbServer } from '../../support/mariadb-server.js';
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
import { BULK_TABLES, HOSTILE_SCHEMA, HOSTILE_TABLES, buildMysqlEstate } from './estate.js';

const createMysqlSource = fromConfig(createMysqlSourceFromSource);

const PASSWORD = 'mysql-pw-MARKER-7f3e';

let db: MariaDbServer;

beforeAll(async () => {
  db = await startMariaDb({ password: PASSWORD });
  await buildMysqlEstate(db);
}, 120_000);

afterAll(async () => {
  await db?.close();
});

interface Opts {
  readonly connection?: Record<string, unknown>;
  readonly sourceConfig?: Record<string, unknown>;
  readonly password?: string;
  readonly onQuery?: (sql: string) => void;
}

const sources: CatalogSource[] = [];
afterAll(async () => {
  await Promise.all(sources.map((s) => s.close()));
});

function source(o: Opts = {}): CatalogSource {
  const config = databaseConfig(
    'mysql',
    {
      type: 'Mysql',
      username: db.user,
      authType: { password: '${MYSQL_PASSWORD}' },
      hostPort: db.hostPort,
      ...o.connection,
    },
    o.sourceConfig,
    { MYSQL_PASSWORD: o.password ?? PASSWORD },
  );
  const s = createMysqlSource(config, sourceOptions, { onQuery: o.onQuery });
  sources.push(s);
  return s;
}

describe('MySQL discovery', () => {
  it('lists every table and view of the user schemas, grouped by schema, in the same order every time', async () => {
    const first = await collect(source().discover());
    const second = await collect(source().discover());
    expect(fqnsOf(second)).toEqual(fqnsOf(first));
    const schemas = first.map((e) => e.meta?.schemaName);
    // Grouped: once a schema's run ends it never comes back.
    const runs = schemas.filter((s, i) => i === 0 || schemas[i - 1] !== s);
    expect(new Set(runs).size).toBe(runs.length);
    expect(new Set(schemas)).toEqual(new Set(['analytics', 'bulk', 'shop', 'staging_area', 'types', HOSTILE_SCHEMA]));
    expect(first.filter((e) => e.meta?.schemaName === 'bulk')).toHaveLength(BULK_TABLES);
    expect(fqnsOf(first)).toContain('mysql_test.default.shop.big_orders');
    expect(first.find((e) => e.fqn === 'mysql_test.default.shop.big_orders')?.meta?.tableType).toBe('View');
  });

  it('skips the server schemas (mysql, information_schema, performance_schema, sys) and sequences', async () => {
    const schemas = new Set((await collect(source().discover())).map((e) => e.meta?.schemaName));
    for (const system of ['mysql', 'information_schema', 'performance_schema', 'sys'])
      expect(schemas).not.toContain(system);
    const shop = (await collect(source().discover())).filter((e) => e.meta?.schemaName === 'shop');
    expect(shop.map((e) => e.meta?.tableName)).toEqual([
      'big_orders',
      'broken_view',
      'customers',
      'order_lines',
      'orders',
    ]);
  });

  it('keeps a server schema that schemaFilterPattern.includes names explicitly', async () => {
    const entities = await collect(
      source({ sourceConfig: { schemaFilterPattern: { includes: ['mysql$'] } } }).discover(),
    );
    expect(new Set(entities.map((e) => e.meta?.schemaName))).toEqual(new Set(['mysql']));
    expect(entities.map((e) => e.meta?.tableName)).toContain('user');
  });

  it('applies schema and table filter patterns the OpenMetadata way (start-anchored, case-insensitive, includes win)', async () => {
    const filtered = await collect(
      source({
        sourceConfig: {
          schemaFilterPattern: { includes: ['SHOP', 'analyt'], excludes: ['shop'] },
          tableFilterPattern: { excludes: ['tmp_', '.*view'] },
        },
      }).discover(),
    );
    expect(fqnsOf(filtered)).toEqual([
      'mysql_test.default.analytics.customer_ref',
      'mysql_test.default.analytics.events',
      'mysql_test.default.shop.big_orders',
      'mysql_test.default.shop.customers',
      'mysql_test.default.shop.order_lines',
      'mysql_test.default.shop.orders',
    ]);
  });

  it('leaves views out when includeViews is false, and tables out when includeTables is false', async () => {
    const tablesOnly = await collect(source({ sourceConfig: { includeViews: false } }).discover());
    expect(tablesOnly.some((e) => e.meta?.tableType === 'View')).toBe(false);
    expect(fqnsOf(tablesOnly)).toContain('mysql_test.default.shop.orders');
    const viewsOnly = await collect(source({ sourceConfig: { includeTables: false } }).discover());
    expect(viewsOnly.map((e) => e.meta?.tableName)).toEqual(['big_orders', 'broken_view']);
  });

  it('restricts to one MySQL database with databaseSchema and names the database after databaseName', async () => {
    const entities = await collect(
      source({ connection: { databaseSchema: 'analytics', databaseName: 'prod_mysql' } }).discover(),
    );
    expect(fqnsOf(entities)).toEqual([
      'mysql_test.prod_mysql.analytics.customer_ref',
      'mysql_test.prod_mysql.analytics.events',
      'mysql_test.prod_mysql.analytics.tmp_scratch',
    ]);
  });

  it('matches filters against FQNs when useFqnForFiltering is set', async () => {
    const entities = await collect(
      source({
        sourceConfig: {
          useFqnForFiltering: true,
          tableFilterPattern: { includes: ['mysql_test\\.default\\.shop\\.o'] },
        },
      }).discover(),
    );
    expect(entities.map((e) => e.meta?.tableName)).toEqual(['order_lines', 'orders']);
  });
});

describe('MySQL parents', () => {
  it('yields the service without secrets, the database "default", then each schema after filters', async () => {
    const parents = await collect(
      source({ sourceConfig: { schemaFilterPattern: { includes: ['shop', 'bulk'] } } }).parents(),
    );
    expect(parents.map((p) => `${p.kind}:${p.fqn}`)).toEqual([
      'databaseService:mysql_test',
      'database:mysql_test.default',
      'databaseSchema:mysql_test.default.bulk',
      'databaseSchema:mysql_test.default.shop',
    ]);
    expect(parents[0]!.body).toMatchObject({ name: 'mysql_test', serviceType: 'Mysql' });
    expect(JSON.stringify(parents)).not.toContain(PASSWORD);
    expect(schemaErrors(parents)).toEqual([]);
  });
});

describe('MySQL processing', () => {
  it('describes hundreds of tables of one schema with the same few catalogue queries as ten', async () => {
    const bulk = (await collect(source().discover())).filter((e) => e.meta?.schemaName === 'bulk');
    const count = async (batch: readonly EntityDescriptor[]) => {
      const statements: string[] = [];
      const outcomes = await source({ onQuery: (sql) => statements.push(sql) }).process(batch);
      expect(outcomes.every((o) => o.ok)).toBe(true);
      return { statements, outcomes };
    };
    const small = await count(bulk.slice(0, 10));
    const all = await count(bulk);
    expect(all.outcomes).toHaveLength(BULK_TABLES);
    expect(all.statements.length).toBe(small.statements.length);
    expect(all.statements.length).toBeLessThanOrEqual(6);
    const t7 = tableBody(all.outcomes, 'mysql_test.default.bulk.t0007');
    expect(t7.description).toBe('bulk table 7');
    expect(t7.columns.map((c) => [c.name, c.dataType, c.dataLength, c.description])).toEqual([
      ['id', 'INT', undefined, undefined],
      ['v0', 'VARCHAR', 17, 'col 7'],
    ]);
    expect(schemaErrors(okRequests(all.outcomes))).toEqual([]);
  });

  it('describes batches of one schema asked for at the same moment together, each shard getting its own', async () => {
    const bulk = (await collect(source().discover())).filter((e) => e.meta?.schemaName === 'bulk');
    const statements: string[] = [];
    const s = source({ onQuery: (sql) => statements.push(sql) });
    const alone = await s.process(bulk.slice(0, 4));
    const perBatch = statements.length;
    statements.length = 0;
    // Five shards starting together (local mode): one describe for all of them.
    const batches = [0, 1, 2, 3, 4].map((i) => bulk.slice(i * 4, i * 4 + 4));
    const outcomes = await Promise.all(batches.map((b) => s.process(b)));
    expect(statements).toHaveLength(perBatch);
    outcomes.forEach((out, i) => expect(out.map((o) => [o.fqn, o.ok])).toEqual(batches[i]!.map((d) => [d.fqn, true])));
    expect(okRequests(outcomes[0]!)).toEqual(okRequests(alone));
  });

  it('processes each shard of a stable FQN-hash assignment independently, covering every entity once', async () => {
    const entities = await collect(source().discover());
    const seen: string[] = [];
    for (let shard = 0; shard < 4; shard++) {
      const mine = entities.filter((e) => shardOf(e.fqn, 4) === shard);
      const outcomes = await source().process(mine);
      expect(outcomes.map((o) => o.fqn)).toEqual(fqnsOf(mine));
      seen.push(...outcomes.map((o) => o.fqn));
    }
    expect([...seen].sort()).toEqual(fqnsOf(entities).sort());
  });

  it('maps keys, foreign keys across schemas and comments', async () => {
    const entities = await collect(source().discover());
    const outcomes = await source().process(
      entities.filter((e) => e.meta?.schemaName === 'shop' || e.meta?.schemaName === 'analytics'),
    );
    const customers = tableBody(outcomes, 'mysql_test.default.shop.customers');
    expect(customers.description).toBe('People who buy things');
    expect(customers.columns).toEqual([
      expect.objectContaining({ name: 'id', constraint: 'PRIMARY_KEY', description: 'surrogate key' }),
      expect.objectContaining({ name: 'email', constraint: 'UNIQUE', dataLength: 200 }),
      expect.objectContaining({ name: 'name', constraint: 'NULL', description: `customer's "display" name` }),
    ]);
    const lines = tableBody(outcomes, 'mysql_test.default.shop.order_lines');
    expect(lines.columns.map((c) => c.constraint)).toEqual(['NOT_NULL', 'NOT_NULL', 'NOT_NULL', 'NOT_NULL']);
    expect(lines.tableConstraints).toEqual([
      { constraintType: 'PRIMARY_KEY', columns: ['order_id', 'line_no'] },
      { constraintType: 'UNIQUE', columns: ['order_id', 'sku'] },
      {
        constraintType: 'FOREIGN_KEY',
        columns: ['order_id'],
        referredColumns: ['mysql_test.default.shop.orders.id'],
      },
    ]);
    expect(tableBody(outcomes, 'mysql_test.default.analytics.customer_ref').tableConstraints).toEqual([
      {
        constraintType: 'FOREIGN_KEY',
        columns: ['customer_id'],
        referredColumns: ['mysql_test.default.shop.customers.id'],
      },
    ]);
    const view = tableBody(outcomes, 'mysql_test.default.shop.big_orders');
    expect(view.tableType).toBe('View');
    expect(view.description).toBeUndefined();
    expect(view.columns.map((c) => c.name)).toEqual(['id', 'customer_id']);
    // information_schema.VIEWS.VIEW_DEFINITION, sent as schemaDefinition (viewDefinition on 1.0.x).
    expect(view.schemaDefinition).toMatch(/^select .*from .*orders/i);
    expect(tableBody(outcomes, 'mysql_test.default.shop.customers')).not.toHaveProperty('schemaDefinition');
    expect(schemaErrors(okRequests(outcomes))).toEqual([]);
  });

  it('reports a view over a dropped table as one failed entity while the rest of the batch succeeds', async () => {
    const shop = (await collect(source().discover())).filter((e) => e.meta?.schemaName === 'shop');
    const outcomes = await source().process(shop);
    const broken = outcomes.find((o) => o.fqn === 'mysql_test.default.shop.broken_view');
    expect(broken).toMatchObject({ ok: false, retryable: false });
    expect(broken?.ok === false && broken.error).toMatch(/view has no readable columns \(a base table was dropped/);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(shop.length - 1);
  });

  it('reports a table dropped since discovery as a failed entity', async () => {
    await db.query('CREATE TABLE staging_area.short_lived (id INT)');
    const entities = (await collect(source().discover())).filter((e) => e.meta?.schemaName === 'staging_area');
    await db.query('DROP TABLE staging_area.short_lived');
    const outcomes = await source().process(entities);
    expect(outcomes.find((o) => o.fqn.endsWith('.short_lived'))).toMatchObject({ ok: false });
    expect(outcomes.find((o) => o.fqn.endsWith('.raw_dump'))).toMatchObject({ ok: true });
  });
});

describe('MySQL type mapping', () => {
  it('maps every common MySQL / MariaDB type to a valid OpenMetadata dataType', async () => {
    const entities = (await collect(source().discover())).filter((e) => e.meta?.schemaName === 'types');
    const outcomes = await source().process(entities);
    const table = tableBody(outcomes, 'mysql_test.default.types.all_types');
    const valid = omDataTypes();
    for (const column of table.columns) expect(valid, column.name).toContain(column.dataType);
    const got = Object.fromEntries(table.columns.map((c) => [c.name, c.dataType]));
    expect(got).toEqual({
      c_tinyint: 'TINYINT',
      c_bool: 'TINYINT',
      c_smallint: 'SMALLINT',
      c_mediumint: 'INT',
      c_int: 'INT',
      c_integer: 'INT',
      c_bigint: 'BIGINT',
      c_decimal: 'DECIMAL',
      c_numeric: 'DECIMAL',
      c_float: 'FLOAT',
      c_double: 'DOUBLE',
      c_real: 'DOUBLE',
      c_bit: 'INT',
      c_char: 'CHAR',
      c_varchar: 'VARCHAR',
      c_tinytext: 'TEXT',
      c_text: 'TEXT',
      c_mediumtext: 'MEDIUMTEXT',
      c_longtext: 'TEXT',
      c_binary: 'BINARY',
      c_varbinary: 'VARBINARY',
      c_tinyblob: 'BLOB',
      c_blob: 'BLOB',
      c_mediumblob: 'MEDIUMBLOB',
      c_longblob: 'LONGBLOB',
      c_enum: 'ENUM',
      c_set: 'SET',
      c_json: 'JSON',
      c_date: 'DATE',
      c_time: 'TIME',
      c_datetime: 'DATETIME',
      c_timestamp: 'TIMESTAMP',
      c_year: 'YEAR',
      c_geometry: 'GEOMETRY',
      c_point: 'POINT',
      c_linestring: 'GEOMETRY',
      c_polygon: 'POLYGON',
      c_multipoint: 'GEOMETRY',
      c_multilinestring: 'GEOMETRY',
      c_multipolygon: 'GEOMETRY',
      c_geometrycollection: 'GEOMETRY',
      c_uuid: 'UUID',
      c_inet4: 'INET',
      c_inet6: 'INET',
    });
    const byName = new Map(table.columns.map((c) => [c.name, c]));
    expect(byName.get('c_decimal')).toMatchObject({ precision: 12, scale: 3, dataTypeDisplay: 'decimal(12,3)' });
    expect(byName.get('c_int')?.dataTypeDisplay).toBe('int(10) unsigned');
    expect(byName.get('c_enum')?.dataTypeDisplay).toBe("enum('a','b''c')");
    expect(byName.get('c_char')?.dataLength).toBe(10);
    expect(byName.get('c_binary')?.dataLength).toBe(16);
    expect(byName.get('c_varbinary')?.dataLength).toBe(64);
    expect(byName.get('c_json')?.dataTypeDisplay).toBe('json');
    expect(schemaErrors(okRequests(outcomes))).toEqual([]);
  });
});

describe('MySQL hostile identifiers', () => {
  it('treats quotes, backticks, dots, placeholders and Unicode in names as data', async () => {
    const entities = (await collect(source().discover())).filter((e) => e.meta?.schemaName === HOSTILE_SCHEMA);
    expect(entities.map((e) => e.meta?.tableName)).toEqual([...HOSTILE_TABLES].sort((a, b) => (a < b ? -1 : 1)));
    expect(fqnsOf(entities)).toContain(`mysql_test.default.${HOSTILE_SCHEMA}."dot.ted"`);
    const outcomes = await source().process(entities);
    for (const name of HOSTILE_TABLES) {
      const outcome = outcomes.find((o) => o.ok && o.requests[0]!.body.name === name);
      expect(outcome, name).toBeDefined();
      const body = tableBody(outcomes, outcome!.fqn);
      // `Orders` and `orders` are different tables; each gets its own column, never the other's.
      expect(body.columns.map((c) => [c.name, c.description])).toEqual([[`col ${name}`, `comment of ${name}`]]);
    }
    const still = await db.query(
      "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME = 'customers'",
    );
    expect(still).toHaveLength(1);
  });
});

describe('MySQL connection errors', () => {
  const failure = (o: Opts) => connectionFailure(source(o).testConnection(), [PASSWORD, 'wrong-MARKER']);

  it('succeeds with the right credentials', async () => {
    await expect(source().testConnection()).resolves.toBeUndefined();
  });

  it('says the login was rejected, naming user and fix, for a wrong password', async () => {
    const e = await failure({ password: 'wrong-MARKER-pw' });
    expect(e.reason).toBe('auth');
    expect(e.message).toMatch(
      new RegExp(`rejected the login of user "${db.user}".*check serviceConnection.config.username`),
    );
  });

  it('says the host cannot be reached for a port nobody listens on', async () => {
    const e = await failure({ connection: { hostPort: '127.0.0.1:1' } });
    expect(e.reason).toBe('unreachable');
    expect(e.message).toMatch(/Cannot reach MySQL at 127\.0\.0\.1:1 \(ECONNREFUSED\).*hostPort/);
  });

  it('says the database does not exist for an unknown databaseSchema', async () => {
    const e = await failure({ connection: { databaseSchema: 'no_such_db' } });
    expect(e.reason).toBe('config');
    expect(e.message).toMatch(/has no database "no_such_db".*databaseSchema/);
  });

  it('rejects a hostPort that is not host:port before connecting', () => {
    expect(() => source({ connection: { hostPort: 'db.example.com:notaport' } })).toThrow(
      /hostPort \(its port is not a number within 1-65535\) is not host:port/,
    );
  });
});
