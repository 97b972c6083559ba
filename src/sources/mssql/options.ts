import { describeHostPort } from '../sql-common/host-port.js';
/**
 * mssql (tedious) connection config from OpenMetadata's mssqlConnection: server and port or named
 * instance from hostPort, TLS from connectionOptions (encrypt on, certificate verified, by default).
 */
import type { config as MssqlConfig } from 'mssql';
import { passwordOf } from '../../config/connections/common.js';
import { SourceError } from '../contract.js';
import { mssqlTls, type MssqlConnection } from '../../config/connections/mssql.js';

export const MSSQL_DEFAULT_PORT = 1433;

export interface ServerAddress {
  readonly server: string;
  readonly port?: number;
  readonly instanceName?: string;
}

/** `host`, `host:port`, `host\INSTANCE`, `[::1]:1433`. */
export function parseMssqlHostPort(hostPort: string): ServerAddress {
  const value = hostPort.trim();
  const instance = /^([^\\]+)\\([^\\:]+)$/.exec(value);
  if (instance) return { server: instance[1]!, instanceName: instance[2]! };
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  const plain = /^([^:\\]+)(?::(\d+))?$/.exec(value);
  const match = bracketed ?? plain;
  if (!match) {
    throw new SourceError(
      `serviceConnection.config.hostPort ${describeHostPort(hostPort)} is not host:port or host\\INSTANCE; for example sqlserver.example.com:1433`,
      'config',
    );
  }
  const port = match[2] === undefined ? MSSQL_DEFAULT_PORT : Number(match[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SourceError(
      `serviceConnection.config.hostPort ${describeHostPort(hostPort)} has an invalid port; use 1-65535`,
      'config',
    );
  }
  return { server: match[1]!, port };
}

export function mssqlConfig(connection: MssqlConnection, poolMax = 4): MssqlConfig {
  const address = parseMssqlHostPort(connection.hostPort);
  return {
    server: address.server,
    port: address.port,
    user: connection.username,
    password: passwordOf(connection),
    database: connection.database,
    connectionTimeout: 30_000,
    requestTimeout: 120_000,
    pool: { max: poolMax, min: 0 },
    options: {
      instanceName: address.instanceName,
      ...mssqlTls(connection),
      appName: 'argo-ingest',
    },
  };
}
