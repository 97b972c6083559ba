import type { IngestionConfig } from '../../config/schema.js';
import type { SourceFactory } from '../catalog.js';
import type { SourceOptions } from '../contract.js';
import { factoryParts, type DashboardFactoryDeps } from '../dashboard-common/factory.js';
import { DashboardSource } from '../dashboard-common/source.js';
import { SupersetApi } from './api.js';
import type { SupersetConnection } from '../../config/connections/superset.js';

/** The Superset connector (REST API): dashboards and their charts. */
export function createSupersetSource(
  config: IngestionConfig,
  options: SourceOptions,
  deps: DashboardFactoryDeps = {},
): DashboardSource {
  const connection = config.source.serviceConnection.config as SupersetConnection;
  const parts = factoryParts(config, connection, options, deps);
  const api = new SupersetApi(connection, { client: parts.client, pageSize: deps.pageSize });
  return new DashboardSource(config, 'Superset', api, { ...options, concurrency: parts.concurrency });
}

export const createSource: SourceFactory = (config, options) => createSupersetSource(config, options);
