/**
 * A stand-in for an Oracle database behind the connector's query seam: it answers each dictionary
 * query from the recorded result sets in test/fixtures/oracle/ (rows shaped like the documented ALL_*
 * views), the way Oracle would: rows are filtered by the named binds (`:owner`, `:sN`, `:tN`), every
 * `:name` in the SQL must be bound and every bind used. Columns starting with `_` are not returned.
 */
import type { OracleClient, OracleRow } from '../../../src/sources/oracle/client.js';
import { fixtureRows } from '../../support/sql-source-helpers.js';

type Row = Record<string, unknown>;

export interface Statement {
  readonly sql: string;
  readonly binds: Readonly<Record<string, string>>;
}

export interface RecordedOracle extends OracleClient {
  readonly log: Statement[];
  readonly data: Record<string, Row[]>;
  closed: number;
}

const KINDS: [RegExp, string][] = [
  [/FROM ALL_USERS /, 'all-users'],
  [/FROM ALL_TABLES t /, 'objects'],
  [/FROM ALL_TAB_COLUMNS c /, 'tab-columns'],
  [/FROM ALL_TAB_COMMENTS /, 'tab-comments'],
  [/FROM ALL_CONSTRAINTS c /, 'constraints'],
  [/^SELECT VIEW_NAME, TEXT FROM ALL_VIEWS /, 'views'],
  [/^SELECT MVIEW_NAME, QUERY FROM ALL_MVIEWS /, 'mviews'],
];

export function recordedOracle(): RecordedOracle {
  const data: Record<string, Row[]> = {};
  for (const [, name] of KINDS) {
    data[name] = fixtureRows('oracle', name);
  }
  const client: RecordedOracle = {
    log: [],
    data,
    closed: 0,
    async runQuery(sql, binds = {}) {
      client.log.push({ sql, binds: { ...binds } });
      return answer(data, sql, binds);
    },
    async close() {
      client.closed++;
    },
  };
  return client;
}

function answer(data: Record<string, Row[]>, sql: string, binds: Readonly<Record<string, string>>): OracleRow[] {
  const placeholders = new Set([...sql.matchAll(/:(\w+)/g)].map((m) => m[1]!));
  if ([...placeholders].sort().join() !== Object.keys(binds).sort().join()) {
    throw new Error(`binds ${Object.keys(binds).join(',')} do not match placeholders ${[...placeholders].join(',')}`);
  }
  if (sql === 'SELECT 1 AS OK FROM DUAL') return [{ OK: 1 }];
  const kind = KINDS.find(([pattern]) => pattern.test(sql))?.[1];
  if (!kind) throw new Error(`recorded Oracle cannot answer: ${sql}`);
  let rows = data[kind]!;
  if (sql.includes("ORACLE_MAINTAINED = 'N'") && kind === 'all-users')
    rows = rows.filter((r) => r.ORACLE_MAINTAINED === 'N');
  const values = (prefix: string) =>
    new Set(
      Object.entries(binds)
        .filter(([k]) => new RegExp(`^${prefix}\\d+$`).test(k))
        .map(([, v]) => v),
    );
  if (kind === 'objects') rows = rows.filter((r) => values('s').has(String(r.OWNER)));
  if (binds.owner !== undefined) {
    const tables = values('t');
    rows = rows.filter(
      (r) => (r._OWNER ?? r.OWNER) === binds.owner && tables.has(String(r.TABLE_NAME ?? r.VIEW_NAME ?? r.MVIEW_NAME)),
    );
  }
  return rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('_'))));
}
