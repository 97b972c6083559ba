/**
 * MySQL / MariaDB column types -> OpenMetadata `dataType`, following OpenMetadata's own column type
 * parser where it has an opinion (BIT -> INT, LONGTEXT -> TEXT, MEDIUMINT -> INT). Input is one row of
 * information_schema.COLUMNS: DATA_TYPE is the bare lower-case type name (`varchar`, `enum`), COLUMN_TYPE
 * the full spelling shown to users (`varchar(64)`, `int(10) unsigned`, `enum('a','b')`).
 */
import type { RowSpec } from '../sql-common/rows.js';
import type { ColumnInfo, OmDataType } from '../common/requests.js';
import { int, text } from '../sql-common/names.js';

const TYPES: Readonly<Record<string, OmDataType>> = {
  tinyint: 'TINYINT',
  smallint: 'SMALLINT',
  mediumint: 'INT',
  int: 'INT',
  integer: 'INT',
  bigint: 'BIGINT',
  decimal: 'DECIMAL',
  numeric: 'DECIMAL',
  dec: 'DECIMAL',
  fixed: 'DECIMAL',
  float: 'FLOAT',
  double: 'DOUBLE',
  'double precision': 'DOUBLE',
  real: 'DOUBLE',
  bit: 'INT',
  bool: 'BOOLEAN',
  boolean: 'BOOLEAN',
  char: 'CHAR',
  varchar: 'VARCHAR',
  tinytext: 'TEXT',
  text: 'TEXT',
  mediumtext: 'MEDIUMTEXT',
  longtext: 'TEXT',
  binary: 'BINARY',
  varbinary: 'VARBINARY',
  tinyblob: 'BLOB',
  blob: 'BLOB',
  mediumblob: 'MEDIUMBLOB',
  longblob: 'LONGBLOB',
  enum: 'ENUM',
  set: 'SET',
  json: 'JSON',
  date: 'DATE',
  time: 'TIME',
  datetime: 'DATETIME',
  timestamp: 'TIMESTAMP',
  year: 'YEAR',
  geometry: 'GEOMETRY',
  point: 'POINT',
  linestring: 'GEOMETRY',
  polygon: 'POLYGON',
  multipoint: 'GEOMETRY',
  multilinestring: 'GEOMETRY',
  multipolygon: 'GEOMETRY',
  geometrycollection: 'GEOMETRY',
  geomcollection: 'GEOMETRY',
  // MariaDB 10.7+ / 10.10+ types.
  uuid: 'UUID',
  inet4: 'INET',
  inet6: 'INET',
};

/** Types whose CHARACTER_MAXIMUM_LENGTH OpenMetadata wants as dataLength. */
const LENGTH_TYPES = new Set<OmDataType>(['CHAR', 'VARCHAR', 'BINARY', 'VARBINARY']);

/** One row of information_schema.COLUMNS, as engine.ts selects it (lower-case aliases). */
export type MysqlColumnRow = {
  readonly table_name: string;
  readonly column_name: string;
  readonly ordinal_position: unknown;
  readonly is_nullable: string;
  readonly data_type: string;
  readonly column_type: string;
  readonly character_maximum_length: unknown;
  readonly numeric_precision: unknown;
  readonly numeric_scale: unknown;
  readonly column_comment: string | null;
};

/** What `MysqlColumnRow` fields may hold, as the driver returns them. */
export const mysqlColumnRowSpec: RowSpec<MysqlColumnRow> = {
  table_name: ['string'],
  column_name: ['string'],
  ordinal_position: ['unknown'],
  is_nullable: ['string'],
  data_type: ['string'],
  column_type: ['string'],
  character_maximum_length: ['unknown'],
  numeric_precision: ['unknown'],
  numeric_scale: ['unknown'],
  column_comment: ['string', 'null'],
};

/** OpenMetadata dataType of a DATA_TYPE; UNKNOWN for a type this table does not know. */
export function mysqlDataType(dataType: string): OmDataType {
  return TYPES[dataType.trim().toLowerCase()] ?? 'UNKNOWN';
}

/**
 * Maps a column. `json` is set for a MariaDB JSON column: MariaDB stores JSON as LONGTEXT with a
 * `json_valid()` check, so DATA_TYPE alone says `longtext`.
 */
export function mysqlColumn(row: MysqlColumnRow, json = false): ColumnInfo {
  const dataType = json ? 'JSON' : mysqlDataType(row.data_type);
  const length = LENGTH_TYPES.has(dataType) ? int(row.character_maximum_length) : undefined;
  const decimal = dataType === 'DECIMAL';
  return {
    name: row.column_name,
    dataType,
    dataTypeDisplay: json ? 'json' : row.column_type || row.data_type,
    // OpenMetadata requires a length for these; `char(0)` and `binary(0)` are legal in MySQL.
    dataLength: length === undefined ? undefined : Math.max(length, 1),
    precision: decimal ? int(row.numeric_precision) : undefined,
    scale: decimal ? int(row.numeric_scale) : undefined,
    nullable: String(row.is_nullable).toUpperCase() !== 'NO',
    ordinalPosition: int(row.ordinal_position) ?? 0,
    description: text(row.column_comment),
  };
}
