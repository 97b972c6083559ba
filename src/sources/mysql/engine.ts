/**
 * MySQL / MariaDB catalogue queries, all on information_schema with bound parameters (names are data,
 * never SQL). OpenMetadata models MySQL as service -> one database (`databaseName`, default `default`)
 * -> schemas, where each MySQL database is a schema. Per service: SCHEMATA, TABLES (names and kinds).
 * Per schema batch, whatever its size: TABLES (comments), COLUMNS, TABLE_CONSTRAINTS, KEY_COLUMN_USAGE,
 * VIEWS when the batch has views, and on MariaDB CHECK_CONSTRAINTS when a column is LONGTEXT (JSON).
 *
 * information_schema compares names case-insensitively, so results are matched to the batch by exact
 * (byte-wise) name: `Orders` and `orders` are two tables.
 */
import { asRow } from '../sql-common/rows.js';
import type { TableConstraintInfo } from '../common/requests.js';
import { compileFilter } from '../common/filters.js';
import type { FilterPattern } from '../../config/filter-pattern.js';
import type { CatalogEngine, ColumnFqn, SchemaRef, TableDetail, TableRef } from '../sql-common/engine.js';
import { byOrdinal, chunked, compareCodePoints, groupBy, text } from '../sql-common/names.js';
import type { MysqlClient, MysqlRow } from './client.js';
import { isConnectionLevel, mysqlConnectionError, mysqlTransientError, type MysqlTarget } from './errors.js';
import { mysqlColumn, mysqlColumnRowSpec, type MysqlColumnRow } from './types.js';

/** Schemas OpenMetadata skips by default: the server's own. Kept when a schema `includes` names one. */
export const SYSTEM_SCHEMAS: readonly string[] = ['information_schema', 'mysql', 'performance_schema', 'sys'];

/** Most names in one IN list; keeps statements small whatever the batch size. */
const IN_LIST = 1000;

