import { wrongSource, type IngestionConfig } from '../../config/schema.js';
import type { SourceOptions, SourceFactory } from '../contract.js';
import { factoryParts, type DashboardFactoryDeps } from '../dashboard-common/factory.js';
import { DashboardSource } from '../dashboard-common/source.js';
import { PowerbiApi } from './api.js';

/** The Power BI connector: dashboards of every workspace, and their tiles as charts. */
export function createPowerbiSource(
  config: IngestionConfig,
  options: SourceOptions,
  deps: DashboardFactoryDeps = {},
): DashboardSource {
  const { source } = config;
  if (source.type !== 'powerbi') throw wrongSource('powerbi', source);
  const connection = source.serviceConnection.config;
  const parts = factoryParts(config, connection, options, deps);
  const api = new PowerbiApi(connection, { client: parts.client });
  return new DashboardSource(config, 'PowerBI', api, { ...options, concurrency: parts.concurrency });
}

export const createSource: SourceFactory = (config, options) => createPowerbiSource(config, options);
