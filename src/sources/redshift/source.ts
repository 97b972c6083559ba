/** The Redshift connector: `pg` pools under a query seam, catalogue logic in engine.ts. */
import { wrongSource, type SourceConfig } from '../../config/schema.js';
import { passwordOf } from '../../config/connections/common.js';
import type { SourceOptions, SourceFactory } from '../contract.js';
import { CatalogSource } from '../sql-common/catalog-source.js';
import { databaseMetadata } from '../sql-common/config.js';
import { parseHostPort, redshiftPools, sslOption, type RedshiftClient } from './client.js';
import { RedshiftEngine } from './engine.js';

/** Builds the source; `connect` replaces the pg pools (tests route statements to PostgreSQL / recordings). */
export function createRedshiftSource(
  source: SourceConfig,
  options: SourceOptions,
  connect?: (target: { host: string; port: number; user: string; password?: string }) => RedshiftClient,
): CatalogSource {
  if (source.type !== 'redshift') throw wrongSource('redshift', source);
  const connection = source.serviceConnection.config;
  const { host, port } = parseHostPort(connection.hostPort);
  const target = { host, port, user: connection.username, password: passwordOf(connection) };
  const engine = new RedshiftEngine({
    database: connection.database,
    ingestAllDatabases: connection.ingestAllDatabases,
    target,
    connect: connect
      ? () => connect(target)
      : () =>
          redshiftPools({
            ...target,
            ssl: sslOption(connection.sslMode),
            maxConnections: Math.max(1, options.concurrency),
          }),
  });
  return new CatalogSource({
    type: 'redshift',
    serviceType: 'Redshift',
    serviceName: source.serviceName,
    connection,
    metadata: databaseMetadata(source),
    engine,
    options,
  });
}

export const createSource: SourceFactory = (source, options) => createRedshiftSource(source, options);
