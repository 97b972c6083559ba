/**
 * A sample PostgreSQL estate for the demo, the tests and the benchmark: schemas of tables covering many
 * column types, primary / unique / foreign keys, comments, views, materialized views, a partitioned table
 * (with partitions, which are not entities) and optionally foreign tables. Deterministic: the same options
 * give the same names and DDL. The DDL is generated in bulk and sent in a few large multi-statement
 * batches, so 10,000 tables take seconds, not minutes.
 */

/** Something that runs a multi-statement SQL string: a pg Client / Pool, a PGlite (`exec`), or a function. */
export type SqlRunner =
  | ((sql: string) => Promise<unknown>)
  | { exec(sql: string): Promise<unknown> }
  | { query(sql: string): Promise<unknown> };

export interface EstateOptions {
  /** Number of schemas. @default 3 */
  readonly schemas?: number;
  /** Regular tables per schema. @default 20 */
  readonly tablesPerSchema?: number;
  /** Views per schema (each over one of the schema's tables). @default 2 */
  readonly viewsPerSchema?: number;
  /** Materialized views per schema. @default 1 */
  readonly materializedViewsPerSchema?: number;
  /** One partitioned table (with two partitions) per schema. @default true */
  readonly partitioned?: boolean;
  /**
   * One foreign table per schema, on a handler-less foreign data wrapper (catalogue entries only).
   * Creating the wrapper needs a superuser. @default false
   */
  readonly foreignTables?: boolean;
  /** Comments on schemas, tables and some columns. @default true */
  readonly comments?: boolean;
  /** Tables per SQL batch sent to the server. @default 250 */
  readonly tablesPerBatch?: number;
}

export interface EstateSchema {
  readonly name: string;
  /** Regular tables (partitions are listed apart, in `partitions`). */
  readonly tables: readonly string[];
  readonly views: readonly string[];
  readonly materializedViews: readonly string[];
  /** Partitioned parents (entities). */
  readonly partitioned: readonly string[];
  /** Partitions of the partitioned parents (not entities: OpenMetadata ingests the parent). */
  readonly partitions: readonly string[];
  readonly foreign: readonly string[];
}

export interface Estate {
  readonly schemas: readonly EstateSchema[];
  /** Entities a connector should discover: tables + views + materialized views + partitioned + foreign. */
  readonly entityCount: number;
}

const SCHEMA_NAMES = ['sales', 'finance', 'marketing', 'inventory', 'support', 'logistics', 'analytics', 'hr'];
const TABLE_NOUNS = ['orders', 'customers', 'invoices', 'payments', 'products', 'shipments', 'events', 'accounts'];

/** Name of schema `i` (0-based): a business name, numbered once the list runs out. */
export function estateSchemaName(i: number): string {
  const base = SCHEMA_NAMES[i % SCHEMA_NAMES.length]!;
  return i < SCHEMA_NAMES.length ? base : `${base}_${Math.floor(i / SCHEMA_NAMES.length) + 1}`;
}

/** Name of table `j` (0-based) of a schema. */
export function estateTableName(j: number): string {
  return `${TABLE_NOUNS[j % TABLE_NOUNS.length]}_${String(j + 1).padStart(4, '0')}`;
}

/** Plans the estate without touching a database (names only). */
export function planEstate(options: EstateOptions = {}): Estate {
  const o = withDefaults(options);
  const schemas: EstateSchema[] = [];
  for (let i = 0; i < o.schemas; i++) {
    const tables = Array.from({ length: o.tablesPerSchema }, (_, j) => estateTableName(j));
    const views = Array.from(
      { length: Math.min(o.viewsPerSchema, Math.max(tables.length, 0)) },
      (_, k) => `v_${tables[k]}`,
    );
    const materializedViews = Array.from(
      { length: Math.min(o.materializedViewsPerSchema, tables.length) },
      (_, k) => `mv_${tables[k]}_summary`,
    );
    schemas.push({
      name: estateSchemaName(i),
      tables,
      views: tables.length > 0 ? views : [],
      materializedViews: tables.length > 0 ? materializedViews : [],
      partitioned: o.partitioned ? ['events_by_month'] : [],
      partitions: o.partitioned ? ['events_by_month_2024_01', 'events_by_month_2024_02'] : [],
      foreign: o.foreignTables ? ['ext_exchange_rates'] : [],
    });
  }
  const entityCount = schemas.reduce(
    (n, s) =>
      n + s.tables.length + s.views.length + s.materializedViews.length + s.partitioned.length + s.foreign.length,
    0,
  );
  return { schemas, entityCount };
}

