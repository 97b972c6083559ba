/**
 * `pg` connections shared by the PostgreSQL-protocol connectors (PostgreSQL, Redshift): one pool per
 * database, opened lazily (pg_catalog is per database, so ingestAllDatabases needs a connection to
 * each), each at most `maxConnections` wide.
 */
import pg from 'pg';

export interface PgPoolsOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password?: string;
  /** `ssl` option of pg; false for none. */
  readonly ssl: pg.ClientConfig['ssl'];
  /** Connections per database pool. */
  readonly maxConnections: number;
  /** Close idle connections after this long; 0 keeps them. @default 10000 */
  readonly idleTimeoutMillis?: number;
  /** @default 15000 */
  readonly connectTimeoutMillis?: number;
  /** Observes every query (database, SQL text), before it is sent. @default none */
  readonly onQuery?: (database: string, sql: string) => void;
  /** The engine's name in the error of a query after close(), e.g. "PostgreSQL". */
  readonly engine: string;
}

/**
 * sslMode -> pg's `ssl` option. pg has no opportunistic TLS, so `allow` / `prefer` connect without it.
 * `require` encrypts without checking the certificate (libpq's meaning); the verify modes check it
 * against Node's CA store (which includes Amazon's roots, for Redshift).
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

export class PgPools {
  private readonly pools = new Map<string, pg.Pool>();
  private closed = false;

  constructor(protected readonly options: PgPoolsOptions) {}

  /** Runs one statement with bound parameters in `database`; rows in the server's order. */
  async query<R extends pg.QueryResultRow>(
    database: string,
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<R[]> {
    if (this.closed) throw new Error(`the ${this.options.engine} source is closed`);
    this.options.onQuery?.(database, sql);
    const result = await this.pool(database).query<R>(sql, params as unknown[]);
    return result.rows;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.allSettled(pools.map((p) => p.end()));
  }

  private pool(database: string): pg.Pool {
    let pool = this.pools.get(database);
    if (!pool) {
      const o = this.options;
      pool = new pg.Pool({
        host: o.host,
        port: o.port,
        user: o.user,
        password: o.password,
        database,
        ssl: o.ssl,
        max: Math.max(1, o.maxConnections),
        idleTimeoutMillis: o.idleTimeoutMillis ?? 10_000,
        connectionTimeoutMillis: o.connectTimeoutMillis ?? 15_000,
        application_name: 'argo-ingest',
      });
      // An idle connection dropped by the server must not crash the process; the next query reconnects.
      pool.on('error', () => undefined);
      this.pools.set(database, pool);
    }
    return pool;
  }
}
