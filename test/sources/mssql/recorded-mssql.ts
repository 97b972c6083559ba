/**
 * A stand-in for a SQL Server instance behind the connector's query seam: it answers each catalogue
 * query from the recorded result sets in test/fixtures/mssql/ (rows shaped like the documented sys.*
 * views the query joins), the way SQL Server would: the database comes from the `[quoted]` three-part
 * name, rows are filtered by the bound @schema / @tN parameters, every `@name` must be bound. Helper
 * columns starting with `_` (the row's database and schema) are not returned.
 */
import type { MssqlClient, MssqlRow } from '../../../src/sources/mssql/client.js';
import { fixtureRows } from '../../support/sql-source-helpers.js';

type Row = Record<string, unknown>;

export interface Statement {
  readonly sql: string;
  readonly params: Readonly<Record<string, string>>;
}

export interface RecordedMssql extends MssqlClient {
  readonly log: Statement[];
  readonly data: Record<string, Row[]>;
  closed: number;
}

const KINDS: [RegExp, string][] = [
  [/FROM sys\.databases /, 'databases'],
  [/FROM \[(?:[^\]]|\]\])*\]\.sys\.schemas AS s LEFT JOIN/, 'schemas'],
  [/^SELECT s\.name AS schema_name, o\.name AS table_name, o\.type AS object_type FROM/, 'objects'],
  [/^SELECT o\.name AS table_name, CAST\(ep\.value/, 'object-details'],
  [/FROM \[(?:[^\]]|\]\])*\]\.sys\.columns AS c /, 'columns'],
  [/FROM \[(?:[^\]]|\]\])*\]\.sys\.key_constraints /, 'key-constraints'],
  [/FROM \[(?:[^\]]|\]\])*\]\.sys\.foreign_keys /, 'foreign-keys'],
];

export function recordedMssql(): RecordedMssql {
  const data: Record<string, Row[]> = {};
  for (const [, name] of KINDS) {
    data[name] = fixtureRows('mssql', name);
  }
  const client: RecordedMssql = {
    log: [],
    data,
    closed: 0,
    async runQuery(sql, params = {}) {
      client.log.push({ sql, params: { ...params } });
      return answer(data, sql, params);
    },
    async close() {
      client.closed++;
    },
  };
  return client;
}

function answer(data: Record<string, Row[]>, sql: string, params: Readonly<Record<string, string>>): MssqlRow[] {
  const placeholders = new Set([...sql.matchAll(/@(\w+)/g)].map((m) => m[1]!).filter((p) => p !== '@VERSION'));
  placeholders.delete('VERSION');
  const bound = new Set(Object.keys(params));
  if ([...placeholders].sort().join() !== [...bound].sort().join()) {
    throw new Error(`parameters ${[...bound].join(',')} do not match placeholders ${[...placeholders].join(',')}`);
  }
  if (sql === 'SELECT @@VERSION AS version') return [{ version: 'Microsoft SQL Server 2022 (RTM) - 16.0.1000.6' }];
  const kind = KINDS.find(([pattern]) => pattern.test(sql))?.[1];
  if (!kind) throw new Error(`recorded SQL Server cannot answer: ${sql}`);
  let rows = data[kind]!;
  const db = /FROM (\[(?:[^\]]|\]\])*\])\.sys\./.exec(sql)?.[1];
  if (db) rows = rows.filter((r) => r._db === db.slice(1, -1).replace(/\]\]/g, ']'));
  if (params.schema !== undefined) {
    const tables = new Set(
      Object.entries(params)
        .filter(([k]) => /^t\d+$/.test(k))
        .map(([, v]) => v),
    );
    rows = rows.filter((r) => r._schema === params.schema && tables.has(String(r.table_name)));
  }
  return rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('_'))));
}
