/**
 * Catalogue rows of one relation -> the neutral TableInfo that tableRequest turns into a createTable body.
 * Key constraints follow OpenMetadata's own connectors: a single-column primary key / unique key is the
 * column's `constraint`; multi-column ones, and every foreign key, are `tableConstraints`.
 */
import { buildFqn } from '../../model/fqn.js';
import type { ColumnInfo, TableConstraintInfo, TableInfo } from '../common/requests.js';
import { compareCodePoints } from '../sql-common/names.js';
import { RELKIND_TABLE_TYPE, type ConstraintRow, type RelationRow } from './catalog.js';
import { mapColumnType } from './types.js';

export interface TablePlace {
  readonly service: string;
  readonly database: string;
  readonly schema: string;
}

export function buildTableInfo(place: TablePlace, relation: RelationRow): TableInfo {
  const columns = relation.columns ?? [];
  const constraints = relation.keys ?? [];
  const singleKey = new Map<string, 'PRIMARY_KEY' | 'UNIQUE'>();
  const tableConstraints: TableConstraintInfo[] = [];
  // Primary keys first, so a column that is both the PK and unique is marked PRIMARY_KEY.
  const ordered = [...constraints].sort((a, b) => order(a.type) - order(b.type) || compareCodePoints(a.name, b.name));
  for (const k of ordered) {
    if (k.type === 'f') {
      tableConstraints.push({
        constraintType: 'FOREIGN_KEY',
        columns: k.columns,
        referredColumns: (k.ref_columns ?? []).map((c) =>
          buildFqn(place.service, place.database, k.ref_schema ?? place.schema, k.ref_table ?? '', c),
        ),
      });
      continue;
    }
    const constraintType = k.type === 'p' ? 'PRIMARY_KEY' : 'UNIQUE';
    if (k.columns.length === 1) {
      const column = k.columns[0]!;
      if (!singleKey.has(column)) singleKey.set(column, constraintType);
    } else {
      tableConstraints.push({ constraintType, columns: k.columns });
    }
  }
  const columnInfos: ColumnInfo[] = columns.map((c) => {
    const mapped = mapColumnType(
      {
        typname: c.typname,
        typtype: c.typtype,
        element: c.elem_typname ? { typname: c.elem_typname, typtype: c.elem_typtype ?? 'b' } : undefined,
      },
      c.typmod,
    );
    return {
      name: c.name,
      ...mapped,
      dataTypeDisplay: c.display,
      nullable: !c.not_null,
      constraint: singleKey.get(c.name),
      ordinalPosition: c.position,
      description: c.description ?? undefined,
    };
  });
  return {
    service: place.service,
    database: place.database,
    schema: place.schema,
    name: relation.name,
    tableType: RELKIND_TABLE_TYPE[relation.kind],
    description: relation.description ?? undefined,
    columns: columnInfos,
    constraints: tableConstraints,
    viewDefinition: relation.view_definition ?? undefined,
  };
}

function order(type: ConstraintRow['type']): number {
  return type === 'p' ? 0 : type === 'u' ? 1 : 2;
}
