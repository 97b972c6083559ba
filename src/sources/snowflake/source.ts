/** The Snowflake connector: snowflake-sdk under a query seam, catalogue logic in engine.ts. */
import { wrongSource, type SourceConfig } from '../../config/schema.js';
import type { SourceOptions, SourceFactory } from '../contract.js';
import { CatalogSource } from '../sql-common/catalog-source.js';
import { databaseMetadata } from '../sql-common/config.js';
import { connectSnowflake, type SnowflakeClient } from './client.js';
import { SnowflakeEngine } from './engine.js';
import { snowflakeConnectionOptions } from './options.js';

/** Builds the source; `connect` replaces snowflake-sdk (tests pass recorded result sets). */
export function createSnowflakeSource(
  source: SourceConfig,
  options: SourceOptions,
  connect?: () => Promise<SnowflakeClient>,
): CatalogSource {
  if (source.type !== 'snowflake') throw wrongSource('snowflake', source);
  const connection = source.serviceConnection.config;
  const engine = new SnowflakeEngine(
    connection,
    connect ?? (() => connectSnowflake(snowflakeConnectionOptions(connection))),
  );
  return new CatalogSource({
    type: 'snowflake',
    serviceType: 'Snowflake',
    serviceName: source.serviceName,
    connection,
    metadata: databaseMetadata(source),
    engine,
    options,
  });
}

export const createSource: SourceFactory = (source, options) => createSnowflakeSource(source, options);