/** Creates the estate (schemas must not exist yet) and returns what it created. */
export async function buildEstate(runner: SqlRunner, options: EstateOptions = {}): Promise<Estate> {
  const o = withDefaults(options);
  const estate = planEstate(options);
  const run = toRunFunction(runner);
  if (o.foreignTables) {
    await run(
      [
        `do $$ begin
           if not exists (select 1 from pg_foreign_data_wrapper where fdwname = 'estate_fdw') then
             create foreign data wrapper estate_fdw;
           end if;
           if not exists (select 1 from pg_foreign_server where srvname = 'estate_server') then
             create server estate_server foreign data wrapper estate_fdw;
           end if;
         end $$`,
      ].join(';\n'),
    );
  }
  for (const schema of estate.schemas) {
    const statements = schemaStatements(schema, o);
    for (let i = 0; i < statements.length; i += o.tablesPerBatch) {
      await run(statements.slice(i, i + o.tablesPerBatch).join(';\n'));
    }
  }
  return estate;
}

/** Every statement for one schema, in dependency order; each element is one table's worth of DDL. */
function schemaStatements(schema: EstateSchema, o: Required<EstateOptions>): string[] {
  const s = ident(schema.name);
  const out: string[] = [`create schema ${s}`];
  if (o.comments) out.push(`comment on schema ${s} is ${literal(`The ${schema.name} domain`)}`);
  schema.tables.forEach((table, j) => {
    const previous = j > 0 ? schema.tables[j - 1] : undefined;
    out.push(tableDdl(s, table, j, previous, o.comments));
  });
  schema.views.forEach((view, k) => {
    const base = schema.tables[k]!;
    out.push(
      `create view ${s}.${ident(view)} as select * from ${s}.${ident(base)}` +
        (o.comments ? `;\ncomment on view ${s}.${ident(view)} is ${literal(`All rows of ${base}`)}` : ''),
    );
  });
  schema.materializedViews.forEach((mv, k) => {
    const base = schema.tables[k]!;
    out.push(
      `create materialized view ${s}.${ident(mv)} as select count(*) as row_count from ${s}.${ident(base)}` +
        (o.comments ? `;\ncomment on materialized view ${s}.${ident(mv)} is ${literal(`Row count of ${base}`)}` : ''),
    );
  });
  for (const parent of schema.partitioned) {
    out.push(
      [
        `create table ${s}.${ident(parent)} (id bigint not null, occurred_on date not null, payload jsonb, primary key (id, occurred_on)) partition by range (occurred_on)`,
        `create table ${s}.${ident(`${parent}_2024_01`)} partition of ${s}.${ident(parent)} for values from ('2024-01-01') to ('2024-02-01')`,
        `create table ${s}.${ident(`${parent}_2024_02`)} partition of ${s}.${ident(parent)} for values from ('2024-02-01') to ('2024-03-01')`,
        o.comments ? `comment on table ${s}.${ident(parent)} is 'Events, partitioned by month'` : '',
      ]
        .filter(Boolean)
        .join(';\n'),
    );
  }
  for (const foreign of schema.foreign) {
    out.push(
      `create foreign table ${s}.${ident(foreign)} (currency char(3) not null, rate numeric(18,6), valid_on date) server estate_server` +
        (o.comments ? `;\ncomment on foreign table ${s}.${ident(foreign)} is 'Rates from the treasury system'` : ''),
    );
  }
  return out;
}

