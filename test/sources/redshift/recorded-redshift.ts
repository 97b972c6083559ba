/**
 * A Redshift stand-in for tests: the connector's `shared` statements (pg_catalog SQL Redshift inherited
 * from PostgreSQL) run on a real PostgreSQL with the connector's own credentials; its `redshift`
 * statements are answered from recorded result sets in test/fixtures/redshift/, shaped like AWS's
 * documentation of those system views, filtered by the statement's bound parameters the way the SQL
 * would filter them.
 */
import pg from 'pg';
import type { RedshiftClient, RedshiftRow } from '../../../src/sources/redshift/client.js';
import type { Statement, StatementId } from '../../../src/sources/redshift/queries.js';
import { fixtureRows } from '../../support/sql-source-helpers.js';

type Row = Record<string, unknown>;

export const fixture = (name: string): Row[] => fixtureRows('redshift', name);

/** How each Redshift-only statement selects and renames fixture rows (mirrors queries.ts). */
const RECORDED: Partial<Record<StatementId, (database: string, params: readonly unknown[]) => Row[]>> = {
  'external-schemas': () => fixture('svv_external_schemas').map((r) => ({ schema_name: r.schemaname })),
  'external-tables': (database, params) =>
    fixture('svv_external_tables')
      .filter((r) => r.redshift_database_name === database && params.includes(r.schemaname))
      .map((r) => ({ schema_name: r.schemaname, table_name: r.tablename })),
  'external-columns': (database, [schema, ...tables]) =>
    fixture('svv_external_columns')
      .filter((r) => r.redshift_database_name === database && r.schemaname === schema && tables.includes(r.tablename))
      .map((r) => ({
        table_name: r.tablename,
        column_name: r.columnname,
        external_type: r.external_type,
        columnnum: r.columnnum,
        part_key: r.part_key,
        is_nullable: r.is_nullable,
      })),
  'late-binding-view-columns': (_database, [schema, ...views]) =>
    fixture('late_binding_view_cols')
      .filter((r) => r.view_schema === schema && views.includes(r.view_name))
      .map((r) => ({ view_name: r.view_name, col_name: r.col_name, col_type: r.col_type, col_num: r.col_num })),
  'dist-sort-keys': (_database, [schema, ...tables]) =>
    fixture('pg_attribute_keys')
      .filter((r) => r.nspname === schema && tables.includes(r.relname))
      .map((r) => ({
        table_name: r.relname,
        column_name: r.attname,
        attisdistkey: r.attisdistkey,
        attsortkeyord: r.attsortkeyord,
      })),
  'materialized-views': (database, params) =>
    fixture('svv_mv_info')
      .filter((r) => r.database_name === database && params.includes(r.schema_name))
      .map((r) => ({ schema_name: r.schema_name, name: r.name })),
};

export interface StatementLog {
  readonly database: string;
  readonly id: StatementId;
  readonly dialect: Statement['dialect'];
}

export interface RoutedClient extends RedshiftClient {
  readonly log: StatementLog[];
}

export interface RouteOptions {
  /** Answers a statement instead of the normal route (fault injection); undefined = normal route. */
  readonly override?: (statement: Statement, database: string) => Promise<RedshiftRow[]> | undefined;
}

/** The client the connector gets: PostgreSQL for shared SQL, recordings for Redshift-only SQL. */
export function routedClient(
  target: { host: string; port: number; user: string; password?: string },
  options: RouteOptions = {},
): RoutedClient {
  const pools = new Map<string, pg.Pool>();
  const log: StatementLog[] = [];
  const pool = (database: string) => {
    let p = pools.get(database);
    if (!p) {
      p = new pg.Pool({ ...target, database, max: 2, connectionTimeoutMillis: 5000 });
      p.on('error', () => undefined);
      pools.set(database, p);
    }
    return p;
  };
  return {
    log,
    async query(database, statement, params = []) {
      log.push({ database, id: statement.id, dialect: statement.dialect });
      const overridden = options.override?.(statement, database);
      if (overridden) return overridden;
      if (statement.dialect === 'shared') {
        return (await pool(database).query(statement.sql, params as unknown[])).rows as RedshiftRow[];
      }
      const recorded = RECORDED[statement.id];
      if (!recorded) throw new Error(`no recording for Redshift statement ${statement.id}`);
      // A real query would also fail on a wrong login: touch the database with the same credentials.
      await pool(database).query('SELECT 1');
      return recorded(database, params);
    },
    async close() {
      await Promise.allSettled([...pools.values()].map((p) => p.end()));
    },
  };
}
