import type { TableConstraintInfo } from '../common/requests.js';

/** Column-level PRIMARY_KEY / UNIQUE for single-column keys (how OpenMetadata shows them). */
export function singleColumnKeys(constraints: readonly TableConstraintInfo[]): Map<string, 'PRIMARY_KEY' | 'UNIQUE'> {
  const out = new Map<string, 'PRIMARY_KEY' | 'UNIQUE'>();
  for (const c of constraints) {
    if (c.columns.length !== 1 || (c.constraintType !== 'PRIMARY_KEY' && c.constraintType !== 'UNIQUE')) continue;
    const column = c.columns[0]!;
    if (out.get(column) !== 'PRIMARY_KEY') out.set(column, c.constraintType);
  }
  return out;
}
