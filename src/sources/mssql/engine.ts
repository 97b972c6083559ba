/**
 * SQL Server catalogue queries, all on sys.* views through three-part names (`[db].sys.objects`), so
 * one pool reaches every database of the instance. Per database: sys.schemas, sys.objects. Per schema
 * batch: objects (descriptions, view definitions), columns, key constraints, foreign keys: four
 * queries whatever the batch size. Schema and table names are bound parameters (`@schema`, `@t0`...);
 * the database name is quoted as `[name]` with `]` doubled.
 */
import { asRow } from '../sql-common/rows.js';
import type { TableConstraintInfo } from '../common/requests.js';
import { LazyClient } from '../sql-common/lazy-client.js';
import type { CatalogEngine, ColumnFqn, SchemaRef, TableDetail, TableRef } from '../sql-common/engine.js';
import { byOrdinal, chunked, groupBy, quoteBracket, text } from '../sql-common/names.js';
import type { MssqlClient, MssqlRow } from './client.js';
import type { MssqlConnection } from '../../config/connections/mssql.js';
import { mssqlSourceError } from './errors.js';
import { mssqlColumn, mssqlColumnRowSpec, type MssqlColumnRow } from './types.js';

/** SQL Server allows 2,100 parameters per request. */
const IN_LIST = 1000;

export class MssqlEngine implements CatalogEngine {
  private readonly client: LazyClient<Readonly<Record<string, string>>>;

  constructor(
    private readonly connection: MssqlConnection,
    connect: () => Promise<MssqlClient>,
  ) {
    this.client = new LazyClient(connect, (error) => mssqlSourceError(error, connection));
  }

  async testConnection(): Promise<void> {
    await this.client.query('SELECT @@VERSION AS version');
  }

  async listDatabases(): Promise<readonly string[]> {
    if (!this.connection.ingestAllDatabases) return [this.connection.database];
    // database_id 1-4 are master, tempdb, model and msdb.
    const rows = await this.client.query(
      "SELECT name FROM sys.databases WHERE database_id > 4 AND state_desc = 'ONLINE' AND HAS_DBACCESS(name) = 1 ORDER BY name",
    );
    return rows.map((r) => String(r.name));
  }

  async listSchemas(database: string): Promise<readonly SchemaRef[]> {
    const db = quoteBracket(database);
    // Fixed database-role schemas (db_owner, ...) have ids from 16384.
    const rows = await this.client.query(
      `SELECT s.name AS schema_name, CAST(ep.value AS nvarchar(max)) AS description FROM ${db}.sys.schemas AS s LEFT JOIN ${db}.sys.extended_properties AS ep ON ep.class = 3 AND ep.major_id = s.schema_id AND ep.minor_id = 0 AND ep.name = N'MS_Description' WHERE s.schema_id < 16384 AND s.name NOT IN (N'sys', N'INFORMATION_SCHEMA', N'guest') ORDER BY s.name`,
    );
    return rows.map((r) => ({ stored: String(r.schema_name), description: text(r.description) }));
  }

  async listTables(database: string): Promise<readonly TableRef[]> {
    const db = quoteBracket(database);
    const rows = await this.client.query(
      `SELECT s.name AS schema_name, o.name AS table_name, o.type AS object_type FROM ${db}.sys.objects AS o JOIN ${db}.sys.schemas AS s ON s.schema_id = o.schema_id WHERE o.type IN ('U', 'V') AND o.is_ms_shipped = 0 ORDER BY s.name, o.name`,
    );
    return rows.map((r) => ({
      schema: String(r.schema_name),
      stored: String(r.table_name),
      tableType: String(r.object_type).trim() === 'V' ? 'View' : 'Regular',
    }));
  }

