/** Identifier helpers shared by the catalogue-view connectors. */

/**
 * OpenMetadata's Python connectors go through SQLAlchemy, whose Snowflake and Oracle dialects show a
 * case-insensitive (all upper-case, unquoted-legal) identifier in lower case and keep any other as
 * stored. Doing the same keeps our FQNs equal to the ones OpenMetadata's own connectors produce.
 */
export function lowerCaseInsensitive(stored: string): string {
  return /^[A-Z][A-Z0-9_$#]*$/.test(stored) ? stored.toLowerCase() : stored;
}

/** `"name"` with embedded `"` doubled: ANSI quoting (Snowflake, Oracle). Hostile names stay data. */
export function quoteAnsi(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `[name]` with embedded `]` doubled: SQL Server quoting. */
export function quoteBracket(name: string): string {
  return `[${name.replace(/]/g, ']]')}]`;
}

/** Splits a list into runs of at most `size` (IN lists: Oracle allows 1,000 items, SQL Server 2,100 parameters). */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Groups rows by a key, keeping the rows' order inside each group. */
export function groupBy<T, K = string>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

/** Code-point order: deterministic whatever the locale. */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A catalogue value as a trimmed string, or undefined when empty / null. */
export function text(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const s = String(value).trim();
  return s === '' ? undefined : s;
}

/** A catalogue value as an integer, or undefined (drivers return numbers, strings or bigints). */
export function int(value: unknown): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

/** Rows sorted by an integer column (a key or column position), missing values as 0; ties keep their order. */
export function byOrdinal<T extends Readonly<Record<string, unknown>>>(rows: readonly T[], key: string): T[] {
  return [...rows].sort((a, b) => (int(a[key]) ?? 0) - (int(b[key]) ?? 0));
}

/** `YES`/`Y`/`true`/`1` as true (catalogues spell booleans many ways). */
export function yes(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const s = String(value ?? '')
    .trim()
    .toUpperCase();
  return s === 'YES' || s === 'Y' || s === 'TRUE' || s === '1';
}
