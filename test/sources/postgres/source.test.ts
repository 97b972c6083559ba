import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityDescriptor, EntityOutcome, UpsertRequest } from '../../../src/sources/contract.js';
import { validateEverywhere } from '../../support/om-schemas.js';
import { startPostgres, type PostgresServer } from '../../support/postgres-server.js';
import { collect, makeSource, names } from './fixture.js';

const DATA_TYPES: readonly string[] = (
  JSON.parse(
    readFileSync(new URL('../../../schemas/openmetadata-1.0.4/entity/data/table.json', import.meta.url), 'utf8'),
  ) as {
    definitions: { dataType: { enum: string[] } };
  }
).definitions.dataType.enum;

const HOSTILE = `x'; drop table y; --`;

let pg: PostgresServer;

beforeAll(async () => {
  pg = await startPostgres();
  await pg.admin(
    `create foreign data wrapper test_fdw; create server test_server foreign data wrapper test_fdw;
     grant usage on foreign server test_server to ${pg.user}`,
    [],
    pg.database,
  );
  await pg.query(`
    create schema types_demo;
    comment on schema types_demo is 'Every type we map';
    create type types_demo.mood as enum ('sad', 'ok', 'happy');
    create type types_demo.address as (street text, city text);
    create domain types_demo.short_code as varchar(20) not null;
    create table types_demo.all_types (
      id bigserial primary key,
      small_col smallint, int_col integer not null, big_col bigint, serial_col serial,
      numeric_col numeric(12,2), plain_numeric numeric, real_col real, double_col double precision, money_col money,
      bool_col boolean,
      char_col char(3), varchar_col varchar(64), unbounded_varchar varchar, text_col text, qchar_col "char", name_col name,
      date_col date, time_col time, timetz_col time with time zone, ts_col timestamp(3), tstz_col timestamptz,
      interval_col interval,
      uuid_col uuid, json_col json, jsonb_col jsonb, xml_col xml, bytea_col bytea,
      bit_col bit(8), varbit_col bit varying(16),
      inet_col inet, cidr_col cidr, macaddr_col macaddr, macaddr8_col macaddr8,
      tsvector_col tsvector, tsquery_col tsquery, lsn_col pg_lsn, snapshot_col pg_snapshot, txid_col txid_snapshot,
      point_col point, polygon_col polygon, line_col line, box_col box, circle_col circle,
      oid_col oid, int_array integer[], varchar_array varchar(10)[], text_matrix text[][], domain_array types_demo.short_code[],
      mood_col types_demo.mood, address_col types_demo.address, range_col int4range, tsrange_col tstzrange,
      code_col types_demo.short_code
    );
    comment on table types_demo.all_types is 'One column per type';
    comment on column types_demo.all_types.numeric_col is 'Money, exactly';

    create schema sales;
    create table sales.customers (id integer primary key, email varchar(200) not null unique, region char(2));
    create table sales.orders (
      region char(2) not null, seq integer not null, customer_id integer references sales.customers (id),
      label text, quantity int, primary key (region, seq), unique (label, quantity));
    create table sales.order_items (
      id integer primary key, order_region char(2), order_seq integer,
      foreign key (order_region, order_seq) references sales.orders (region, seq));
    create table sales.tmp_scratch (id int);
    create view sales.v_customers as select id, email from sales.customers;
    comment on view sales.v_customers is 'Customers, slim';
    create materialized view sales.mv_counts as select count(*) as n from sales.orders;
    create table sales.events (id bigint, at date not null) partition by range (at);
    create table sales.events_2024 partition of sales.events for values from ('2024-01-01') to ('2025-01-01');
    create foreign table sales.ext_rates (currency char(3), rate numeric(18,6)) server test_server;

    create schema sales_archive;
    create table sales_archive.orders_2019 (id int primary key, customer_id int references sales.customers (id));
    create schema "Finance";
    create table "Finance".ledger (id int);

    create schema hostile;
    create table hostile.y (id int);
    create table hostile."${HOSTILE.replace(/"/g, '""')}" (id int primary key, "we'ird col" text);
    comment on table hostile."${HOSTILE}" is 'it''s; drop table hostile.y; --';
    create table hostile."dotted.name" (id int);
    create table hostile."Ünïcödé 表" (id int);
  `);
});