  async describeTables(
    database: string,
    schema: string,
    tables: readonly TableRef[],
    referredColumn: ColumnFqn,
  ): Promise<ReadonlyMap<string, TableDetail | Error>> {
    const db = quoteBracket(database);
    const objects: MssqlRow[] = [];
    const columns: MssqlRow[] = [];
    const keys: MssqlRow[] = [];
    const foreign: MssqlRow[] = [];
    for (const part of chunked(
      tables.map((t) => t.stored),
      IN_LIST,
    )) {
      const params: Record<string, string> = { schema };
      part.forEach((name, i) => (params[`t${i}`] = name));
      const names = part.map((_, i) => `@t${i}`).join(', ');
      const scope = `s.name = @schema AND o.name IN (${names})`;
      objects.push(
        ...(await this.client.query(
          `SELECT o.name AS table_name, CAST(ep.value AS nvarchar(max)) AS description, m.definition AS view_definition FROM ${db}.sys.objects AS o JOIN ${db}.sys.schemas AS s ON s.schema_id = o.schema_id LEFT JOIN ${db}.sys.extended_properties AS ep ON ep.class = 1 AND ep.major_id = o.object_id AND ep.minor_id = 0 AND ep.name = N'MS_Description' LEFT JOIN ${db}.sys.sql_modules AS m ON m.object_id = o.object_id WHERE ${scope} AND o.type IN ('U', 'V')`,
          params,
        )),
      );
      columns.push(
        ...(await this.client.query(
          `SELECT o.name AS table_name, c.name AS column_name, c.column_id, t.name AS type_name, bt.name AS base_type_name, t.is_user_defined, c.max_length, c.precision, c.scale, c.is_nullable, CAST(ep.value AS nvarchar(max)) AS description FROM ${db}.sys.columns AS c JOIN ${db}.sys.objects AS o ON o.object_id = c.object_id JOIN ${db}.sys.schemas AS s ON s.schema_id = o.schema_id JOIN ${db}.sys.types AS t ON t.user_type_id = c.user_type_id LEFT JOIN ${db}.sys.types AS bt ON bt.user_type_id = c.system_type_id LEFT JOIN ${db}.sys.extended_properties AS ep ON ep.class = 1 AND ep.major_id = c.object_id AND ep.minor_id = c.column_id AND ep.name = N'MS_Description' WHERE ${scope} ORDER BY o.name, c.column_id`,
          params,
        )),
      );
      keys.push(
        ...(await this.client.query(
          `SELECT o.name AS table_name, kc.name AS constraint_name, kc.type AS constraint_type, c.name AS column_name, ic.key_ordinal FROM ${db}.sys.key_constraints AS kc JOIN ${db}.sys.objects AS o ON o.object_id = kc.parent_object_id JOIN ${db}.sys.schemas AS s ON s.schema_id = o.schema_id JOIN ${db}.sys.index_columns AS ic ON ic.object_id = kc.parent_object_id AND ic.index_id = kc.unique_index_id JOIN ${db}.sys.columns AS c ON c.object_id = ic.object_id AND c.column_id = ic.column_id WHERE ${scope} ORDER BY o.name, kc.name, ic.key_ordinal`,
          params,
        )),
      );
      foreign.push(
        ...(await this.client.query(
          `SELECT o.name AS table_name, fk.name AS constraint_name, fkc.constraint_column_id, pc.name AS column_name, rs.name AS referred_schema, ro.name AS referred_table, rc.name AS referred_column FROM ${db}.sys.foreign_keys AS fk JOIN ${db}.sys.objects AS o ON o.object_id = fk.parent_object_id JOIN ${db}.sys.schemas AS s ON s.schema_id = o.schema_id JOIN ${db}.sys.foreign_key_columns AS fkc ON fkc.constraint_object_id = fk.object_id JOIN ${db}.sys.columns AS pc ON pc.object_id = fkc.parent_object_id AND pc.column_id = fkc.parent_column_id JOIN ${db}.sys.objects AS ro ON ro.object_id = fkc.referenced_object_id JOIN ${db}.sys.schemas AS rs ON rs.schema_id = ro.schema_id JOIN ${db}.sys.columns AS rc ON rc.object_id = fkc.referenced_object_id AND rc.column_id = fkc.referenced_column_id WHERE ${scope} ORDER BY o.name, fk.name, fkc.constraint_column_id`,
          params,
        )),
      );
    }

    const objectOf = new Map(objects.map((r) => [String(r.table_name), r]));
    const columnsOf = groupBy(columns, (r) => String(r.table_name));
    const keysOf = groupBy(keys, (r) => String(r.table_name));
    const foreignOf = groupBy(foreign, (r) => String(r.table_name));
    const out = new Map<string, TableDetail | Error>();
    for (const table of tables) {
      const rows = columnsOf.get(table.stored);
      const object = objectOf.get(table.stored);
      if (!rows || !object) continue;
      const constraints: TableConstraintInfo[] = [
        ...[...groupBy(keysOf.get(table.stored) ?? [], (r) => String(r.constraint_name)).values()].map(
          (group): TableConstraintInfo => ({
            constraintType: String(group[0]!.constraint_type).trim() === 'PK' ? 'PRIMARY_KEY' : 'UNIQUE',
            columns: byOrdinal(group, 'key_ordinal').map((r) => String(r.column_name)),
          }),
        ),
        ...[...groupBy(foreignOf.get(table.stored) ?? [], (r) => String(r.constraint_name)).values()].map(
          (group): TableConstraintInfo => {
            const ordered = byOrdinal(group, 'constraint_column_id');
            return {
              constraintType: 'FOREIGN_KEY',
              columns: ordered.map((r) => String(r.column_name)),
              referredColumns: ordered.map((r) =>
                referredColumn(
                  database,
                  String(r.referred_schema),
                  String(r.referred_table),
                  String(r.referred_column),
                ),
              ),
            };
          },
        ),
      ];
      out.set(table.stored, {
        description: text(object.description),
        columns: rows.map((r) => mssqlColumn(asRow<MssqlColumnRow>(r, mssqlColumnRowSpec, 'sys.columns'))),
        constraints,
        viewDefinition: text(object.view_definition),
      });
    }
    return out;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
