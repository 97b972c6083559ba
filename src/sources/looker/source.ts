import { wrongSource, type IngestionConfig } from '../../config/schema.js';
import type { SourceOptions, SourceFactory } from '../contract.js';
import { factoryParts, type DashboardFactoryDeps } from '../dashboard-common/factory.js';
import { DashboardSource } from '../dashboard-common/source.js';
import { LookerApi } from './api.js';

/** The Looker connector (API 4.0): dashboards, and their tiles as charts. */
export function createLookerSource(
  config: IngestionConfig,
  options: SourceOptions,
  deps: DashboardFactoryDeps = {},
): DashboardSource {
  const { source } = config;
  if (source.type !== 'looker') throw wrongSource('looker', source);
  const connection = source.serviceConnection.config;
  const parts = factoryParts(config, connection, options, deps);
  const api = new LookerApi(connection, { client: parts.client, pageSize: deps.pageSize });
  return new DashboardSource(config, 'Looker', api, { ...options, concurrency: parts.concurrency });
}

export const createSource: SourceFactory = (config, options) => createLookerSource(config, options);