afterAll(async () => {
  await pg?.close();
});

function tableBody(
  outcome: EntityOutcome | undefined,
): Record<string, unknown> & { columns: Record<string, unknown>[] } {
  if (!outcome?.ok) throw new Error(`not ok: ${JSON.stringify(outcome)}`);
  const request = outcome.requests[0] as UpsertRequest;
  return request.body as Record<string, unknown> & { columns: Record<string, unknown>[] };
}

function column(body: { columns: Record<string, unknown>[] }, name: string): Record<string, unknown> {
  const found = body.columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name}`);
  return found;
}

async function discoverAll(options: Parameters<typeof makeSource>[1] = {}): Promise<EntityDescriptor[]> {
  const { source } = makeSource(pg, options);
  try {
    return await collect(source.discover());
  } finally {
    await source.close();
  }
}

async function processOne(schema: string, table: string): Promise<EntityOutcome> {
  const { source } = makeSource(pg);
  try {
    const all = await collect(source.discover());
    const descriptor = all.find((d) => d.meta?.['schema'] === schema && d.meta?.['table'] === table);
    if (!descriptor) throw new Error(`not discovered: ${schema}.${table}`);
    const [outcome] = await source.process([descriptor]);
    return outcome!;
  } finally {
    await source.close();
  }
}

describe('PostgreSQL discovery', () => {
  it('lists tables, views, materialized views, partitioned parents and foreign tables, but not partitions', async () => {
    const all = await discoverAll();
    const sales = all.filter((d) => d.meta?.['schema'] === 'sales');
    expect(sales.map((d) => [d.meta?.['table'], d.meta?.['tableType']])).toEqual([
      ['customers', 'Regular'],
      ['events', 'Partitioned'],
      ['ext_rates', 'Foreign'],
      ['mv_counts', 'MaterializedView'],
      ['order_items', 'Regular'],
      ['orders', 'Regular'],
      ['tmp_scratch', 'Regular'],
      ['v_customers', 'View'],
    ]);
    expect(names(all)).not.toContain('sales.events_2024');
    expect(sales[0]).toMatchObject({
      fqn: 'pg_svc.argo_test.sales.customers',
      type: 'table',
      meta: { database: 'argo_test' },
    });
  });

  it('groups entities by schema in byte order, the same on every call', async () => {
    const first = names(await discoverAll());
    const second = names(await discoverAll());
    expect(second).toEqual(first);
    expect([...first].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))).toEqual(first);
    const schemas = first.map((n) => n.split('.')[0]);
    expect(schemas.filter((s, i) => s !== schemas[i - 1])).toEqual([
      'Finance',
      'hostile',
      'sales',
      'sales_archive',
      'types_demo',
    ]);
  });

  it('pages through relations with bounded pages and loses none', async () => {
    const paged = await discoverAll({ props: { discoveryPageSize: 3 } });
    expect(names(paged)).toEqual(names(await discoverAll()));
  });

  it('leaves views and materialized views out when includeViews is false', async () => {
    const types = new Set((await discoverAll({ metadata: { includeViews: false } })).map((d) => d.meta?.['tableType']));
    expect([...types].sort()).toEqual(['Foreign', 'Partitioned', 'Regular']);
  });

  it('applies schema filters start-anchored and case-insensitively', async () => {
    const included = await discoverAll({
      metadata: { schemaFilterPattern: { includes: ['SALES'], excludes: ['sales'] } },
    });
    expect(new Set(included.map((d) => d.meta?.['schema']))).toEqual(new Set(['sales', 'sales_archive']));
    const finance = await discoverAll({ metadata: { schemaFilterPattern: { includes: ['finance$'], excludes: [] } } });
    expect(names(finance)).toEqual(['Finance.ledger']);
    const excluded = await discoverAll({
      metadata: { schemaFilterPattern: { includes: [], excludes: ['sales$', 'types'] } },
    });
    expect(new Set(excluded.map((d) => d.meta?.['schema']))).toEqual(new Set(['Finance', 'hostile', 'sales_archive']));
  });

  it('applies table filters, and FQN filters with useFqnForFiltering', async () => {
    const noTmp = await discoverAll({
      metadata: {
        schemaFilterPattern: { includes: ['sales$'], excludes: [] },
        tableFilterPattern: { includes: [], excludes: ['tmp_', 'v_'] },
      },
    });
    expect(names(noTmp)).toEqual([
      'sales.customers',
      'sales.events',
      'sales.ext_rates',
      'sales.mv_counts',
      'sales.order_items',
      'sales.orders',
    ]);
    const orders = await discoverAll({ metadata: { tableFilterPattern: { includes: ['order'], excludes: [] } } });
    expect(names(orders)).toEqual(['sales.order_items', 'sales.orders', 'sales_archive.orders_2019']);
    const byFqn = await discoverAll({
      metadata: {
        useFqnForFiltering: true,
        tableFilterPattern: { includes: ['pg_svc\\.argo_test\\.sales_archive\\.'], excludes: [] },
      },
    });
    expect(names(byFqn)).toEqual(['sales_archive.orders_2019']);
  });
});

describe('PostgreSQL parents', () => {
  it('yields the service without the password, the database, and the filtered schemas with comments', async () => {
    const { source } = makeSource(pg, {
      metadata: { schemaFilterPattern: { includes: [], excludes: ['hostile', 'finance'] } },
    });
    const parents = await collect(source.parents());
    await source.close();
    expect(parents.map((p) => `${p.kind} ${p.fqn}`)).toEqual([
      'databaseService pg_svc',
      'database pg_svc.argo_test',
      'databaseSchema pg_svc.argo_test.public',
      'databaseSchema pg_svc.argo_test.sales',
      'databaseSchema pg_svc.argo_test.sales_archive',
      'databaseSchema pg_svc.argo_test.types_demo',
    ]);
    expect(JSON.stringify(parents)).not.toContain(pg.password);
    expect(parents[5]!.body).toMatchObject({ name: 'types_demo', description: 'Every type we map' });
    for (const p of parents) expect(validateEverywhere(p)).toEqual([]);
  });
});

describe('PostgreSQL process', () => {
  it('maps every column of a many-typed table to a valid OpenMetadata dataType', async () => {
    const body = tableBody(await processOne('types_demo', 'all_types'));
    expect(validateEverywhere({ kind: 'table', fqn: 't', body })).toEqual([]);
    for (const c of body.columns) {
      expect(DATA_TYPES, `column ${String(c.name)}`).toContain(c.dataType);
      if (c.dataType === 'ARRAY') expect(DATA_TYPES).toContain(c.arrayDataType);
    }
    const expected: Record<string, string> = {
      small_col: 'SMALLINT',
      int_col: 'INT',
      big_col: 'BIGINT',
      serial_col: 'INT',
      numeric_col: 'NUMERIC',
      real_col: 'FLOAT',
      double_col: 'DOUBLE',
      money_col: 'NUMBER',
      bool_col: 'BOOLEAN',
      char_col: 'CHAR',
      varchar_col: 'VARCHAR',
      text_col: 'TEXT',
      date_col: 'DATE',
      time_col: 'TIME',
      ts_col: 'TIMESTAMP',
      tstz_col: 'TIMESTAMPZ',
      interval_col: 'INTERVAL',
      uuid_col: 'UUID',
      json_col: 'JSON',
      jsonb_col: 'JSON',
      xml_col: 'XML',
      bytea_col: 'BYTEA',
      bit_col: 'BINARY',
      varbit_col: 'VARBINARY',
      inet_col: 'INET',
      cidr_col: 'CIDR',
      macaddr_col: 'MACADDR',
      tsvector_col: 'TSVECTOR',
      tsquery_col: 'TSQUERY',
      lsn_col: 'PG_LSN',
      point_col: 'POINT',
      polygon_col: 'POLYGON',
      circle_col: 'GEOMETRY',
      int_array: 'ARRAY',
      mood_col: 'ENUM',
      address_col: 'STRUCT',
      code_col: 'VARCHAR',
    };
    for (const [name, dataType] of Object.entries(expected)) expect(column(body, name).dataType, name).toBe(dataType);
  });

  it('keeps display types, lengths, precision and scale, array element types and ordinal positions', async () => {
    const body = tableBody(await processOne('types_demo', 'all_types'));
    expect(column(body, 'numeric_col')).toMatchObject({ dataTypeDisplay: 'numeric(12,2)', precision: 12, scale: 2 });
    expect(column(body, 'plain_numeric')).not.toHaveProperty('precision');
    expect(column(body, 'varchar_col')).toMatchObject({ dataTypeDisplay: 'character varying(64)', dataLength: 64 });
    expect(column(body, 'char_col')).toMatchObject({ dataLength: 3 });
    expect(column(body, 'unbounded_varchar')).toMatchObject({ dataType: 'VARCHAR', dataLength: 1 });
    expect(column(body, 'bit_col')).toMatchObject({ dataLength: 8 });
    expect(column(body, 'ts_col')).toMatchObject({ dataTypeDisplay: 'timestamp(3) without time zone' });
    expect(column(body, 'int_array')).toMatchObject({ dataTypeDisplay: 'integer[]', arrayDataType: 'INT' });
    expect(column(body, 'varchar_array')).toMatchObject({ arrayDataType: 'VARCHAR' });
    expect(column(body, 'text_matrix')).toMatchObject({ arrayDataType: 'TEXT' });
    expect(column(body, 'domain_array')).toMatchObject({ arrayDataType: 'VARCHAR' });
    expect(column(body, 'code_col')).toMatchObject({
      dataTypeDisplay: 'types_demo.short_code',
      dataLength: 20,
      constraint: 'NOT_NULL',
    });
    expect(body.columns.map((c) => c.ordinalPosition)).toEqual(body.columns.map((_, i) => i + 1));
  });

  it('turns keys, nullability and comments into OpenMetadata constraints and descriptions', async () => {
    const allTypes = tableBody(await processOne('types_demo', 'all_types'));
    expect(allTypes).toMatchObject({ description: 'One column per type', tableType: 'Regular' });
    expect(column(allTypes, 'id').constraint).toBe('PRIMARY_KEY');
    expect(column(allTypes, 'int_col').constraint).toBe('NOT_NULL');
    expect(column(allTypes, 'small_col').constraint).toBe('NULL');
    expect(column(allTypes, 'numeric_col').description).toBe('Money, exactly');

    const customers = tableBody(await processOne('sales', 'customers'));
    expect(column(customers, 'id').constraint).toBe('PRIMARY_KEY');
    expect(column(customers, 'email').constraint).toBe('UNIQUE');
    expect(customers).not.toHaveProperty('tableConstraints');

    const orders = tableBody(await processOne('sales', 'orders'));
    expect(orders.tableConstraints).toEqual([
      { constraintType: 'PRIMARY_KEY', columns: ['region', 'seq'] },
      { constraintType: 'UNIQUE', columns: ['label', 'quantity'] },
      {
        constraintType: 'FOREIGN_KEY',
        columns: ['customer_id'],
        referredColumns: ['pg_svc.argo_test.sales.customers.id'],
      },
    ]);
    expect(column(orders, 'region').constraint).toBe('NOT_NULL');

    const items = tableBody(await processOne('sales', 'order_items'));
    expect(items.tableConstraints).toEqual([
      {
        constraintType: 'FOREIGN_KEY',
        columns: ['order_region', 'order_seq'],
        referredColumns: ['pg_svc.argo_test.sales.orders.region', 'pg_svc.argo_test.sales.orders.seq'],
      },
    ]);
    const archived = tableBody(await processOne('sales_archive', 'orders_2019'));
    expect(archived.tableConstraints).toEqual([
      {
        constraintType: 'FOREIGN_KEY',
        columns: ['customer_id'],
        referredColumns: ['pg_svc.argo_test.sales.customers.id'],
      },
    ]);
    for (const body of [allTypes, customers, orders, items, archived])
      expect(validateEverywhere({ kind: 'table', fqn: 't', body })).toEqual([]);
  });

  it('describes views, materialized views, partitioned and foreign tables with their table types', async () => {
    const view = tableBody(await processOne('sales', 'v_customers'));
    expect(view).toMatchObject({ tableType: 'View', description: 'Customers, slim' });
    expect(view.columns.map((c) => c.name)).toEqual(['id', 'email']);
    // The SQL (pg_get_viewdef) goes out as schemaDefinition; the sink renames it for 1.0.x servers.
    expect(view.schemaDefinition).toMatch(/SELECT customers\.id,\s+customers\.email\s+FROM sales\.customers/);
    const counts = tableBody(await processOne('sales', 'mv_counts'));
    expect(counts).toMatchObject({ tableType: 'MaterializedView' });
    expect(counts.schemaDefinition).toMatch(/SELECT count\(\*\) AS n\s+FROM sales\.orders/);
    const events = tableBody(await processOne('sales', 'events'));
    expect(events).toMatchObject({ tableType: 'Partitioned', databaseSchema: 'pg_svc.argo_test.sales' });
    expect(events).not.toHaveProperty('schemaDefinition');
    expect(column(events, 'at').dataType).toBe('DATE');
    const rates = tableBody(await processOne('sales', 'ext_rates'));
    expect(rates).toMatchObject({ tableType: 'Foreign' });
    expect(column(rates, 'rate')).toMatchObject({ precision: 18, scale: 6 });
  });

  it('issues one catalogue query for a batch of 3 or of 40 tables of one schema', async () => {
    await pg.query(
      `create schema wide; ${Array.from({ length: 40 }, (_, i) => `create table wide.t${i} (id int primary key, v text)`).join(';')}`,
    );
    const { source, queries } = makeSource(pg, {
      metadata: { schemaFilterPattern: { includes: ['wide'], excludes: [] } },
    });
    try {
      const all = await collect(source.discover());
      expect(all).toHaveLength(40);
      for (const size of [3, 40]) {
        queries.length = 0;
        const outcomes = await source.process(all.slice(0, size));
        expect(outcomes.filter((o) => o.ok)).toHaveLength(size);
        expect(queries).toHaveLength(1);
        expect(queries[0]!.sql).toMatch(/= any\(\$\d/);
      }
    } finally {
      await source.close();
    }
  });

  it('reads batches of one schema asked for at the same moment with one query, each shard getting its own', async () => {
    const { source, queries } = makeSource(pg, {
      concurrency: 10,
      metadata: { schemaFilterPattern: { includes: ['wide'], excludes: [] } },
    });
    try {
      const all = await collect(source.discover());
      queries.length = 0;
      const batches = [all.slice(0, 5), all.slice(5, 12), all.slice(12, 13)];
      const outcomes = await Promise.all(batches.map((b) => source.process(b)));
      expect(queries).toHaveLength(1);
      outcomes.forEach((out, i) =>
        expect(out.map((o) => [o.fqn, o.ok])).toEqual(batches[i]!.map((d) => [d.fqn, true])),
      );
      // One after the other (an Argo pod's shard), each batch is read on its own.
      queries.length = 0;
      for (const b of batches) await source.process(b);
      expect(queries).toHaveLength(3);
    } finally {
      await source.close();
    }
  });

  it('opens at most `concurrency` connections however many batches run at once', async () => {
    const { source } = makeSource(pg, { concurrency: 3 });
    try {
      const all = await collect(source.discover());
      const running: Promise<unknown>[] = [];
      for (let i = 0; i < 12; i++) {
        running.push(source.process(all.slice(i, i + 2)));
        // The next batch comes a turn later, once this one's query went out, so none are merged.
        await new Promise((resolve) => setImmediate(resolve));
      }
      await Promise.all(running);
      const open = await pg.admin<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where application_name = 'argo-ingest' and datname = $1`,
        [pg.database],
      );
      expect(open.rows[0]!.n).toBe(3);
    } finally {
      await source.close();
    }
  });

  it('reports a table dropped after discovery as a failed outcome while the rest of the batch succeeds', async () => {
    await pg.query(
      'create schema fleeting; create table fleeting.a (id int); create table fleeting.b (id int); create table fleeting.c (id int)',
    );
    const { source } = makeSource(pg, { metadata: { schemaFilterPattern: { includes: ['fleeting'], excludes: [] } } });
    try {
      const all = await collect(source.discover());
      await pg.query('drop table fleeting.b');
      const outcomes = await source.process(all);
      expect(outcomes.map((o) => [o.fqn, o.ok])).toEqual([
        ['pg_svc.argo_test.fleeting.a', true],
        ['pg_svc.argo_test.fleeting.b', false],
        ['pg_svc.argo_test.fleeting.c', true],
      ]);
      expect(outcomes[1]).toMatchObject({ retryable: false });
      expect((outcomes[1] as { error: string }).error).toContain('"fleeting"."b"');
    } finally {
      await source.close();
    }
  });

  it('ingests hostile names as data and never executes them', async () => {
    const { source } = makeSource(pg, { metadata: { schemaFilterPattern: { includes: ['hostile'], excludes: [] } } });
    try {
      const all = await collect(source.discover());
      expect(all.map((d) => d.meta?.['table'])).toEqual(['dotted.name', HOSTILE, 'y', 'Ünïcödé 表']);
      expect(all[0]!.fqn).toBe('pg_svc.argo_test.hostile."dotted.name"');
      const outcomes = await source.process(all);
      expect(outcomes.every((o) => o.ok)).toBe(true);
      const hostile = tableBody(outcomes[1]);
      expect(hostile).toMatchObject({ name: HOSTILE, description: `it's; drop table hostile.y; --` });
      expect(column(hostile, `we'ird col`).dataType).toBe('TEXT');
      expect(validateEverywhere({ kind: 'table', fqn: 't', body: hostile })).toEqual([]);
      expect(tableBody(outcomes[3]).name).toBe('Ünïcödé 表');
    } finally {
      await source.close();
    }
    const survivor = await pg.query(
      `select count(*)::int as n from pg_tables where schemaname = 'hostile' and tablename = 'y'`,
    );
    expect(survivor.rows[0]!.n).toBe(1);
  });
});

