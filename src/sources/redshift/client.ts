/**
 * The query seam under the Redshift connector: `query(database, statement, params) -> rows`. Production
 * wraps one `pg` pool per database (Redshift speaks the PostgreSQL wire protocol; pg_catalog is per
 * database, so ingestAllDatabases needs a connection to each); tests route each statement by its
 * dialect to a real PostgreSQL or to recorded Redshift result sets.
 */
import { parseHostPort as parseHostPortAs } from '../sql-common/host-port.js';
import { PgPools, type PgPoolsOptions } from '../sql-common/pg-client.js';
import type { Statement } from './queries.js';

export { sslOption } from '../sql-common/pg-client.js';

export type RedshiftRow = Readonly<Record<string, unknown>>;

export interface RedshiftClient {
  query(database: string, statement: Statement, params?: readonly unknown[]): Promise<RedshiftRow[]>;
  close(): Promise<void>;
}

export type RedshiftPoolOptions = Omit<PgPoolsOptions, 'engine' | 'idleTimeoutMillis' | 'onQuery'>;

/** Parses `host`, `host:port` or `[ipv6]:port`; Redshift's port defaults to 5439. */
export function parseHostPort(hostPort: string): { host: string; port: number } {
  return parseHostPortAs(hostPort, {
    defaultPort: 5439,
    scheme: /^(redshift|postgres(ql)?)(\+\w+)?:\/\//,
    example: 'examplecluster.abc123xyz789.us-west-1.redshift.amazonaws.com:5439',
  });
}

export function redshiftPools(options: RedshiftPoolOptions): RedshiftClient {
  // Idle connections close after PgPools' default 10 s.
  const pools = new PgPools({ ...options, engine: 'Redshift' });
  return {
    query: (database, statement, params = []) => pools.query<RedshiftRow>(database, statement.sql, params),
    close: () => pools.close(),
  };
}
