import { wrongSource, type IngestionConfig } from '../../config/schema.js';
import type { SourceOptions, SourceFactory } from '../contract.js';
import { factoryParts, type DashboardFactoryDeps } from '../dashboard-common/factory.js';
import { DashboardSource } from '../dashboard-common/source.js';
import { MetabaseApi } from './api.js';

/** The Metabase connector: dashboards, and their cards (questions) as charts. */
export function createMetabaseSource(
  config: IngestionConfig,
  options: SourceOptions,
  deps: DashboardFactoryDeps = {},
): DashboardSource {
  const { source } = config;
  if (source.type !== 'metabase') throw wrongSource('metabase', source);
  const connection = source.serviceConnection.config;
  const parts = factoryParts(config, connection, options, deps);
  const api = new MetabaseApi(connection, { client: parts.client });
  return new DashboardSource(config, 'Metabase', api, { ...options, concurrency: parts.concurrency });
}

export const createSource: SourceFactory = (config, options) => createMetabaseSource(config, options);
