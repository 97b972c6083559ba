/**
 * Redshift catalogue logic over the query seam (client.ts) and the statements of queries.ts. Per
 * database: schemas (local + external), tables (pg_class + SVV_EXTERNAL_TABLES, materialized views from
 * SVV_MV_INFO). Per schema batch, whatever its size: details, columns, constraints, and only when the
 * batch has such tables, late-binding view columns, DISTKEY / SORTKEY and external columns: at most six
 * statements. Every name is a bound `$n` parameter.
 */
import type { TableConstraintInfo } from '../common/requests.js';
import type { CatalogEngine, ColumnFqn, SchemaRef, TableDetail, TableRef } from '../sql-common/engine.js';
import { chunked, groupBy, int, text, yes } from '../sql-common/names.js';
import type { RedshiftClient, RedshiftRow } from './client.js';
import { parseConstraintColumns } from './constraint-def.js';
import {
  isConnectionLevel,
  isStatementError,
  redshiftConnectionError,
  redshiftTransientError,
  type RedshiftTarget,
} from './errors.js';
import {
  columnsStatement,
  constraintsStatement,
  databasesStatement,
  distSortKeysStatement,
  externalColumnsStatement,
  externalSchemasStatement,
  externalTablesStatement,
  lateBindingViewColumnsStatement,
  materializedViewsStatement,
  schemasStatement,
  tableDetailsStatement,
  tablesStatement,
  versionStatement,
  type Statement,
} from './queries.js';
import { redshiftColumn } from './types.js';

/** Most names in one IN list (Redshift allows 32,767 bind parameters; smaller keeps plans cheap). */
const IN_LIST = 1000;

/** Materialized views keep their rows in internal tables named `mv_tbl__<view>__<n>`. */
const MV_INTERNAL_TABLE = /^mv_tbl__.+__\d+$/;

export interface RedshiftEngineProps {
  /** The database to connect to first (and the only one without ingestAllDatabases). */
  readonly database: string;
  readonly ingestAllDatabases: boolean;
  readonly target: RedshiftTarget;
  readonly connect: () => RedshiftClient;
}

export class RedshiftEngine implements CatalogEngine {
  private client?: RedshiftClient;
  /** Databases with one successful statement: a later connection fault there is transient. */
  private readonly connected = new Set<string>();

  constructor(private readonly props: RedshiftEngineProps) {}

  async testConnection(): Promise<void> {
    await this.query(this.props.database, versionStatement);
  }

  async listDatabases(): Promise<readonly string[]> {
    if (!this.props.ingestAllDatabases) return [this.props.database];
    const rows = await this.query(this.props.database, databasesStatement);
    return rows.map((r) => String(r.datname));
  }

  async listSchemas(database: string): Promise<readonly SchemaRef[]> {
    const local = await this.query(database, schemasStatement);
    const external = await this.query(database, externalSchemasStatement);
    const names = new Set([...local, ...external].map((r) => String(r.schema_name)));
    return [...names].map((stored) => ({ stored }));
  }

  async listTables(database: string, schemas: readonly SchemaRef[]): Promise<readonly TableRef[]> {
    const out: TableRef[] = [];
    for (const part of chunked(
      schemas.map((s) => s.stored),
      IN_LIST,
    )) {
      const local = await this.query(database, tablesStatement(part.length), part);
      const materialized = await this.query(database, materializedViewsStatement(part.length), part);
      const external = await this.query(database, externalTablesStatement(part.length), part);
      const isMv = new Set(materialized.map((r) => `${String(r.schema_name)}\u0000${String(r.name)}`));
      for (const row of local) {
        const schema = String(row.schema_name);
        const name = String(row.table_name);
        const mv = isMv.has(`${schema}\u0000${name}`) || row.relkind === 'm';
        if (!mv && MV_INTERNAL_TABLE.test(name)) continue;
        out.push({ schema, stored: name, tableType: mv ? 'MaterializedView' : relkindType(String(row.relkind)) });
      }
      for (const row of external) {
        out.push({ schema: String(row.schema_name), stored: String(row.table_name), tableType: 'External' });
      }
    }
    return out;
  }

  async describeTables(
    database: string,
    schema: string,
    tables: readonly TableRef[],
    referredColumn: ColumnFqn,
  ): Promise<ReadonlyMap<string, TableDetail | Error>> {
    const local = tables.filter((t) => t.tableType !== 'External').map((t) => t.stored);
    const views = tables.filter((t) => t.tableType === 'View').map((t) => t.stored);
    const regular = tables.filter((t) => t.tableType === 'Regular').map((t) => t.stored);
    const external = tables.filter((t) => t.tableType === 'External').map((t) => t.stored);
    const run = async (names: readonly string[], statement: (n: number) => Statement) => {
      const rows: RedshiftRow[] = [];
      for (const part of chunked(names, IN_LIST)) {
        rows.push(...(await this.query(database, statement(part.length), [schema, ...part])));
      }
      return rows;
    };
    const details = await run(local, tableDetailsStatement);
    const columns = await run(local, columnsStatement);
    const constraints = await run(regular, constraintsStatement);
    const lateBinding = await run(views, lateBindingViewColumnsStatement);
    const distSort = await run(regular, distSortKeysStatement);
    const externalColumns = await run(external, externalColumnsStatement);

    const detailOf = new Map(details.map((r) => [String(r.table_name), r]));
    const columnsOf = groupBy(columns, (r) => String(r.table_name));
    const lateOf = groupBy(lateBinding, (r) => String(r.view_name));
    const externalOf = groupBy(externalColumns, (r) => String(r.table_name));
    const constraintsOf = groupBy(constraints, (r) => String(r.table_name));
    const distSortOf = groupBy(distSort, (r) => String(r.table_name));

    const out = new Map<string, TableDetail | Error>();
    for (const table of tables) {
      if (table.tableType === 'External') {
        const rows = externalOf.get(table.stored);
        if (rows) out.set(table.stored, { columns: rows.map(externalColumn) });
        continue;
      }
      const detail = detailOf.get(table.stored);
      if (!detail) continue;
      // A late-binding view's columns live outside pg_attribute; when listed, they are the truth.
      const late = lateOf.get(table.stored);
      const keys = [
        ...keyConstraints(database, schema, constraintsOf.get(table.stored) ?? [], referredColumn),
        ...distSortConstraints(distSortOf.get(table.stored) ?? []),
      ];
      const cols = late ? late.map(lateBindingColumn) : (columnsOf.get(table.stored) ?? []).map(localColumn);
      out.set(table.stored, {
        description: text(detail.description),
        columns: cols,
        constraints: keys,
        viewDefinition: text(detail.view_definition),
      });
    }
    return out;
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.close();
  }

