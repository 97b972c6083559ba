/** The Snowflake connector: snowflake-sdk under a query seam, catalogue logic in engine.ts. */
import type { IngestionConfig } from '../../config/schema.js';
import type { SourceFactory } from '../catalog.js';
import type { SourceOptions } from '../contract.js';
import { CatalogSource } from '../sql-common/catalog-source.js';
import { databaseMetadata } from '../sql-common/config.js';
import { connectSnowflake, type SnowflakeClient } from './client.js';
import type { SnowflakeConnection } from '../../config/connections/snowflake.js';
import { SnowflakeEngine } from './engine.js';
import { snowflakeConnectionOptions } from './options.js';

/** Builds the source; `connect` replaces snowflake-sdk (tests pass recorded result sets). */
export function createSnowflakeSource(
  config: IngestionConfig,
  options: SourceOptions,
  connect?: () => Promise<SnowflakeClient>,
): CatalogSource {
  const connection = config.source.serviceConnection.config as SnowflakeConnection;
  const engine = new SnowflakeEngine(
    connection,
    connect ?? (() => connectSnowflake(snowflakeConnectionOptions(connection))),
  );
  return new CatalogSource({
    type: 'snowflake',
    serviceType: 'Snowflake',
    serviceName: config.source.serviceName,
    connection,
    metadata: databaseMetadata(config),
    engine,
    options,
  });
}

export const createSource: SourceFactory = (config, options) => createSnowflakeSource(config, options);
