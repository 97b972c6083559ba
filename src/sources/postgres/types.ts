/**
 * PostgreSQL column types -> OpenMetadata `dataType` (the 1.0.4 enum; current servers accept a superset),
 * with the length / precision / scale OpenMetadata wants. Input is what the catalogue gives per column:
 * the type's `typname`, its `typtype` (b base, d domain, e enum, c composite, r/m range), the element
 * type of an array, and the column's `atttypmod`.
 */
import type { OmDataType } from '../common/requests.js';

/** By base `typname` (pg_type), the internal names, not the SQL spellings. */
const BY_TYPNAME: Readonly<Record<string, OmDataType>> = {
  int2: 'SMALLINT',
  int4: 'INT',
  int8: 'BIGINT',
  numeric: 'NUMERIC',
  float4: 'FLOAT',
  float8: 'DOUBLE',
  money: 'NUMBER',
  bool: 'BOOLEAN',
  bpchar: 'CHAR',
  char: 'CHAR',
  varchar: 'VARCHAR',
  name: 'VARCHAR',
  text: 'TEXT',
  citext: 'TEXT',
  date: 'DATE',
  time: 'TIME',
  timetz: 'TIME',
  timestamp: 'TIMESTAMP',
  timestamptz: 'TIMESTAMPZ',
  interval: 'INTERVAL',
  uuid: 'UUID',
  json: 'JSON',
  jsonb: 'JSON',
  bytea: 'BYTEA',
  bit: 'BINARY',
  varbit: 'VARBINARY',
  inet: 'INET',
  cidr: 'CIDR',
  macaddr: 'MACADDR',
  macaddr8: 'MACADDR',
  xml: 'XML',
  tsvector: 'TSVECTOR',
  tsquery: 'TSQUERY',
  pg_lsn: 'PG_LSN',
  pg_snapshot: 'PG_SNAPSHOT',
  txid_snapshot: 'TXID_SNAPSHOT',
  point: 'POINT',
  polygon: 'POLYGON',
  line: 'GEOMETRY',
  lseg: 'GEOMETRY',
  box: 'GEOMETRY',
  path: 'GEOMETRY',
  circle: 'GEOMETRY',
  geometry: 'GEOMETRY',
  geography: 'GEOGRAPHY',
  hstore: 'MAP',
  oid: 'BIGINT',
  xid: 'BIGINT',
  xid8: 'BIGINT',
  cid: 'BIGINT',
  regclass: 'STRING',
  regtype: 'STRING',
  regproc: 'STRING',
  record: 'RECORD',
};

export interface PgTypeRef {
  /** pg_type.typname of the column's type, or of a domain's base type. */
  readonly typname: string;
  /** pg_type.typtype of that type: b, c, d, e, p, r, m. */
  readonly typtype: string;
  /** For arrays: the element type. */
  readonly element?: PgTypeRef;
}

/** OpenMetadata dataType of a (non-array) PostgreSQL type. */
export function scalarDataType(type: PgTypeRef): OmDataType {
  if (type.typtype === 'e') return 'ENUM';
  if (type.typtype === 'c') return 'STRUCT';
  // Ranges (int4range, tstzrange, ...) have no OpenMetadata type; the display type keeps the detail.
  if (type.typtype === 'r' || type.typtype === 'm') return 'UNKNOWN';
  return BY_TYPNAME[type.typname] ?? 'UNKNOWN';
}

export interface MappedType {
  readonly dataType: OmDataType;
  readonly arrayDataType?: OmDataType;
  readonly dataLength?: number;
  readonly precision?: number;
  readonly scale?: number;
}

/**
 * Maps a column. `typmod` is pg_attribute.atttypmod (or a domain's typtypmod): for char/varchar it is
 * the length + 4, for bit/varbit the length, for numeric ((precision << 16) | scale) + 4; -1 when unset.
 */
export function mapColumnType(type: PgTypeRef, typmod: number): MappedType {
  if (type.element) {
    // An array's typmod applies to its elements (varchar(10)[] has typmod 14).
    const element = mapColumnType(type.element, typmod);
    return { dataType: 'ARRAY', arrayDataType: element.dataType };
  }
  const dataType = scalarDataType(type);
  switch (type.typname) {
    case 'bpchar':
    case 'varchar':
      return typmod >= 4 ? { dataType, dataLength: typmod - 4 } : { dataType };
    case 'char': // the one-byte internal "char"
      return { dataType, dataLength: 1 };
    case 'name':
      return { dataType, dataLength: 63 };
    case 'bit':
    case 'varbit':
      return typmod > 0 ? { dataType, dataLength: typmod } : { dataType };
    case 'numeric': {
      if (typmod < 4) return { dataType };
      const packed = typmod - 4;
      const precision = (packed >> 16) & 0xffff;
      // PostgreSQL 15 allows a negative scale (11-bit two's complement); OpenMetadata does not.
      const rawScale = packed & 0x7ff;
      const scale = rawScale & 0x400 ? rawScale - 0x800 : rawScale;
      return scale >= 0 ? { dataType, precision, scale } : { dataType, precision };
    }
    default:
      return { dataType };
  }
}
