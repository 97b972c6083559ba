/**
 * Connections of the PostgreSQL connector: one `pg` pool per database, opened lazily (ingestAllDatabases
 * visits many), each at most `maxConnections` wide. Every query goes through `query()`, which reports it
 * to `onQuery` (tests count catalogue queries with it) and turns connection failures into clear errors.
 */
import pg from 'pg';
import { SourceError } from '../contract.js';
import { connectionError, type ConnectionTarget } from './errors.js';

export interface PostgresClientOptions {
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
  /** Observes every query (database, SQL text), before it is sent. */
  readonly onQuery?: (database: string, sql: string) => void;
}

/** Parses `host`, `host:port` or `[ipv6]:port`; PostgreSQL's port defaults to 5432. */
export function parseHostPort(hostPort: string): { host: string; port: number } {
  const value = hostPort.trim().replace(/^postgres(ql)?:\/\//, '');
  const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(value) ?? /^([^:/]+)(?::(\d+))?$/.exec(value);
  const port = match?.[2] === undefined ? 5432 : Number(match[2]);
  if (!match || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SourceError(
      `serviceConnection.config.hostPort "${hostPort}" is not host:port; write it like "db.example.com:5432".`,
      'config',
    );
  }
  return { host: match[1]!, port };
}

/** sslMode -> pg's `ssl` option. pg has no opportunistic SSL: allow / prefer connect without it. */
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

export class PostgresPools {
  private readonly pools = new Map<string, pg.Pool>();
  private closed = false;

  constructor(private readonly options: PostgresClientOptions) {}

  target(database: string): ConnectionTarget {
    const { host, port, user, password } = this.options;
    return { host, port, user, database, password };
  }

  /** Runs one statement with bound parameters in `database`; rows in the server's order. */
  async query<R extends pg.QueryResultRow>(
    database: string,
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<R[]> {
    if (this.closed) throw new Error('the PostgreSQL source is closed');
    this.options.onQuery?.(database, sql);
    const result = await this.pool(database).query<R>(sql, params as unknown[]);
    return result.rows;
  }

  /** Connects to `database` and runs a trivial query; a failure is a SourceError sentence. */
  async check(database: string): Promise<void> {
    try {
      await this.query(database, 'select 1');
    } catch (error) {
      throw connectionError(error, this.target(database));
    }
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
