/**
 * Column lists of a pg_get_constraintdef() text, which Redshift and PostgreSQL both print as
 * `PRIMARY KEY (a, b)`, `UNIQUE (a)` or `FOREIGN KEY (a) REFERENCES s.t(b)`, quoting an identifier
 * with `"` (doubled inside) when it needs it. The referred table comes from pg_constraint.confrelid,
 * so only the column lists are read here.
 */
export interface ConstraintColumns {
  readonly columns: string[];
  /** The referred columns of a FOREIGN KEY; empty otherwise. */
  readonly referred: string[];
}

export function parseConstraintColumns(definition: string): ConstraintColumns | undefined {
  const lists = parenthesisedLists(definition);
  if (lists.length === 0) return undefined;
  const isForeign = /^\s*FOREIGN\s+KEY/i.test(definition);
  return { columns: lists[0]!, referred: isForeign ? (lists[1] ?? []) : [] };
}

/** Every top-level `( ... )` identifier list, outside double quotes, in order of appearance. */
function parenthesisedLists(text: string): string[][] {
  const lists: string[][] = [];
  let current: string[] | undefined;
  let name = '';
  let quoted = false;
  let sawQuote = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        name += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else name += ch;
      continue;
    }
    if (ch === '"') {
      // Only spaces can precede a quoted identifier in the list; they are not part of it.
      quoted = true;
      sawQuote = true;
      name = '';
    } else if (ch === '(' && current === undefined) {
      current = [];
      name = '';
      sawQuote = false;
    } else if (current !== undefined && (ch === ',' || ch === ')')) {
      if (name.trim() !== '' || sawQuote) current.push(sawQuote ? name : name.trim());
      name = '';
      sawQuote = false;
      if (ch === ')') {
        lists.push(current);
        current = undefined;
      }
    } else if (current !== undefined && !sawQuote) {
      // An unquoted identifier (trimmed at the separator); nothing follows a quoted one but spaces.
      name += ch;
    }
  }
  return lists;
}
