/**
 * Snowflake catalogue queries. Per database: SHOW DATABASES (only without `database`),
 * INFORMATION_SCHEMA.SCHEMATA and .TABLES. Per schema batch: INFORMATION_SCHEMA.TABLES (comments),
 * .COLUMNS, .VIEWS (when the batch has views), .TABLE_CONSTRAINTS, and only for the constraint kinds
 * present, SHOW PRIMARY KEYS / SHOW UNIQUE KEYS / SHOW IMPORTED KEYS IN SCHEMA, and SHOW MATERIALIZED
 * VIEWS IN SCHEMA when the batch has one (for its SQL). Names are bound as `?`;
 * database and schema identifiers in FROM / IN clauses are quoted with `"` doubled.
 */
import { asRow } from '../sql-common/rows.js';
import type { OmTableType, TableConstraintInfo } from '../common/requests.js';
import { LazyClient } from '../sql-common/lazy-client.js';
import type { CatalogEngine, ColumnFqn, SchemaRef, TableDetail, TableRef } from '../sql-common/engine.js';
import { byOrdinal, chunked, groupBy, lowerCaseInsensitive, quoteAnsi, text, yes } from '../sql-common/names.js';
import type { SnowflakeClient, SnowflakeRow } from './client.js';
import type { SnowflakeConnection } from '../../config/connections/snowflake.js';
import { snowflakeSourceError } from './errors.js';
import { snowflakeColumn, snowflakeColumnRowSpec, type SnowflakeColumnRow } from './types.js';

/** Most names in one IN list; keeps statements small whatever the batch size. */
const IN_LIST = 1000;

export class SnowflakeEngine implements CatalogEngine {
  private readonly client: LazyClient<readonly string[]>;

  constructor(
    private readonly config: SnowflakeConnection,
    connect: () => Promise<SnowflakeClient>,
  ) {
    this.client = new LazyClient(connect, (error) => snowflakeSourceError(error, config));
  }

  displayName(stored: string): string {
    return lowerCaseInsensitive(stored);
  }

  async testConnection(): Promise<void> {
    await this.client.query('SELECT CURRENT_VERSION() AS VERSION');
  }

  async listDatabases(): Promise<readonly string[]> {
    if (this.config.database) return [this.config.database];
    const rows = await this.client.query('SHOW DATABASES');
    return rows.map((r) => String(r.name));
  }

  async listSchemas(database: string): Promise<readonly SchemaRef[]> {
    const rows = await this.client.query(
      `SELECT SCHEMA_NAME, COMMENT FROM ${quoteAnsi(database)}.INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME <> 'INFORMATION_SCHEMA' ORDER BY SCHEMA_NAME`,
    );
    return rows.map((r) => ({ stored: String(r.SCHEMA_NAME), description: text(r.COMMENT) }));
  }

