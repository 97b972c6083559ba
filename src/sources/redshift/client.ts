/**
 * The query seam under the Redshift connector: `query(database, statement, params) -> rows`. Production
 * wraps one `pg` pool per database (Redshift speaks the PostgreSQL wire protocol; pg_catalog is per
 * database, so ingestAllDatabases needs a connection to each); tests route each statement by its
 * dialect to a real PostgreSQL or to recorded Redshift result sets.
 */
import pg from 'pg';
import { SourceError } from '../contract.js';
import type { Statement } from './queries.js';

export type RedshiftRow = Readonly<Record<string, unknown>>;

export interface RedshiftClient {
  query(database: string, statement: Statement, params?: readonly unknown[]): Promise<RedshiftRow[]>;
  close(): Promise<void>;
}

export interface RedshiftPoolOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password?: string;
  readonly ssl: pg.ClientConfig['ssl'];
  /** Connections per database pool. */
  readonly maxConnections: number;
  /** @default 15000 */
  readonly connectTimeoutMillis?: number;
}

/** Parses `host`, `host:port` or `[ipv6]:port`; Redshift's port defaults to 5439. */
export function parseHostPort(hostPort: string): { host: string; port: number } {
  const value = hostPort.trim().replace(/^(redshift|postgres(ql)?)(\+\w+)?:\/\//, '');
  const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(value) ?? /^([^:/[\]]+)(?::(\d+))?$/.exec(value);
  const port = match?.[2] === undefined ? 5439 : Number(match[2]);
  if (!match || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SourceError(
      `serviceConnection.config.hostPort "${hostPort}" is not host:port; write it like "examplecluster.abc123xyz789.us-west-1.redshift.amazonaws.com:5439".`,
      'config',
    );
  }
  return { host: match[1]!, port };
}

/**
 * sslMode -> pg's `ssl` option. OpenMetadata's default is `disable`; pg has no opportunistic TLS, so
 * `allow` / `prefer` connect without it. `require` encrypts without checking the certificate (libpq's
 * meaning); the verify modes check it against Node's CA store, which includes Amazon's roots.
 */
export function sslOption(sslMode: string | undefined): pg.ClientConfig['ssl'] {
  switch (sslMode) {
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return { rejectUnauthorized: true };
    default:
      return false;
  }
}

export function redshiftPools(options: RedshiftPoolOptions): RedshiftClient {
  const pools = new Map<string, pg.Pool>();
  let closed = false;
  const pool = (database: string): pg.Pool => {
    let p = pools.get(database);
    if (!p) {
      p = new pg.Pool({
        host: options.host,
        port: options.port,
        user: options.user,
        password: options.password,
        database,
        ssl: options.ssl,
        max: Math.max(1, options.maxConnections),
        idleTimeoutMillis: 10_000,
        connectionTimeoutMillis: options.connectTimeoutMillis ?? 15_000,
        application_name: 'argo-ingest',
      });
      // An idle connection dropped by the server must not crash the process; the next query reconnects.
      p.on('error', () => undefined);
      pools.set(database, p);
    }
    return p;
  };
  return {
    async query(database, statement, params = []) {
      if (closed) throw new Error('the Redshift source is closed');
      const result = await pool(database).query(statement.sql, params as unknown[]);
      return result.rows as RedshiftRow[];
    },
    async close() {
      if (closed) return;
      closed = true;
      const all = [...pools.values()];
      pools.clear();
      await Promise.allSettled(all.map((p) => p.end()));
    },
  };
}
