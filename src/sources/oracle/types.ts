/** Oracle column types (ALL_TAB_COLUMNS.DATA_TYPE) to OpenMetadata types. */
import type { RowSpec } from '../sql-common/rows.js';
import type { ColumnInfo, OmDataType } from '../common/requests.js';
import { int } from '../sql-common/names.js';

const TYPES: Readonly<Record<string, OmDataType>> = {
  NUMBER: 'NUMBER',
  FLOAT: 'FLOAT',
  BINARY_FLOAT: 'FLOAT',
  BINARY_DOUBLE: 'DOUBLE',
  INTEGER: 'INT',
  VARCHAR2: 'VARCHAR',
  NVARCHAR2: 'VARCHAR',
  VARCHAR: 'VARCHAR',
  CHAR: 'CHAR',
  NCHAR: 'CHAR',
  CLOB: 'CLOB',
  NCLOB: 'CLOB',
  BLOB: 'BLOB',
  BFILE: 'BLOB',
  RAW: 'VARBINARY',
  'LONG RAW': 'BLOB',
  LONG: 'LONG',
  DATE: 'DATE',
  ROWID: 'ROWID',
  UROWID: 'ROWID',
  XMLTYPE: 'XML',
  JSON: 'JSON',
  BOOLEAN: 'BOOLEAN',
  SDO_GEOMETRY: 'GEOMETRY',
  VECTOR: 'ARRAY',
};

/** One row of the connector's ALL_TAB_COLUMNS query. */
export type OracleColumnRow = {
  readonly COLUMN_NAME: string;
  readonly COLUMN_ID: number;
  readonly DATA_TYPE: string;
  readonly DATA_LENGTH: number | null;
  readonly CHAR_LENGTH: number | null;
  readonly CHAR_USED: string | null;
  readonly DATA_PRECISION: number | null;
  readonly DATA_SCALE: number | null;
  readonly NULLABLE: string;
  readonly COMMENTS: string | null;
};

/** What `OracleColumnRow` fields may hold, as the driver returns them. */
export const oracleColumnRowSpec: RowSpec<OracleColumnRow> = {
  COLUMN_NAME: ['string'],
  COLUMN_ID: ['number'],
  DATA_TYPE: ['string'],
  DATA_LENGTH: ['number', 'null'],
  CHAR_LENGTH: ['number', 'null'],
  CHAR_USED: ['string', 'null'],
  DATA_PRECISION: ['number', 'null'],
  DATA_SCALE: ['number', 'null'],
  NULLABLE: ['string'],
  COMMENTS: ['string', 'null'],
};

/** `TIMESTAMP(6) WITH TIME ZONE`, `INTERVAL DAY(2) TO SECOND(6)`: the precision sits inside the name. */
export function oracleDataType(dataType: string): OmDataType {
  const t = dataType.trim().toUpperCase();
  if (t.startsWith('TIMESTAMP')) return /WITH (LOCAL )?TIME ZONE/.test(t) ? 'TIMESTAMPZ' : 'TIMESTAMP';
  if (t.startsWith('INTERVAL')) return 'INTERVAL';
  return TYPES[t.replace(/\(.*\)$/, '')] ?? 'UNKNOWN';
}

export function oracleColumn(row: OracleColumnRow, name: string): ColumnInfo {
  const raw = row.DATA_TYPE.trim().toUpperCase();
  const dataType = oracleDataType(raw);
  const precision = int(row.DATA_PRECISION);
  const scale = int(row.DATA_SCALE);
  const chars = row.CHAR_USED === 'C';
  const length = chars ? int(row.CHAR_LENGTH) : int(row.DATA_LENGTH);
  let display = raw;
  let dataLength: number | undefined;
  if (['VARCHAR', 'CHAR', 'VARBINARY'].includes(dataType) && length !== undefined) {
    dataLength = length;
    display = `${raw}(${length}${chars && !raw.startsWith('N') ? ' CHAR' : ''})`;
  } else if (raw === 'NUMBER' && precision !== undefined) {
    display = `NUMBER(${precision},${scale ?? 0})`;
  } else if (raw === 'FLOAT' && precision !== undefined) {
    display = `FLOAT(${precision})`;
  }
  return {
    name,
    dataType,
    dataTypeDisplay: display,
    dataLength,
    precision: raw === 'NUMBER' || raw === 'FLOAT' ? precision : undefined,
    scale: raw === 'NUMBER' ? scale : undefined,
    arrayDataType: dataType === 'ARRAY' ? 'FLOAT' : undefined,
    nullable: row.NULLABLE !== 'N',
    ordinalPosition: int(row.COLUMN_ID) ?? 0,
    description: row.COMMENTS ?? undefined,
  };
}
