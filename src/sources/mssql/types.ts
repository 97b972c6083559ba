/** SQL Server column types (sys.types names) to OpenMetadata types. */
import type { RowSpec } from '../sql-common/rows.js';
import type { ColumnInfo, OmDataType } from '../common/requests.js';
import { int, yes } from '../sql-common/names.js';

const TYPES: Readonly<Record<string, OmDataType>> = {
  bigint: 'BIGINT',
  int: 'INT',
  smallint: 'SMALLINT',
  tinyint: 'TINYINT',
  bit: 'BOOLEAN',
  decimal: 'DECIMAL',
  numeric: 'NUMERIC',
  money: 'NUMBER',
  smallmoney: 'NUMBER',
  float: 'FLOAT',
  real: 'FLOAT',
  date: 'DATE',
  time: 'TIME',
  datetime: 'DATETIME',
  datetime2: 'DATETIME',
  smalldatetime: 'DATETIME',
  datetimeoffset: 'TIMESTAMPZ',
  char: 'CHAR',
  varchar: 'VARCHAR',
  text: 'TEXT',
  nchar: 'CHAR',
  nvarchar: 'VARCHAR',
  ntext: 'TEXT',
  sysname: 'VARCHAR',
  binary: 'BINARY',
  varbinary: 'VARBINARY',
  image: 'BLOB',
  timestamp: 'BINARY',
  rowversion: 'BINARY',
  uniqueidentifier: 'UUID',
  xml: 'XML',
  json: 'JSON',
  sql_variant: 'VARIANT',
  hierarchyid: 'STRING',
  geography: 'GEOGRAPHY',
  geometry: 'GEOMETRY',
  vector: 'ARRAY',
};

/** `varchar(max)` and friends: OpenMetadata needs a number; this is their 2 GB limit. */
const MAX_LENGTH = 2_147_483_647;
const UNICODE = new Set(['nchar', 'nvarchar', 'sysname']);
const LENGTH_TYPES = new Set(['char', 'varchar', 'nchar', 'nvarchar', 'binary', 'varbinary']);

/** One row of the connector's sys.columns query. */
export type MssqlColumnRow = {
  readonly column_name: string;
  readonly column_id: number;
  /** sys.types name of the column's type (an alias type's own name). */
  readonly type_name: string;
  /** The system type under an alias type; null for CLR types. */
  readonly base_type_name: string | null;
  readonly is_user_defined: boolean | number;
  readonly max_length: number;
  readonly precision: number;
  readonly scale: number;
  readonly is_nullable: boolean | number;
  readonly description: string | null;
};

/** What `MssqlColumnRow` fields may hold, as the driver returns them. */
export const mssqlColumnRowSpec: RowSpec<MssqlColumnRow> = {
  column_name: ['string'],
  column_id: ['number'],
  type_name: ['string'],
  base_type_name: ['string', 'null'],
  is_user_defined: ['boolean', 'number'],
  max_length: ['number'],
  precision: ['number'],
  scale: ['number'],
  is_nullable: ['boolean', 'number'],
  description: ['string', 'null'],
};

export function mssqlDataType(typeName: string): OmDataType {
  return TYPES[typeName.toLowerCase()] ?? 'UNKNOWN';
}

export function mssqlColumn(row: MssqlColumnRow): ColumnInfo {
  const own = row.type_name.toLowerCase();
  const base = yes(row.is_user_defined) && row.base_type_name ? row.base_type_name.toLowerCase() : own;
  const dataType = mssqlDataType(base);
  const bytes = int(row.max_length) ?? 0;
  let length: number | undefined;
  let display = own;
  if (LENGTH_TYPES.has(base)) {
    length = bytes === -1 ? MAX_LENGTH : UNICODE.has(base) ? bytes / 2 : bytes;
    if (own === base) display = `${own}(${bytes === -1 ? 'max' : length})`;
  } else if (base === 'decimal' || base === 'numeric') {
    if (own === base) display = `${own}(${row.precision},${row.scale})`;
  } else if (base === 'vector') {
    display = `vector(${bytes})`;
  }
  const numeric = base === 'decimal' || base === 'numeric';
  return {
    name: row.column_name,
    dataType,
    dataTypeDisplay: display,
    dataLength: length,
    precision: numeric ? int(row.precision) : undefined,
    scale: numeric ? int(row.scale) : undefined,
    arrayDataType: dataType === 'ARRAY' ? 'FLOAT' : undefined,
    nullable: yes(row.is_nullable),
    ordinalPosition: int(row.column_id) ?? 0,
    description: row.description ?? undefined,
  };
}
