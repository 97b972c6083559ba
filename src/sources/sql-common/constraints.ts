import type { ColumnInfo, TableConstraintInfo } from '../common/requests.js';

/** Column-level PRIMARY_KEY / UNIQUE for single-column keys (how OpenMetadata shows them). */
function singleColumnKeys(constraints: readonly TableConstraintInfo[]): Map<string, 'PRIMARY_KEY' | 'UNIQUE'> {
  const out = new Map<string, 'PRIMARY_KEY' | 'UNIQUE'>();
  for (const c of constraints) {
    if (c.columns.length !== 1 || (c.constraintType !== 'PRIMARY_KEY' && c.constraintType !== 'UNIQUE')) continue;
    const column = c.columns[0]!;
    if (out.get(column) !== 'PRIMARY_KEY') out.set(column, c.constraintType);
  }
  return out;
}

/**
 * Places key constraints as OpenMetadata shows them: a single-column PRIMARY KEY / UNIQUE becomes the
 * column's `constraint`; foreign keys, multi-column keys and Redshift's DIST / SORT keys stay table
 * constraints.
 */
export function placeKeyConstraints<C extends ColumnInfo>(
  columns: readonly C[],
  constraints: readonly TableConstraintInfo[],
): { columns: C[]; constraints: TableConstraintInfo[] } {
  const single = singleColumnKeys(constraints);
  return {
    columns: columns.map((c) => ({ ...c, constraint: single.get(c.name) })),
    constraints: constraints.filter(
      (c) => (c.constraintType !== 'PRIMARY_KEY' && c.constraintType !== 'UNIQUE') || c.columns.length > 1,
    ),
  };
}
