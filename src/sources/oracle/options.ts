import { describeHostPort } from '../sql-common/host-port.js';
/**
 * node-oracledb (thin mode: pure JavaScript, no Oracle Client libraries) connection attributes from
 * OpenMetadata's oracleConnection. Easy Connect cannot name a SID, so a SID becomes a connect
 * descriptor; a service name stays Easy Connect (`host:port/service`).
 */
import type { ConnectionAttributes } from 'oracledb';
import { passwordOf } from '../../config/connections/common.js';
import { SourceError } from '../contract.js';
import type { OracleConnection } from '../../config/connections/oracle.js';

export const ORACLE_DEFAULT_PORT = 1521;

export function parseOracleHostPort(hostPort: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:/\s]+))(?::(\d+))?$/.exec(hostPort.trim());
  const port = match?.[3] === undefined ? ORACLE_DEFAULT_PORT : Number(match[3]);
  if (!match || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SourceError(
      `serviceConnection.config.hostPort ${describeHostPort(hostPort)} is not host:port; for example oracle.example.com:1521`,
      'config',
    );
  }
  return { host: match[1] ?? match[2]!, port };
}

export function oracleConnectString(connection: OracleConnection): string {
  const type = connection.oracleConnectionType;
  if ('oracleTNSConnection' in type) return type.oracleTNSConnection;
  const { host, port } = parseOracleHostPort(connection.hostPort);
  const hostPart = host.includes(':') ? `[${host}]` : host;
  if ('oracleServiceName' in type) return `${hostPart}:${port}/${type.oracleServiceName}`;
  return `(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=${host})(PORT=${port}))(CONNECT_DATA=(SID=${type.databaseSchema})))`;
}

export function oracleConnectionAttributes(connection: OracleConnection): ConnectionAttributes {
  return {
    user: connection.username,
    password: passwordOf(connection),
    connectString: oracleConnectString(connection),
    // Fail fast on a dead listener; retries belong to the runtime's retry policy.
    connectTimeout: 30,
  };
}
