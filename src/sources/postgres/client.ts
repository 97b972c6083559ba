/**
 * Connections of the PostgreSQL connector: the shared `pg` pools (one per database, at most
 * `maxConnections` wide) plus the connection check. Every query goes through `query()`, which reports it
 * to `onQuery` (tests count catalogue queries with it).
 */
import { parseHostPort as parseHostPortAs } from '../sql-common/host-port.js';
import { PgPools, type PgPoolsOptions } from '../sql-common/pg-client.js';
import { connectionError, type ConnectionTarget } from './errors.js';

export { sslOption } from '../sql-common/pg-client.js';

export type PostgresClientOptions = Omit<PgPoolsOptions, 'engine'>;

/** Parses `host`, `host:port` or `[ipv6]:port`; PostgreSQL's port defaults to 5432. */
export function parseHostPort(hostPort: string): { host: string; port: number } {
  return parseHostPortAs(hostPort, {
    defaultPort: 5432,
    scheme: /^postgres(ql)?:\/\//,
    example: 'db.example.com:5432',
  });
}

export class PostgresPools extends PgPools {
  constructor(options: PostgresClientOptions) {
    super({ ...options, engine: 'PostgreSQL' });
  }

  target(database: string): ConnectionTarget {
    const { host, port, user, password } = this.options;
    return { host, port, user, database, password };
  }

  /** Connects to `database` and runs a trivial query; a failure is a SourceError sentence. */
  async check(database: string): Promise<void> {
    try {
      await this.query(database, 'select 1');
    } catch (error) {
      throw connectionError(error, this.target(database));
    }
  }
}
