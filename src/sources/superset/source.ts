import { wrongSource, type IngestionConfig } from '../../config/schema.js';
import type { SourceOptions, SourceFactory } from '../contract.js';
import { factoryParts, type DashboardFactoryDeps } from '../dashboard-common/factory.js';
import { DashboardSource } from '../dashboard-common/source.js';
import { SupersetApi } from './api.js';

/** The Superset connector (REST API): dashboards and their charts. */
export function createSupersetSource(
  config: IngestionConfig,
  options: SourceOptions,
  deps: DashboardFactoryDeps = {},
): DashboardSource {
  const { source } = config;
  if (source.type !== 'superset') throw wrongSource('superset', source);
  const connection = source.serviceConnection.config;
  const parts = factoryParts(config, connection, options, deps);
  const api = new SupersetApi(connection, { client: parts.client, pageSize: deps.pageSize });
  return new DashboardSource(config, 'Superset', api, { ...options, concurrency: parts.concurrency });
}

export const createSource: SourceFactory = (config, options) => createSupersetSource(config, options);
