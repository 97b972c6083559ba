import type { DatabaseMetadataConfig, IngestionConfig } from '../../config/schema.js';
import { SourceError } from '../contract.js';

/** sourceConfig.config of a database source (the config schema already enforces the type). */
export function databaseMetadata(config: IngestionConfig): DatabaseMetadataConfig {
  const metadata = config.source.sourceConfig.config;
  if (metadata.type !== 'DatabaseMetadata') {
    throw new SourceError(`source ${config.source.type} needs sourceConfig.config.type: DatabaseMetadata`, 'config');
  }
  return metadata;
}
