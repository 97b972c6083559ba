/**
 * The narrow query seam under the MySQL connector: `query(sql, params) -> rows` over a mysql2 pool.
 * Every catalogue question of engine.ts goes through it; `onQuery` lets tests count the statements.
 */
import { readFileSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { SourceError } from '../contract.js';
import { parseHostPort as parseHostPortAs } from '../sql-common/host-port.js';
import type { MysqlConnection } from '../../config/connections/mysql.js';

export type MysqlRow = Readonly<Record<string, unknown>>;

export interface MysqlClient {
  /** Runs one statement; `?` placeholders are bound by the driver (an array expands to an IN list). */
  query(sql: string, params?: readonly unknown[]): Promise<MysqlRow[]>;
  close(): Promise<void>;
}

export interface MysqlClientOptions {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password?: string;
  /** Default database of the sessions (`databaseSchema`); connecting fails clearly when it is missing. */
  readonly database?: string;
  readonly ssl?: mysql.SslOptions;
  /** Connections in the pool. */
  readonly maxConnections: number;
  /** @default 15000 */
  readonly connectTimeoutMillis?: number;
  /** Observes every statement before it is sent. */
  readonly onQuery?: (sql: string) => void;
}

/** Parses `host`, `host:port` or `[ipv6]:port`; MySQL's port defaults to 3306. */
export function parseHostPort(hostPort: string): { host: string; port: number } {
  return parseHostPortAs(hostPort, {
    defaultPort: 3306,
    scheme: /^mysql(\+\w+)?:\/\//,
    example: 'mysql.example.com:3306',
  });
}

/**
 * TLS options from sslCA / sslCert / sslKey. OpenMetadata documents them as file paths; a value that
 * is already PEM text (e.g. from a Secret) is used as is.
 */
export function sslOptions(config: MysqlConnection): mysql.SslOptions | undefined {
  if (!config.sslCA && !config.sslCert && !config.sslKey) return undefined;
  const pem = (value: string | undefined, key: string) => {
    if (value === undefined) return undefined;
    if (value.includes('-----BEGIN')) return value;
    try {
      return readFileSync(value, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new SourceError(
        `serviceConnection.config.${key} must be a readable PEM file path or PEM text; "${key === 'sslKey' ? '<hidden>' : value}" is not (${code}).`,
        'config',
      );
    }
  };
  return {
    ca: pem(config.sslCA, 'sslCA'),
    cert: pem(config.sslCert, 'sslCert'),
    key: pem(config.sslKey, 'sslKey'),
    rejectUnauthorized: config.sslCA !== undefined,
  };
}

/** A pool, created lazily by mysql2 on the first query (so building a source never connects). */
export function mysqlClient(options: MysqlClientOptions): MysqlClient {
  const pool = mysql.createPool({
    host: options.host,
    port: options.port,
    user: options.user,
    password: options.password,
    database: options.database,
    ssl: options.ssl,
    connectionLimit: Math.max(1, options.maxConnections),
    connectTimeout: options.connectTimeoutMillis ?? 15_000,
    // Catalogue text in any script; identifiers are compared byte-wise by the engine.
    charset: 'utf8mb4',
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on('connection', (connection) => connection.on('error', () => undefined));
  let closed = false;
  return {
    async query(sql, params = []) {
      if (closed) throw new Error('the MySQL source is closed');
      options.onQuery?.(sql);
      const [rows] = await pool.query(sql, params as unknown[]);
      return (Array.isArray(rows) ? rows : []) as MysqlRow[];
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end().catch(() => undefined);
    },
  };
}
