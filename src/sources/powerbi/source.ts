import type { IngestionConfig } from '../../config/schema.js';
import type { SourceFactory } from '../catalog.js';
import type { SourceOptions } from '../contract.js';
import { factoryParts, type DashboardFactoryDeps } from '../dashboard-common/factory.js';
import { DashboardSource } from '../dashboard-common/source.js';
import { PowerbiApi } from './api.js';
import type { PowerbiConnection } from '../../config/connections/powerbi.js';

/** The Power BI connector: dashboards of every workspace, and their tiles as charts. */
export function createPowerbiSource(
  config: IngestionConfig,
  options: SourceOptions,
  deps: DashboardFactoryDeps = {},
): DashboardSource {
  const connection = config.source.serviceConnection.config as PowerbiConnection;
  const parts = factoryParts(config, connection, options, deps);
  const api = new PowerbiApi(connection, { client: parts.client });
  return new DashboardSource(config, 'PowerBI', api, { ...options, concurrency: parts.concurrency });
}

export const createSource: SourceFactory = (config, options) => createPowerbiSource(config, options);
