/**
 * A stand-in for a Snowflake account behind the connector's query seam: it answers the statements the
 * engine sends from the recorded result sets in test/fixtures/snowflake/ (shaped like Snowflake's
 * documented INFORMATION_SCHEMA views and SHOW output), the way Snowflake would: the database comes from
 * the quoted identifier, rows are filtered by the `?` binds, projected to the selected columns and
 * ordered. Every statement is logged so tests can count queries and inspect SQL and binds.
 */
import type { SnowflakeClient, SnowflakeRow } from '../../../src/sources/snowflake/client.js';
import { fixtureRows } from '../../support/sql-source-helpers.js';

type Row = Record<string, unknown>;

export const fixture = (name: string): Row[] => fixtureRows('snowflake', name);

export interface Statement {
  readonly sql: string;
  readonly binds: readonly unknown[];
}

export interface RecordedSnowflake extends SnowflakeClient {
  readonly log: Statement[];
  /** Rows per view / SHOW command, editable by a test (e.g. to drop a table after discovery). */
  readonly data: Record<string, Row[]>;
  closed: number;
}

const VIEWS: Record<string, string> = {
  SCHEMATA: 'schemata',
  TABLES: 'tables',
  COLUMNS: 'columns',
  VIEWS: 'views',
  TABLE_CONSTRAINTS: 'table-constraints',
};

/** `"a""b"` -> `a"b`. */
function unquote(identifier: string): string {
  return identifier.slice(1, -1).replace(/""/g, '"');
}

export function recordedSnowflake(): RecordedSnowflake {
  const data: Record<string, Row[]> = {};
  for (const name of [
    ...Object.values(VIEWS),
    'show-databases',
    'show-primary-keys',
    'show-unique-keys',
    'show-imported-keys',
    'show-materialized-views',
  ]) {
    data[name] = fixture(name);
  }
  const client: RecordedSnowflake = {
    log: [],
    data,
    closed: 0,
    async runQuery(sql, binds = []) {
      client.log.push({ sql, binds: [...binds] });
      return answer(data, sql, [...binds]);
    },
    async close() {
      client.closed++;
    },
  };
  return client;
}

function answer(data: Record<string, Row[]>, sql: string, binds: unknown[]): SnowflakeRow[] {
  if (/^SELECT CURRENT_VERSION\(\)/.test(sql)) return [{ VERSION: '9.1.0' }];
  if (sql === 'SHOW DATABASES') return data['show-databases']!;
  const mviews = /^SHOW MATERIALIZED VIEWS IN SCHEMA ("(?:[^"]|"")*")\.("(?:[^"]|"")*")$/.exec(sql);
  if (mviews) {
    const [db, schema] = [unquote(mviews[1]!), unquote(mviews[2]!)];
    return data['show-materialized-views']!.filter((r) => r.database_name === db && r.schema_name === schema);
  }
  const show = /^SHOW (PRIMARY|UNIQUE|IMPORTED) KEYS IN SCHEMA ("(?:[^"]|"")*")\.("(?:[^"]|"")*")$/.exec(sql);
  if (show) {
    const [db, schema] = [unquote(show[2]!), unquote(show[3]!)];
    const prefix = show[1] === 'IMPORTED' ? 'fk_' : '';
    return data[`show-${show[1]!.toLowerCase()}-keys`]!.filter(
      (r) => r[`${prefix}database_name`] === db && r[`${prefix}schema_name`] === schema,
    );
  }
  const select =
    /^SELECT (DISTINCT )?(.+?) FROM ("(?:[^"]|"")*")\.INFORMATION_SCHEMA\.(\w+) WHERE (.+?)(?: ORDER BY (.+))?$/s.exec(
      sql,
    );
  if (!select) throw new Error(`recorded Snowflake cannot answer: ${sql}`);
  const [, distinct, list, quotedDb, view, where, orderBy] = select;
  const rows = data[VIEWS[view!]!];
  if (!rows) throw new Error(`no recorded rows for INFORMATION_SCHEMA.${view}`);
  const catalog =
    view === 'SCHEMATA' ? 'CATALOG_NAME' : view === 'TABLE_CONSTRAINTS' ? 'TABLE_CATALOG' : 'TABLE_CATALOG';
  let out = rows.filter((r) => r[catalog] === unquote(quotedDb!));
  out = out.filter(predicate(where!, binds));
  if (orderBy) {
    const keys = orderBy.split(',').map((k) => k.trim());
    out = [...out].sort((a, b) => {
      for (const k of keys) {
        const [x, y] = [a[k], b[k]];
        if (x !== y) return (x as number | string) < (y as number | string) ? -1 : 1;
      }
      return 0;
    });
  }
  const columns = list!.split(',').map((c) => c.trim());
  const projected = out.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null])));
  if (!distinct) return projected;
  const seen = new Set<string>();
  return projected.filter((r) => !seen.has(JSON.stringify(r)) && seen.add(JSON.stringify(r)));
}

/** The WHERE shapes the engine uses: `COL <> 'lit'`, `COL = ?`, `COL IN (?, ...)`, joined by AND. */
function predicate(where: string, binds: unknown[]): (row: Row) => boolean {
  const tests: ((row: Row) => boolean)[] = [];
  let next = 0;
  for (const clause of where.split(/\s+AND\s+/)) {
    let m: RegExpExecArray | null;
    if ((m = /^(\w+) <> '([^']*)'$/.exec(clause))) {
      const [, col, lit] = m;
      tests.push((r) => r[col!] !== lit);
    } else if ((m = /^(\w+) = \?$/.exec(clause))) {
      const [col, value] = [m[1]!, binds[next++]];
      tests.push((r) => r[col] === value);
    } else if ((m = /^(\w+) IN \(([?, ]+)\)$/.exec(clause))) {
      const col = m[1]!;
      const count = m[2]!.split(',').length;
      const values = new Set(binds.slice(next, next + count));
      next += count;
      tests.push((r) => values.has(r[col]));
    } else {
      throw new Error(`recorded Snowflake cannot evaluate WHERE clause: ${clause}`);
    }
  }
  if (next !== binds.length) throw new Error(`statement has ${binds.length} binds but ${next} placeholders`);
  return (row) => tests.every((t) => t(row));
}
