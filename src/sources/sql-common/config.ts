import type { DatabaseMetadataConfig, SourceConfig } from '../../config/schema.js';
import { SourceError } from '../contract.js';

/** sourceConfig.config of a database source (the config schema already enforces the type). */
export function databaseMetadata(source: SourceConfig): DatabaseMetadataConfig {
  const metadata = source.sourceConfig.config;
  if (metadata.type !== 'DatabaseMetadata') {
    throw new SourceError(`source ${source.type} needs sourceConfig.config.type: DatabaseMetadata`, 'config');
  }
  return metadata;
}