  private async query(database: string, statement: Statement, params: readonly unknown[] = []): Promise<RedshiftRow[]> {
    this.client ??= this.props.connect();
    try {
      const rows = await this.client.query(database, statement, params);
      this.connected.add(database);
      return rows;
    } catch (error) {
      if (this.connected.has(database)) {
        if (isConnectionLevel(error)) throw redshiftTransientError(error, this.props.target, database);
        if (isStatementError(error)) throw error;
      }
      throw redshiftConnectionError(error, this.props.target, database);
    }
  }
}

function relkindType(relkind: string): TableRef['tableType'] {
  switch (relkind) {
    case 'v':
      return 'View';
    case 'm':
      return 'MaterializedView';
    case 'p':
      return 'Partitioned';
    case 'f':
      return 'Foreign';
    default:
      return 'Regular';
  }
}

function localColumn(row: RedshiftRow) {
  return redshiftColumn({
    name: String(row.column_name),
    type: String(row.data_type),
    nullable: !yes(row.not_null),
    ordinalPosition: int(row.ordinal) ?? 0,
    description: text(row.description),
  });
}

function lateBindingColumn(row: RedshiftRow) {
  return redshiftColumn({
    name: String(row.col_name),
    type: String(row.col_type),
    nullable: true,
    ordinalPosition: int(row.col_num) ?? 0,
  });
}

function externalColumn(row: RedshiftRow) {
  const partition = (int(row.part_key) ?? 0) > 0;
  return redshiftColumn({
    name: String(row.column_name),
    type: String(row.external_type),
    nullable: row.is_nullable === null || row.is_nullable === undefined ? true : yes(row.is_nullable),
    ordinalPosition: int(row.columnnum) ?? 0,
    description: partition ? `partition key ${int(row.part_key)}` : undefined,
  });
}

/** pg_constraint rows of one table -> PRIMARY_KEY / UNIQUE / FOREIGN_KEY, in a stable order. */
function keyConstraints(
  database: string,
  schema: string,
  rows: readonly RedshiftRow[],
  referredColumn: ColumnFqn,
): TableConstraintInfo[] {
  const rank: Record<string, number> = { p: 0, u: 1, f: 2 };
  const sorted = [...rows].sort(
    (a, b) =>
      (rank[String(a.contype)] ?? 3) - (rank[String(b.contype)] ?? 3) ||
      (String(a.constraint_name) < String(b.constraint_name) ? -1 : 1),
  );
  const out: TableConstraintInfo[] = [];
  for (const row of sorted) {
    const parsed = parseConstraintColumns(String(row.definition));
    if (!parsed || parsed.columns.length === 0) continue;
    if (row.contype === 'f') {
      const table = String(row.referred_table);
      const referredSchema = text(row.referred_schema) ?? schema;
      if (parsed.referred.length !== parsed.columns.length) continue;
      out.push({
        constraintType: 'FOREIGN_KEY',
        columns: parsed.columns,
        referredColumns: parsed.referred.map((c) => referredColumn(database, referredSchema, table, c)),
      });
    } else out.push({ constraintType: row.contype === 'p' ? 'PRIMARY_KEY' : 'UNIQUE', columns: parsed.columns });
  }
  return out;
}

/**
 * DISTKEY (one column) and SORTKEY (compound: attsortkeyord 1, 2, ...; interleaved: -1, -2, ...) as
 * OpenMetadata's DIST_KEY / SORT_KEY table constraints.
 */
function distSortConstraints(rows: readonly RedshiftRow[]): TableConstraintInfo[] {
  const out: TableConstraintInfo[] = [];
  const dist = rows.filter((r) => yes(r.attisdistkey)).map((r) => String(r.column_name));
  if (dist.length > 0) out.push({ constraintType: 'DIST_KEY', columns: dist });
  const sort = rows
    .filter((r) => (int(r.attsortkeyord) ?? 0) !== 0)
    .sort((a, b) => Math.abs(int(a.attsortkeyord)!) - Math.abs(int(b.attsortkeyord)!))
    .map((r) => String(r.column_name));
  if (sort.length > 0) out.push({ constraintType: 'SORT_KEY', columns: sort });
  return out;
}
