/** The MySQL / MariaDB connector: mysql2 under a query seam, catalogue logic in engine.ts. */
import { wrongSource, type SourceConfig } from '../../config/schema.js';
import { passwordOf } from '../../config/connections/common.js';
import type { SourceOptions, SourceFactory } from '../contract.js';
import { CatalogSource } from '../sql-common/catalog-source.js';
import { databaseMetadata } from '../sql-common/config.js';
import { mysqlClient, parseHostPort, sslOptions, type MysqlClient } from './client.js';
import { MysqlEngine } from './engine.js';

export interface MysqlSourceHooks {
  /** Observes every statement (tests count catalogue queries per batch). */
  readonly onQuery?: (sql: string) => void;
  /** Replaces the mysql2 pool (tests inject faults). */
  readonly connect?: () => MysqlClient;
}

export function createMysqlSource(
  source: SourceConfig,
  options: SourceOptions,
  hooks: MysqlSourceHooks = {},
): CatalogSource {
  if (source.type !== 'mysql') throw wrongSource('mysql', source);
  const connection = source.serviceConnection.config;
  const metadata = databaseMetadata(source);
  const { host, port } = parseHostPort(connection.hostPort);
  const password = passwordOf(connection);
  const target = { host, port, user: connection.username, database: connection.databaseSchema, password };
  const engine = new MysqlEngine({
    databaseName: connection.databaseName,
    databaseSchema: connection.databaseSchema,
    schemaFilterPattern: metadata.schemaFilterPattern,
    target,
    connect:
      hooks.connect ??
      (() =>
        mysqlClient({
          ...target,
          ssl: sslOptions(connection),
          maxConnections: Math.max(1, options.concurrency),
          onQuery: hooks.onQuery,
        })),
  });
  return new CatalogSource({
    type: 'mysql',
    serviceType: 'Mysql',
    serviceName: source.serviceName,
    connection,
    metadata,
    engine,
    options,
  });
}

export const createSource: SourceFactory = (source, options) => createMysqlSource(source, options);
