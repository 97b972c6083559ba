import type { IngestionConfig } from '../../config/schema.js';
import type { SourceFactory } from '../catalog.js';
import type { SourceOptions } from '../contract.js';
import { factoryParts, type DashboardFactoryDeps } from '../dashboard-common/factory.js';
import { DashboardSource } from '../dashboard-common/source.js';
import { LookerApi } from './api.js';
import type { LookerConnection } from '../../config/connections/looker.js';

/** The Looker connector (API 4.0): dashboards, and their tiles as charts. */
export function createLookerSource(
  config: IngestionConfig,
  options: SourceOptions,
  deps: DashboardFactoryDeps = {},
): DashboardSource {
  const connection = config.source.serviceConnection.config as LookerConnection;
  const parts = factoryParts(config, connection, options, deps);
  const api = new LookerApi(connection, { client: parts.client, pageSize: deps.pageSize });
  return new DashboardSource(config, 'Looker', api, { ...options, concurrency: parts.concurrency });
}

export const createSource: SourceFactory = (config, options) => createLookerSource(config, options);
