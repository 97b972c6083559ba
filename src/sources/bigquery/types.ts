/**
 * BigQuery schema fields (TableFieldSchema of tables.get) to OpenMetadata columns. Both the legacy
 * names (INTEGER, FLOAT, BOOLEAN, RECORD) and the standard SQL names (INT64, FLOAT64, BOOL, STRUCT)
 * occur. REPEATED fields are ARRAYs of their type; RECORD / STRUCT fields carry their fields as children.
 */
import type { ColumnInfo, OmDataType } from '../common/requests.js';
import { int } from '../sql-common/names.js';

const TYPES: Readonly<Record<string, OmDataType>> = {
  STRING: 'STRING',
  BYTES: 'BYTES',
  INTEGER: 'BIGINT',
  INT64: 'BIGINT',
  FLOAT: 'DOUBLE',
  FLOAT64: 'DOUBLE',
  NUMERIC: 'NUMERIC',
  BIGNUMERIC: 'NUMERIC',
  BOOLEAN: 'BOOLEAN',
  BOOL: 'BOOLEAN',
  TIMESTAMP: 'TIMESTAMP',
  DATE: 'DATE',
  TIME: 'TIME',
  DATETIME: 'DATETIME',
  GEOGRAPHY: 'GEOGRAPHY',
  JSON: 'JSON',
  INTERVAL: 'INTERVAL',
  RANGE: 'STRUCT',
  RECORD: 'STRUCT',
  STRUCT: 'STRUCT',
};

/** The parts of TableFieldSchema the connector reads. */
export interface BigqueryField {
  readonly name: string;
  readonly type: string;
  readonly mode?: string;
  readonly description?: string;
  readonly fields?: readonly BigqueryField[];
  readonly maxLength?: string | number;
  readonly precision?: string | number;
  readonly scale?: string | number;
  readonly rangeElementType?: { readonly type: string };
}

/** A column with its nested fields (RECORD / STRUCT). */
export interface NestedColumn extends ColumnInfo {
  readonly children?: readonly NestedColumn[];
}

export function bigqueryDataType(type: string): OmDataType {
  return TYPES[type.toUpperCase()] ?? 'UNKNOWN';
}

/** Standard SQL spelling of a field's type, e.g. `ARRAY<STRUCT<a STRING, b INT64>>`, `STRING(10)`. */
export function bigqueryTypeDisplay(field: BigqueryField, withMode = true): string {
  const type = field.type.toUpperCase();
  const standard: Record<string, string> = { INTEGER: 'INT64', FLOAT: 'FLOAT64', BOOLEAN: 'BOOL', RECORD: 'STRUCT' };
  let display = standard[type] ?? type;
  if (display === 'STRUCT') {
    display = `STRUCT<${(field.fields ?? []).map((f) => `${f.name} ${bigqueryTypeDisplay(f)}`).join(', ')}>`;
  } else if (display === 'RANGE' && field.rangeElementType) {
    display = `RANGE<${field.rangeElementType.type.toUpperCase()}>`;
  } else if (field.maxLength !== undefined) {
    display = `${display}(${field.maxLength})`;
  } else if (field.precision !== undefined) {
    display = `${display}(${field.precision}${field.scale !== undefined ? `, ${field.scale}` : ''})`;
  }
  return withMode && field.mode?.toUpperCase() === 'REPEATED' ? `ARRAY<${display}>` : display;
}

export function bigqueryColumn(field: BigqueryField, ordinalPosition: number): NestedColumn {
  const repeated = field.mode?.toUpperCase() === 'REPEATED';
  const element = bigqueryDataType(field.type);
  const children = field.fields?.length ? field.fields.map((f, i) => bigqueryColumn(f, i + 1)) : undefined;
  const maxLength = int(field.maxLength);
  return {
    name: field.name,
    dataType: repeated ? 'ARRAY' : element,
    arrayDataType: repeated ? element : undefined,
    dataTypeDisplay: bigqueryTypeDisplay(field),
    dataLength: !repeated && (element === 'STRING' || element === 'BYTES') ? maxLength : undefined,
    precision: element === 'NUMERIC' ? int(field.precision) : undefined,
    scale: element === 'NUMERIC' ? int(field.scale) : undefined,
    // REPEATED fields are never NULL (an empty array instead); REQUIRED ones are NOT NULL.
    nullable: field.mode === undefined || field.mode.toUpperCase() === 'NULLABLE',
    ordinalPosition,
    description: field.description,
    children,
  };
}