/**
 * One table. Table 0 of a schema covers the common PostgreSQL types; the others rotate through three
 * shapes (single-column PK + FK to the previous table, composite PK + multi-column unique, a wide one).
 */
function tableDdl(s: string, table: string, j: number, previous: string | undefined, comments: boolean): string {
  const t = `${s}.${ident(table)}`;
  let columns: string[];
  const extra: string[] = [];
  if (j === 0) {
    columns = [
      'id bigserial primary key',
      'small_col smallint',
      'int_col integer not null',
      'numeric_col numeric(12,2)',
      'real_col real',
      'double_col double precision',
      'bool_col boolean',
      'char_col char(3)',
      'varchar_col varchar(64) unique',
      'text_col text',
      'date_col date',
      'time_col time',
      'timetz_col time with time zone',
      'ts_col timestamp',
      'tstz_col timestamptz',
      'interval_col interval',
      'uuid_col uuid',
      'json_col json',
      'jsonb_col jsonb',
      'bytea_col bytea',
      'inet_col inet',
      'cidr_col cidr',
      'macaddr_col macaddr',
      'xml_col xml',
      'int_array integer[]',
      'text_array text[]',
      'tsvector_col tsvector',
      'point_col point',
      'money_col money',
      'bit_col bit(8)',
      'varbit_col bit varying(16)',
      'oid_col oid',
    ];
  } else if (j % 3 === 1) {
    columns = [
      'id integer primary key',
      'code varchar(32) not null unique',
      'name text',
      'amount numeric(10,2)',
      'created_at timestamptz not null default now()',
      // The previous table (shape 0 or the wide shape) has a primary-key `id`.
      `parent_id integer${previous ? ` references ${s}.${ident(previous)} (id)` : ''}`,
      'active boolean default true',
    ];
  } else if (j % 3 === 2) {
    columns = [
      'id integer not null unique',
      'region char(2) not null',
      'seq integer not null',
      'label varchar(120)',
      'quantity bigint',
      'ratio double precision',
      'tags text[]',
      'primary key (region, seq)',
    ];
    extra.push(`alter table ${t} add constraint ${ident(`${table}_label_qty_key`)} unique (label, quantity)`);
  } else {
    columns = [
      'id integer primary key',
      'external_id uuid not null',
      'document jsonb',
      'valid_from date',
      'valid_to date',
      'score real',
      'flags bit(4)',
      'note varchar(255)',
      'updated_at timestamp',
    ];
  }
  const parts = [`create table ${t} (${columns.join(', ')})`, ...extra];
  if (comments) {
    parts.push(`comment on table ${t} is ${literal(`Sample table ${table}`)}`);
    parts.push(`comment on column ${t}.id is 'Surrogate key'`);
  }
  return parts.join(';\n');
}

function withDefaults(options: EstateOptions): Required<EstateOptions> {
  return {
    schemas: options.schemas ?? 3,
    tablesPerSchema: options.tablesPerSchema ?? 20,
    viewsPerSchema: options.viewsPerSchema ?? 2,
    materializedViewsPerSchema: options.materializedViewsPerSchema ?? 1,
    partitioned: options.partitioned ?? true,
    foreignTables: options.foreignTables ?? false,
    comments: options.comments ?? true,
    tablesPerBatch: Math.max(1, options.tablesPerBatch ?? 250),
  };
}

function toRunFunction(runner: SqlRunner): (sql: string) => Promise<unknown> {
  if (typeof runner === 'function') return runner;
  // PGlite's query() is single-statement (extended protocol); exec() takes a script.
  if ('exec' in runner) return (sql) => runner.exec(sql);
  return (sql) => runner.query(sql);
}

/** A double-quoted PostgreSQL identifier. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A single-quoted PostgreSQL string literal (standard_conforming_strings is on by default). */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
