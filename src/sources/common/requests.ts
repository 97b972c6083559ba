/**
 * Builders of OpenMetadata Create* request bodies for database sources. Connectors produce neutral
 * TableInfo; these functions shape the JSON with fields present in both OpenMetadata 1.0.4 and current
 * createTable/createDatabase/... schemas, except where the sink's dialect (src/sink/dialect.ts) rewrites
 * a field for the server's version: a view's SQL goes out as `schemaDefinition` (current releases) and
 * becomes `viewDefinition` for 1.0.x.
 */
import { isSecretKey } from '../../config/secrets.js';
import type { UpsertRequest } from '../../model/entities.js';
import { buildFqn } from '../../model/fqn.js';

/** OpenMetadata table.json#/definitions/dataType (1.0.4 enum; the current one is a superset). */
export type OmDataType =
  | 'NUMBER'
  | 'TINYINT'
  | 'SMALLINT'
  | 'INT'
  | 'BIGINT'
  | 'BYTEINT'
  | 'BYTES'
  | 'FLOAT'
  | 'DOUBLE'
  | 'DECIMAL'
  | 'NUMERIC'
  | 'TIMESTAMP'
  | 'TIMESTAMPZ'
  | 'TIME'
  | 'DATE'
  | 'DATETIME'
  | 'INTERVAL'
  | 'STRING'
  | 'MEDIUMTEXT'
  | 'TEXT'
  | 'CHAR'
  | 'LONG'
  | 'VARCHAR'
  | 'BOOLEAN'
  | 'BINARY'
  | 'VARBINARY'
  | 'ARRAY'
  | 'BLOB'
  | 'LONGBLOB'
  | 'MEDIUMBLOB'
  | 'MAP'
  | 'STRUCT'
  | 'UNION'
  | 'SET'
  | 'GEOGRAPHY'
  | 'ENUM'
  | 'JSON'
  | 'UUID'
  | 'VARIANT'
  | 'GEOMETRY'
  | 'BYTEA'
  | 'AGGREGATEFUNCTION'
  | 'ERROR'
  | 'FIXED'
  | 'RECORD'
  | 'NULL'
  | 'SUPER'
  | 'HLLSKETCH'
  | 'PG_LSN'
  | 'PG_SNAPSHOT'
  | 'TSQUERY'
  | 'TXID_SNAPSHOT'
  | 'XML'
  | 'MACADDR'
  | 'TSVECTOR'
  | 'UNKNOWN'
  | 'CIDR'
  | 'INET'
  | 'CLOB'
  | 'ROWID'
  | 'LOWCARDINALITY'
  | 'YEAR'
  | 'POINT'
  | 'POLYGON'
  | 'TUPLE'
  | 'SPATIAL'
  | 'TABLE';

export type OmTableType =
  'Regular' | 'External' | 'View' | 'SecureView' | 'MaterializedView' | 'Iceberg' | 'Local' | 'Partitioned' | 'Foreign';

export interface ColumnInfo {
  readonly name: string;
  readonly dataType: OmDataType;
  /** The engine's own spelling, e.g. `character varying(64)`. */
  readonly dataTypeDisplay: string;
  /** Required by OpenMetadata for CHAR, VARCHAR, BINARY, VARBINARY; 1 when the engine has none. */
  readonly dataLength?: number;
  readonly precision?: number;
  readonly scale?: number;
  /** Element type of an ARRAY column. */
  readonly arrayDataType?: OmDataType;
  readonly nullable: boolean;
  /** Column-level constraint: single-column primary key / unique. */
  readonly constraint?: 'PRIMARY_KEY' | 'UNIQUE';
  readonly ordinalPosition: number;
  readonly description?: string;
}

export interface TableConstraintInfo {
  readonly constraintType: 'UNIQUE' | 'PRIMARY_KEY' | 'FOREIGN_KEY' | 'SORT_KEY' | 'DIST_KEY';
  readonly columns: readonly string[];
  /** For FOREIGN_KEY: fully qualified names of the referred columns. */
  readonly referredColumns?: readonly string[];
}

export interface TableInfo {
  readonly service: string;
  readonly database: string;
  readonly schema: string;
  readonly name: string;
  readonly tableType: OmTableType;
  readonly description?: string;
  readonly columns: readonly ColumnInfo[];
  readonly constraints?: readonly TableConstraintInfo[];
  /** SQL of a view or materialized view (createTable `schemaDefinition`). */
  readonly viewDefinition?: string;
}

/** Types OpenMetadata requires a dataLength for. */
const LENGTH_TYPES = new Set<OmDataType>(['CHAR', 'VARCHAR', 'BINARY', 'VARBINARY']);

/**
 * The service request. `connection` is required by OpenMetadata 1.0.4; it carries the connection config
 * with every secret-like key (and `authType`, which holds the password) removed, so no secret is sent
 * or written to a file sink.
 */
export function databaseServiceRequest(
  service: string,
  serviceType: string,
  connection: Readonly<Record<string, unknown>>,
): UpsertRequest {
  return {
    kind: 'databaseService',
    fqn: buildFqn(service),
    body: { name: service, serviceType, connection: { config: withoutSecrets(connection) } },
  };
}

export function databaseRequest(service: string, database: string, description?: string): UpsertRequest {
  return {
    kind: 'database',
    fqn: buildFqn(service, database),
    body: compact({ name: database, service, description }),
  };
}

export function databaseSchemaRequest(
  service: string,
  database: string,
  schema: string,
  description?: string,
): UpsertRequest {
  return {
    kind: 'databaseSchema',
    fqn: buildFqn(service, database, schema),
    body: compact({ name: schema, database: buildFqn(service, database), description }),
  };
}

export function tableRequest(table: TableInfo): UpsertRequest {
  const columns = table.columns.map((c) =>
    compact({
      name: c.name,
      dataType: c.dataType,
      dataTypeDisplay: c.dataTypeDisplay,
      dataLength: c.dataLength ?? (LENGTH_TYPES.has(c.dataType) ? 1 : undefined),
      precision: c.precision,
      scale: c.scale,
      arrayDataType: c.dataType === 'ARRAY' ? (c.arrayDataType ?? 'UNKNOWN') : undefined,
      constraint: c.constraint ?? (c.nullable ? 'NULL' : 'NOT_NULL'),
      ordinalPosition: c.ordinalPosition,
      description: c.description || undefined,
    }),
  );
  const constraints = (table.constraints ?? []).map((k) =>
    compact({
      constraintType: k.constraintType,
      columns: [...k.columns],
      referredColumns: k.referredColumns && [...k.referredColumns],
    }),
  );
  return {
    kind: 'table',
    fqn: buildFqn(table.service, table.database, table.schema, table.name),
    body: compact({
      name: table.name,
      tableType: table.tableType,
      description: table.description || undefined,
      columns,
      tableConstraints: constraints.length > 0 ? constraints : undefined,
      databaseSchema: buildFqn(table.service, table.database, table.schema),
      schemaDefinition: table.viewDefinition || undefined,
    }),
  };
}

/** The connection config without secrets, `authType` and undefined values. */
export function withoutSecrets(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined || isSecretKey(key) || key === 'authType') continue;
    out[key] = value;
  }
  return out;
}

/**
 * A copy of `body` without the keys whose value is undefined, so request bodies carry no `undefined`
 * fields. A copy rather than `delete` in place: deleting keys turns an object into a slow dictionary,
 * which every later read and JSON.stringify of the body then pays for.
 */
export function compact<T extends Record<string, unknown>>(body: T): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(body)) if (body[key] !== undefined) out[key] = body[key];
  return out as T;
}
