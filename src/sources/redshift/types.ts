/**
 * Redshift column types -> OpenMetadata `dataType`. Three spellings reach here:
 * - pg_catalog.format_type() of local tables and views: `character varying(256)`, `numeric(18,2)`,
 *   `timestamp without time zone`, `super`, `hllsketch`, `geometry`, `varbyte(64)`;
 * - pg_get_late_binding_view_cols().col_type: the same spellings;
 * - SVV_EXTERNAL_COLUMNS.external_type of Spectrum tables, in Hive spelling: `string`, `int`,
 *   `decimal(10,2)`, `array<int>`, `struct<a:int>`, `map<string,int>`.
 */
import type { ColumnInfo, OmDataType } from '../common/requests.js';

const BY_NAME: Readonly<Record<string, OmDataType>> = {
  smallint: 'SMALLINT',
  int2: 'SMALLINT',
  integer: 'INT',
  int: 'INT',
  int4: 'INT',
  bigint: 'BIGINT',
  int8: 'BIGINT',
  tinyint: 'TINYINT',
  numeric: 'NUMERIC',
  decimal: 'DECIMAL',
  real: 'FLOAT',
  float4: 'FLOAT',
  float: 'FLOAT',
  'double precision': 'DOUBLE',
  float8: 'DOUBLE',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  bool: 'BOOLEAN',
  character: 'CHAR',
  char: 'CHAR',
  bpchar: 'CHAR',
  '"char"': 'CHAR',
  nchar: 'CHAR',
  'character varying': 'VARCHAR',
  varchar: 'VARCHAR',
  nvarchar: 'VARCHAR',
  name: 'VARCHAR',
  text: 'TEXT',
  string: 'STRING',
  date: 'DATE',
  'time without time zone': 'TIME',
  'time with time zone': 'TIME',
  time: 'TIME',
  timetz: 'TIME',
  'timestamp without time zone': 'TIMESTAMP',
  timestamp: 'TIMESTAMP',
  'timestamp with time zone': 'TIMESTAMPZ',
  timestamptz: 'TIMESTAMPZ',
  interval: 'INTERVAL',
  super: 'SUPER',
  hllsketch: 'HLLSKETCH',
  geometry: 'GEOMETRY',
  geography: 'GEOGRAPHY',
  varbyte: 'VARBINARY',
  varbinary: 'VARBINARY',
  'binary varying': 'VARBINARY',
  binary: 'BINARY',
  bytea: 'BYTEA',
  oid: 'BIGINT',
  json: 'JSON',
  jsonb: 'JSON',
  uuid: 'UUID',
  array: 'ARRAY',
  struct: 'STRUCT',
  map: 'MAP',
};

/** Types OpenMetadata gives a dataLength (from the `(n)` of the spelling). */
const LENGTH_TYPES = new Set<OmDataType>(['CHAR', 'VARCHAR', 'BINARY', 'VARBINARY']);

export interface MappedRedshiftType {
  readonly dataType: OmDataType;
  readonly dataLength?: number;
  readonly precision?: number;
  readonly scale?: number;
  readonly arrayDataType?: OmDataType;
}

/** Maps one type spelling (any of the three forms above). */
export function redshiftType(spelling: string): MappedRedshiftType {
  const s = spelling.trim().toLowerCase();
  // Hive complex types of Spectrum columns: array<int>, struct<...>, map<...>.
  const complex = /^(array|struct|map)\s*<(.*)>$/s.exec(s);
  if (complex) {
    if (complex[1] === 'array') return { dataType: 'ARRAY', arrayDataType: redshiftType(complex[2]!).dataType };
    return { dataType: complex[1] === 'struct' ? 'STRUCT' : 'MAP' };
  }
  // `interval year to month`, `interval day to second`.
  if (s.startsWith('interval')) return { dataType: 'INTERVAL' };
  const match = /^([a-z_" ]+?)\s*(?:\(\s*(\d+)\s*(?:,\s*(-?\d+)\s*)?\))?(\[\])?\s*(with(?:out)? time zone)?$/.exec(s);
  if (!match) return { dataType: 'UNKNOWN' };
  const base = match[5] ? `${match[1]!} ${match[5]}` : match[1]!;
  const dataType = BY_NAME[base] ?? 'UNKNOWN';
  if (match[4]) return { dataType: 'ARRAY', arrayDataType: dataType };
  const first = match[2] === undefined ? undefined : Number(match[2]);
  const second = match[3] === undefined ? undefined : Number(match[3]);
  if (LENGTH_TYPES.has(dataType)) {
    // `"char"` is one byte; CHAR without a length is CHAR(1); Redshift VARCHAR defaults to 256.
    const fallback = base === '"char"' || dataType === 'CHAR' ? 1 : dataType === 'VARCHAR' ? 256 : undefined;
    return { dataType, dataLength: first ?? fallback };
  }
  if (dataType === 'NUMERIC' || dataType === 'DECIMAL') {
    return first === undefined ? { dataType } : { dataType, precision: first, scale: Math.max(second ?? 0, 0) };
  }
  return { dataType };
}

export interface RedshiftColumnInput {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
  readonly ordinalPosition: number;
  readonly description?: string;
}

export function redshiftColumn(input: RedshiftColumnInput): ColumnInfo {
  const mapped = redshiftType(input.type);
  return {
    name: input.name,
    dataTypeDisplay: input.type,
    ...mapped,
    nullable: input.nullable,
    ordinalPosition: input.ordinalPosition,
    description: input.description,
  };
}