/** `MariaDB stores JSON as LONGTEXT CHECK (json_valid(`c`))`; the check clause names the column. */
const JSON_CHECK = /^\s*json_valid\(\s*`((?:[^`]|``)+)`\s*\)\s*$/i;

export interface MysqlEngineProps {
  /** The OpenMetadata database that holds the schemas. @default 'default' */
  readonly databaseName?: string;
  /** Restricts ingestion to this one MySQL database (`databaseSchema`). @default every database */
  readonly databaseSchema?: string;
  /** sourceConfig's schemaFilterPattern: an `includes` entry that matches a system schema keeps it. */
  readonly schemaFilterPattern?: FilterPattern;
  readonly target: MysqlTarget;
  readonly connect: () => MysqlClient;
}

export class MysqlEngine implements CatalogEngine {
  private client?: MysqlClient;
  /** After the first successful query a connection fault is transient (retried), not a config error. */
  private connected = false;
  private readonly systemIncluded: (name: string) => boolean;

  constructor(private readonly props: MysqlEngineProps) {
    const includes = props.schemaFilterPattern?.includes ?? [];
    this.systemIncluded = includes.length > 0 ? compileFilter({ includes, excludes: [] }) : () => false;
  }

  async testConnection(): Promise<void> {
    await this.query('SELECT VERSION() AS version');
  }

  listDatabases(): Promise<readonly string[]> {
    return Promise.resolve([this.props.databaseName || 'default']);
  }

  async listSchemas(): Promise<readonly SchemaRef[]> {
    const only = this.props.databaseSchema;
    const rows = only
      ? await this.query('SELECT SCHEMA_NAME AS schema_name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [
          only,
        ])
      : await this.query('SELECT SCHEMA_NAME AS schema_name FROM information_schema.SCHEMATA');
    const names = rows.map((r) => String(r.schema_name)).filter((s) => !only || s === only);
    return names
      .filter((s) => s === only || !SYSTEM_SCHEMAS.includes(s.toLowerCase()) || this.systemIncluded(s))
      .map((stored) => ({ stored }));
  }

  async listTables(_database: string, schemas: readonly SchemaRef[]): Promise<readonly TableRef[]> {
    const out: TableRef[] = [];
    const wanted = new Set(schemas.map((s) => s.stored));
    for (const part of chunked([...wanted], IN_LIST)) {
      const rows = await this.query(
        'SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, TABLE_TYPE AS table_type FROM information_schema.TABLES WHERE TABLE_SCHEMA IN (?)',
        [part],
      );
      for (const row of rows) {
        const tableType = tableTypeOf(String(row.table_type));
        const schema = String(row.table_schema);
        if (tableType && wanted.has(schema)) out.push({ schema, stored: String(row.table_name), tableType });
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
    const names = [...new Set(tables.map((t) => t.stored))];
    const wanted = new Set(names);
    const mine = (r: MysqlRow) => wanted.has(String(r.table_name));
    const hasViews = tables.some((t) => t.tableType === 'View');
    const infos: MysqlRow[] = [];
    const columns: MysqlRow[] = [];
    const constraints: MysqlRow[] = [];
    const keyColumns: MysqlRow[] = [];
    const views: MysqlRow[] = [];
    for (const part of chunked(names, IN_LIST)) {
      const binds = [schema, part];
      infos.push(
        ...(await this.query(
          'SELECT TABLE_NAME AS table_name, TABLE_TYPE AS table_type, TABLE_COMMENT AS table_comment FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?)',
          binds,
        )),
      );
      columns.push(
        ...(await this.query(
          'SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, ORDINAL_POSITION AS ordinal_position, IS_NULLABLE AS is_nullable, DATA_TYPE AS data_type, COLUMN_TYPE AS column_type, CHARACTER_MAXIMUM_LENGTH AS character_maximum_length, NUMERIC_PRECISION AS numeric_precision, NUMERIC_SCALE AS numeric_scale, COLUMN_COMMENT AS column_comment FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?) ORDER BY TABLE_NAME, ORDINAL_POSITION',
          binds,
        )),
      );
      constraints.push(
        ...(await this.query(
          "SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS constraint_name, CONSTRAINT_TYPE AS constraint_type FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?) AND CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')",
          binds,
        )),
      );
      keyColumns.push(
        ...(await this.query(
          'SELECT TABLE_NAME AS table_name, CONSTRAINT_NAME AS constraint_name, COLUMN_NAME AS column_name, ORDINAL_POSITION AS ordinal_position, REFERENCED_TABLE_SCHEMA AS referenced_table_schema, REFERENCED_TABLE_NAME AS referenced_table_name, REFERENCED_COLUMN_NAME AS referenced_column_name FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?)',
          binds,
        )),
      );
      if (hasViews) {
        views.push(
          ...(await this.query(
            'SELECT TABLE_NAME AS table_name, VIEW_DEFINITION AS view_definition FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN (?)',
            binds,
          )),
        );
      }
    }
    const jsonColumns = columns.some((c) => String(c.data_type).toLowerCase() === 'longtext' && mine(c))
      ? await this.jsonChecks(schema, names)
      : new Set<string>();

    const infoOf = new Map(infos.filter(mine).map((r) => [String(r.table_name), r]));
    const viewOf = new Map(views.filter(mine).map((r) => [String(r.table_name), text(r.view_definition)]));
    const columnsOf = groupBy(columns.filter(mine), (r) => String(r.table_name));
    const constraintsOf = groupBy(constraints.filter(mine), (r) => String(r.table_name));
    const keyColumnsOf = groupBy(
      keyColumns.filter(mine),
      (r) => `${String(r.table_name)}\u0000${String(r.constraint_name)}`,
    );

    const out = new Map<string, TableDetail | Error>();
    for (const table of tables) {
      const rows = columnsOf.get(table.stored);
      const info = infoOf.get(table.stored);
      if (!info) continue;
      const keys = tableConstraints(
        database,
        schema,
        table.stored,
        constraintsOf.get(table.stored) ?? [],
        keyColumnsOf,
        referredColumn,
      );
      if (!rows && table.tableType === 'View') {
        // MySQL / MariaDB list no columns for a view whose base tables are gone (or are not readable).
        const reason = text(info.table_comment);
        out.set(
          table.stored,
          new Error(
            `the view has no readable columns (${reason && reason !== 'VIEW' ? reason : 'a base table was dropped, or the user may not read it'}); fix or drop the view, or grant SELECT on its base tables`,
          ),
        );
        continue;
      }
      out.set(table.stored, {
        description: table.tableType === 'View' ? undefined : text(info.table_comment),
        columns: (rows ?? []).map((r) => {
          const row = asRow<MysqlColumnRow>(r, mysqlColumnRowSpec, 'information_schema.COLUMNS');
          return mysqlColumn(row, jsonColumns.has(`${row.table_name}\u0000${row.column_name}`));
        }),
        constraints: keys,
        viewDefinition: viewOf.get(table.stored),
      });
    }
    return out;
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.close();
  }

  /**
   * MariaDB's JSON columns (`table\0column`), from CHECK_CONSTRAINTS. MySQL 5.7 has no such view and
   * MySQL 8's has no TABLE_NAME; there JSON is a real type, so an error here just means "none".
   */
  private async jsonChecks(schema: string, names: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    for (const part of chunked(names, IN_LIST)) {
      let rows: MysqlRow[];
      try {
        rows = await this.query(
          'SELECT TABLE_NAME AS table_name, CHECK_CLAUSE AS check_clause FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME IN (?)',
          [schema, part],
        );
      } catch (error) {
        if (isStatementError(error)) return out;
        throw error;
      }
      for (const row of rows) {
        const column = JSON_CHECK.exec(String(row.check_clause))?.[1];
        if (column) out.add(`${String(row.table_name)}\u0000${column.replace(/``/g, '`')}`);
      }
    }
    return out;
  }

  private async query(sql: string, params: readonly unknown[] = []): Promise<MysqlRow[]> {
    this.client ??= this.props.connect();
    try {
      const rows = await this.client.query(sql, params);
      this.connected = true;
      return rows;
    } catch (error) {
      if (this.connected && isConnectionLevel(error)) throw mysqlTransientError(error, this.props.target);
      if (isStatementError(error)) throw error;
      throw mysqlConnectionError(error, this.props.target);
    }
  }
}

/** A server error about the statement itself (privileges on a view, a bad column): not a login problem. */
function isStatementError(error: unknown): boolean {
  const e = error as { sqlState?: string; code?: string };
  if (typeof e?.sqlState !== 'string') return false;
  return ![
    'ER_ACCESS_DENIED_ERROR',
    'ER_ACCESS_DENIED_NO_PASSWORD_ERROR',
    'ER_BAD_DB_ERROR',
    'ER_DBACCESS_DENIED_ERROR',
    'ER_HOST_NOT_PRIVILEGED',
    'ER_HOST_IS_BLOCKED',
    'ER_CON_COUNT_ERROR',
  ].includes(e.code ?? '');
}

function tableTypeOf(kind: string): TableRef['tableType'] | undefined {
  switch (kind.toUpperCase()) {
    case 'BASE TABLE':
    case 'SYSTEM VERSIONED':
      return 'Regular';
    case 'VIEW':
    case 'SYSTEM VIEW':
      return 'View';
    case 'TEMPORARY':
    case 'LOCAL TEMPORARY':
      return 'Local';
    default:
      // SEQUENCE (MariaDB) and anything newer: not a table OpenMetadata models.
      return undefined;
  }
}

/** TABLE_CONSTRAINTS + KEY_COLUMN_USAGE rows of one table -> constraints, columns in key order. */
function tableConstraints(
  database: string,
  schema: string,
  table: string,
  constraints: readonly MysqlRow[],
  keyColumnsOf: ReadonlyMap<string, MysqlRow[]>,
  referredColumn: ColumnFqn,
): TableConstraintInfo[] {
  const out: TableConstraintInfo[] = [];
  const sorted = [...constraints].sort(
    (a, b) =>
      order(String(a.constraint_type), String(b.constraint_type)) ||
      compareCodePoints(String(a.constraint_name), String(b.constraint_name)),
  );
  for (const c of sorted) {
    const keyRows = byOrdinal(keyColumnsOf.get(`${table}\u0000${String(c.constraint_name)}`) ?? [], 'ordinal_position');
    if (keyRows.length === 0) continue;
    const kind = String(c.constraint_type).toUpperCase();
    const columns = keyRows.map((r) => String(r.column_name));
    if (kind === 'FOREIGN KEY') {
      out.push({
        constraintType: 'FOREIGN_KEY',
        columns,
        referredColumns: keyRows.map((r) =>
          referredColumn(
            database,
            String(r.referenced_table_schema ?? schema),
            String(r.referenced_table_name),
            String(r.referenced_column_name),
          ),
        ),
      });
    } else out.push({ constraintType: kind === 'PRIMARY KEY' ? 'PRIMARY_KEY' : 'UNIQUE', columns });
  }
  return out;
}

const KIND_ORDER = ['PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY'];

function order(a: string, b: string): number {
  return KIND_ORDER.indexOf(a.toUpperCase()) - KIND_ORDER.indexOf(b.toUpperCase());
}