  async listTables(database: string, schemas: readonly SchemaRef[]): Promise<readonly TableRef[]> {
    const out: TableRef[] = [];
    for (const part of chunked(
      schemas.map((s) => s.stored),
      IN_LIST,
    )) {
      const rows = await this.client.query(
        `SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE, IS_TRANSIENT FROM ${quoteAnsi(database)}.INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA IN (${marks(part)}) ORDER BY TABLE_SCHEMA, TABLE_NAME`,
        part,
      );
      for (const row of rows) {
        const tableType = this.tableType(row);
        if (tableType) out.push({ schema: String(row.TABLE_SCHEMA), stored: String(row.TABLE_NAME), tableType });
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
    const db = quoteAnsi(database);
    const names = tables.map((t) => t.stored);
    const where = (column: string, part: readonly string[]) =>
      `WHERE TABLE_SCHEMA = ? AND ${column} IN (${marks(part)})`;
    const comments: SnowflakeRow[] = [];
    const columns: SnowflakeRow[] = [];
    const views: SnowflakeRow[] = [];
    const constraintKinds = new Set<string>();
    const hasViews = tables.some(
      (t) => t.tableType !== 'Regular' && t.tableType !== 'External' && t.tableType !== 'Local',
    );
    for (const part of chunked(names, IN_LIST)) {
      const binds = [schema, ...part];
      comments.push(
        ...(await this.client.query(
          `SELECT TABLE_NAME, COMMENT FROM ${db}.INFORMATION_SCHEMA.TABLES ${where('TABLE_NAME', part)}`,
          binds,
        )),
      );
      columns.push(
        ...(await this.client.query(
          `SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, IS_NULLABLE, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, COMMENT FROM ${db}.INFORMATION_SCHEMA.COLUMNS ${where('TABLE_NAME', part)} ORDER BY TABLE_NAME, ORDINAL_POSITION`,
          binds,
        )),
      );
      if (hasViews) {
        views.push(
          ...(await this.client.query(
            `SELECT TABLE_NAME, VIEW_DEFINITION, IS_SECURE FROM ${db}.INFORMATION_SCHEMA.VIEWS ${where('TABLE_NAME', part)}`,
            binds,
          )),
        );
      }
      const kinds = await this.client.query(
        `SELECT DISTINCT CONSTRAINT_TYPE FROM ${db}.INFORMATION_SCHEMA.TABLE_CONSTRAINTS ${where('TABLE_NAME', part)}`,
        binds,
      );
      for (const k of kinds) constraintKinds.add(String(k.CONSTRAINT_TYPE).toUpperCase());
    }

    // SHOW ... IN SCHEMA lists the whole schema; rows of tables outside the batch are ignored.
    const inSchema = `IN SCHEMA ${db}.${quoteAnsi(schema)}`;
    const primary = constraintKinds.has('PRIMARY KEY') ? await this.client.query(`SHOW PRIMARY KEYS ${inSchema}`) : [];
    const unique = constraintKinds.has('UNIQUE') ? await this.client.query(`SHOW UNIQUE KEYS ${inSchema}`) : [];
    const imported = constraintKinds.has('FOREIGN KEY')
      ? await this.client.query(`SHOW IMPORTED KEYS ${inSchema}`)
      : [];
    // Some accounts' INFORMATION_SCHEMA.VIEWS has no row for a materialized view; SHOW MATERIALIZED
    // VIEWS gives its CREATE statement (`text`), used when VIEWS has none.
    const materialized = tables.some((t) => t.tableType === 'MaterializedView')
      ? await this.client.query(`SHOW MATERIALIZED VIEWS ${inSchema}`)
      : [];
    const materializedOf = new Map(materialized.map((r) => [String(r.name), text(r.text)]));

    const commentOf = new Map(comments.map((r) => [String(r.TABLE_NAME), text(r.COMMENT)]));
    const viewOf = new Map(views.map((r) => [String(r.TABLE_NAME), r]));
    const columnsOf = groupBy(columns, (r) => String(r.TABLE_NAME));
    const wanted = new Set(names);
    const keysOf = groupBy(
      (
        [
          ...primary.map((r) => ({ ...r, kind: 'PRIMARY_KEY' })),
          ...unique.map((r) => ({ ...r, kind: 'UNIQUE' })),
        ] as SnowflakeRow[]
      ).filter((r) => wanted.has(String(r.table_name))),
      (r) => String(r.table_name),
    );
    const foreignOf = groupBy(
      imported.filter((r) => wanted.has(String(r.fk_table_name))),
      (r) => String(r.fk_table_name),
    );

    const out = new Map<string, TableDetail | Error>();
    for (const table of tables) {
      const rows = columnsOf.get(table.stored);
      if (!rows) continue;
      const view = viewOf.get(table.stored);
      const constraints = [
        ...keyConstraints(keysOf.get(table.stored) ?? [], (c) => this.displayName(c)),
        ...foreignKeys(foreignOf.get(table.stored) ?? [], (c) => this.displayName(c), referredColumn),
      ];
      out.set(table.stored, {
        description: commentOf.get(table.stored),
        tableType: view && yes(view.IS_SECURE) ? 'SecureView' : undefined,
        columns: rows.map((r) =>
          snowflakeColumn(
            asRow<SnowflakeColumnRow>(r, snowflakeColumnRowSpec, 'INFORMATION_SCHEMA.COLUMNS'),
            this.displayName(String(r.COLUMN_NAME)),
          ),
        ),
        constraints,
        viewDefinition: view ? text(view.VIEW_DEFINITION) : materializedOf.get(table.stored),
      });
    }
    return out;
  }

  close(): Promise<void> {
    return this.client.close();
  }

  private tableType(row: SnowflakeRow): OmTableType | undefined {
    const kind = String(row.TABLE_TYPE).toUpperCase();
    const temporary = kind === 'TEMPORARY TABLE' || kind === 'LOCAL TEMPORARY' || yes(row.IS_TRANSIENT);
    if (temporary && !this.config.includeTempTables) return undefined;
    if (kind === 'VIEW') return 'View';
    if (kind === 'MATERIALIZED VIEW') return 'MaterializedView';
    if (kind === 'EXTERNAL TABLE') return 'External';
    if (kind === 'TEMPORARY TABLE' || kind === 'LOCAL TEMPORARY') return 'Local';
    return 'Regular';
  }
}

function marks(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/** SHOW PRIMARY/UNIQUE KEYS rows of one table -> constraints, columns ordered by key_sequence. */
function keyConstraints(rows: readonly SnowflakeRow[], display: (s: string) => string): TableConstraintInfo[] {
  const byName = groupBy(rows, (r) => `${String(r.kind)}\u0000${String(r.constraint_name)}`);
  return [...byName.values()].map((group) => ({
    constraintType: group[0]!.kind === 'PRIMARY_KEY' ? 'PRIMARY_KEY' : 'UNIQUE',
    columns: byOrdinal(group, 'key_sequence').map((r) => display(String(r.column_name))),
  }));
}

/** SHOW IMPORTED KEYS rows of one table -> FOREIGN_KEY constraints with referred column FQNs. */
function foreignKeys(
  rows: readonly SnowflakeRow[],
  display: (s: string) => string,
  referredColumn: ColumnFqn,
): TableConstraintInfo[] {
  const byName = groupBy(rows, (r) => String(r.fk_name));
  return [...byName.values()].map((group) => {
    const ordered = byOrdinal(group, 'key_sequence');
    return {
      constraintType: 'FOREIGN_KEY',
      columns: ordered.map((r) => display(String(r.fk_column_name))),
      referredColumns: ordered.map((r) =>
        referredColumn(
          String(r.pk_database_name),
          String(r.pk_schema_name),
          String(r.pk_table_name),
          String(r.pk_column_name),
        ),
      ),
    };
  });
}
