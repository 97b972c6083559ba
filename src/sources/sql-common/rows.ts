/**
 * Typed catalogue rows without casts: a driver hands back `Record<string, unknown>`; `isRow` checks each
 * field the row type declares against the JavaScript types it may have.
 */
import { SourceError } from '../contract.js';

type FieldType = 'string' | 'number' | 'boolean' | 'null' | 'undefined' | 'unknown';

/** Per field of `T`, the `typeof` results it accepts (`null` for null; `unknown` for anything). */
export type RowSpec<T> = { readonly [K in keyof T]-?: readonly FieldType[] };

export function isRow<T extends Readonly<Record<string, unknown>>>(
  row: Readonly<Record<string, unknown>>,
  spec: RowSpec<T>,
): row is T {
  return mismatches(row, spec).length === 0;
}

function mismatches<T>(row: Readonly<Record<string, unknown>>, spec: RowSpec<T>): string[] {
  return Object.entries<readonly FieldType[]>(spec)
    .filter(([key, types]) => {
      if (types.includes('unknown')) return false;
      const value = row[key];
      return !types.some((type) => (type === 'null' ? value === null : value !== null && typeof value === type));
    })
    .map(([key]) => key);
}

/** `row` as a `T`, or a SourceError naming the catalogue query whose rows have another shape. */
export function asRow<T extends Readonly<Record<string, unknown>>>(
  row: Readonly<Record<string, unknown>>,
  spec: RowSpec<T>,
  what: string,
): T {
  if (isRow<T>(row, spec)) return row;
  throw new SourceError(
    `unexpected ${what} row from the catalogue (fields ${mismatches(row, spec).join(', ')})`,
    'other',
  );
}
