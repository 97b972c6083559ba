/**
 * Snowflake column types (as INFORMATION_SCHEMA.COLUMNS.DATA_TYPE reports them: synonyms such as
 * VARCHAR, INT or DATETIME are already normalised to TEXT, NUMBER, TIMESTAMP_NTZ) to OpenMetadata types.
 */
import type { RowSpec } from '../sql-common/rows.js';
import type { ColumnInfo, OmDataType } from '../common/requests.js';
import { int } from '../sql-common/names.js';

const TYPES: Readonly<Record<string, OmDataType>> = {
  NUMBER: 'NUMBER',
  DECIMAL: 'DECIMAL',
  NUMERIC: 'NUMERIC',
  INT: 'INT',
  INTEGER: 'INT',
  BIGINT: 'BIGINT',
  SMALLINT: 'SMALLINT',
  TINYINT: 'TINYINT',
  BYTEINT: 'BYTEINT',
  FLOAT: 'FLOAT',
  FLOAT4: 'FLOAT',
  FLOAT8: 'DOUBLE',
  DOUBLE: 'DOUBLE',
  'DOUBLE PRECISION': 'DOUBLE',
  REAL: 'DOUBLE',
  TEXT: 'VARCHAR',
  VARCHAR: 'VARCHAR',
  STRING: 'VARCHAR',
  CHAR: 'CHAR',
  CHARACTER: 'CHAR',
  BINARY: 'BINARY',
  VARBINARY: 'VARBINARY',
  BOOLEAN: 'BOOLEAN',
  DATE: 'DATE',
  TIME: 'TIME',
  DATETIME: 'DATETIME',
  TIMESTAMP: 'TIMESTAMP',
  TIMESTAMP_NTZ: 'TIMESTAMP',
  TIMESTAMP_LTZ: 'TIMESTAMPZ',
  TIMESTAMP_TZ: 'TIMESTAMPZ',
  VARIANT: 'VARIANT',
  OBJECT: 'JSON',
  MAP: 'MAP',
  ARRAY: 'ARRAY',
  VECTOR: 'ARRAY',
  GEOGRAPHY: 'GEOGRAPHY',
  GEOMETRY: 'GEOMETRY',
  FILE: 'STRUCT',
};

/** One row of INFORMATION_SCHEMA.COLUMNS (the columns the connector selects). */
export type SnowflakeColumnRow = {
  readonly COLUMN_NAME: string;
  readonly ORDINAL_POSITION: number | string;
  readonly IS_NULLABLE: string;
  readonly DATA_TYPE: string;
  readonly CHARACTER_MAXIMUM_LENGTH?: number | string | null;
  readonly NUMERIC_PRECISION?: number | string | null;
  readonly NUMERIC_SCALE?: number | string | null;
  readonly DATETIME_PRECISION?: number | string | null;
  readonly COMMENT?: string | null;
};

/** What `SnowflakeColumnRow` fields may hold, as the driver returns them. */
export const snowflakeColumnRowSpec: RowSpec<SnowflakeColumnRow> = {
  COLUMN_NAME: ['string'],
  ORDINAL_POSITION: ['number', 'string'],
  IS_NULLABLE: ['string'],
  DATA_TYPE: ['string'],
  CHARACTER_MAXIMUM_LENGTH: ['number', 'string', 'null', 'undefined'],
  NUMERIC_PRECISION: ['number', 'string', 'null', 'undefined'],
  NUMERIC_SCALE: ['number', 'string', 'null', 'undefined'],
  DATETIME_PRECISION: ['number', 'string', 'null', 'undefined'],
  COMMENT: ['string', 'null', 'undefined'],
};

export function snowflakeDataType(dataType: string): OmDataType {
  // Structured types are reported with their element types, e.g. `ARRAY(NUMBER(38,0))`.
  const base = dataType
    .trim()
    .toUpperCase()
    .replace(/\s*\(.*$/s, '');
  return TYPES[base] ?? 'UNKNOWN';
}

/** The column as OpenMetadata sees it; `name` is the display name chosen by the caller. */
export function snowflakeColumn(row: SnowflakeColumnRow, name: string): ColumnInfo {
  const raw = row.DATA_TYPE.trim().toUpperCase();
  const dataType = snowflakeDataType(raw);
  const length = int(row.CHARACTER_MAXIMUM_LENGTH);
  const precision = int(row.NUMERIC_PRECISION);
  const scale = int(row.NUMERIC_SCALE);
  const timePrecision = int(row.DATETIME_PRECISION);
  let display = raw;
  if (raw.includes('(')) display = raw;
  else if (length !== undefined && ['VARCHAR', 'CHAR', 'BINARY', 'VARBINARY'].includes(dataType)) {
    display = `${raw === 'TEXT' ? 'VARCHAR' : raw}(${length})`;
  } else if (precision !== undefined && dataType === 'NUMBER') display = `NUMBER(${precision},${scale ?? 0})`;
  else if (timePrecision !== undefined && (dataType.startsWith('TIMESTAMP') || dataType === 'TIME')) {
    display = `${raw}(${timePrecision})`;
  }
  return {
    name,
    dataType,
    dataTypeDisplay: display,
    dataLength: length,
    precision: dataType === 'NUMBER' || dataType === 'DECIMAL' || dataType === 'NUMERIC' ? precision : undefined,
    scale: dataType === 'NUMBER' || dataType === 'DECIMAL' || dataType === 'NUMERIC' ? scale : undefined,
    arrayDataType: dataType === 'ARRAY' ? arrayElement(raw) : undefined,
    nullable: row.IS_NULLABLE.toUpperCase() !== 'NO',
    ordinalPosition: int(row.ORDINAL_POSITION) ?? 0,
    description: row.COMMENT ?? undefined,
  };
}

/** `ARRAY(NUMBER(38,0))` -> NUMBER; a semi-structured ARRAY holds VARIANTs. */
function arrayElement(raw: string): OmDataType {
  const inner = /^(?:ARRAY|VECTOR)\s*\(\s*([A-Z_ ]+)/.exec(raw)?.[1];
  if (raw.startsWith('VECTOR')) return inner?.trim() === 'INT' ? 'INT' : 'FLOAT';
  return inner ? snowflakeDataType(inner) : 'VARIANT';
}