describe('PostgreSQL with ingestAllDatabases', () => {
  it('visits every connectable database with its own pool, after the database filter', async () => {
    await pg.admin(`create database warehouse owner ${pg.user}`);
    await pg.admin(`create database locked`);
    await pg.admin(`revoke connect on database locked from public`);
    await pg.query('create schema dw; create table dw.facts (id int primary key)', [], 'warehouse');
    const { source, queries } = makeSource(pg, {
      connection: { ingestAllDatabases: true },
      metadata: { schemaFilterPattern: { includes: ['dw', 'sales$'], excludes: [] } },
    });
    try {
      const all = await collect(source.discover());
      expect(all.map((d) => d.fqn).filter((f) => f.endsWith('.facts') || f.endsWith('.customers'))).toEqual([
        'pg_svc.argo_test.sales.customers',
        'pg_svc.warehouse.dw.facts',
      ]);
      expect(all.some((d) => d.meta?.['database'] === 'locked')).toBe(false);
      const facts = all.find((d) => d.fqn === 'pg_svc.warehouse.dw.facts')!;
      queries.length = 0;
      const [outcome] = await source.process([facts]);
      expect(tableBody(outcome)).toMatchObject({ databaseSchema: 'pg_svc.warehouse.dw' });
      expect(new Set(queries.map((q) => q.database))).toEqual(new Set(['warehouse']));
      const parents = await collect(source.parents());
      expect(parents.filter((p) => p.kind === 'database').map((p) => p.fqn)).toEqual([
        'pg_svc.argo_test',
        'pg_svc.postgres',
        'pg_svc.warehouse',
      ]);
      // The locked database is not listed, and the listing scope says so (mark-deleted keeps its tables).
      const scope = await source.listingScope();
      expect(scope.unlisted).toEqual([
        { fqn: 'pg_svc.locked', reason: `user "${pg.user}" has no CONNECT privilege on it` },
      ]);
      expect(scope.listed).toContain('pg_svc.warehouse.dw');
      expect(scope.listed.some((fqn) => fqn.startsWith('pg_svc.locked.'))).toBe(false);
    } finally {
      await source.close();
    }
    const filtered = await discoverAll({
      connection: { ingestAllDatabases: true },
      metadata: { databaseFilterPattern: { includes: ['ware'], excludes: [] } },
    });
    expect(new Set(filtered.map((d) => d.meta?.['database']))).toEqual(new Set(['warehouse']));
  });
});
