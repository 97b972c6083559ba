/** The SQL Server connector: mssql (tedious) under a query seam, catalogue logic in engine.ts. */
import { wrongSource, type SourceConfig } from '../../config/schema.js';
import type { SourceOptions, SourceFactory } from '../contract.js';
import { CatalogSource } from '../sql-common/catalog-source.js';
import { databaseMetadata } from '../sql-common/config.js';
import { connectMssql, type MssqlClient } from './client.js';
import { MssqlEngine } from './engine.js';
import { mssqlConfig } from './options.js';

/** Builds the source; `connect` replaces mssql (tests pass recorded result sets). */
export function createMssqlSource(
  source: SourceConfig,
  options: SourceOptions,
  connect?: () => Promise<MssqlClient>,
): CatalogSource {
  if (source.type !== 'mssql') throw wrongSource('mssql', source);
  const connection = source.serviceConnection.config;
  const engine = new MssqlEngine(
    connection,
    connect ?? (() => connectMssql(mssqlConfig(connection, Math.max(1, options.concurrency)))),
  );
  return new CatalogSource({
    type: 'mssql',
    serviceType: 'Mssql',
    serviceName: source.serviceName,
    // Only keys of OpenMetadata 1.0.4's mssqlConnection, in its types (connectionOptions there is a
    // string map, ingestAllDatabases came later).
    connection: {
      type: connection.type,
      username: connection.username,
      hostPort: connection.hostPort,
      database: connection.database,
    },
    metadata: databaseMetadata(source),
    engine,
    options,
  });
}

export const createSource: SourceFactory = (source, options) => createMssqlSource(source, options);
