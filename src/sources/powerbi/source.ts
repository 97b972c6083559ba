import { wrongSource, type SourceConfig } from '../../config/schema.js';
import type { SourceContext, SourceFactory } from '../contract.js';
import { factoryParts, type DashboardFactoryDeps } from '../dashboard-common/factory.js';
import { DashboardSource } from '../dashboard-common/source.js';
import { PowerbiApi } from './api.js';

/** The Power BI connector: dashboards of every workspace, and their tiles as charts. */
export function createPowerbiSource(
  source: SourceConfig,
  options: SourceContext,
  deps: DashboardFactoryDeps = {},
): DashboardSource {
  if (source.type !== 'powerbi') throw wrongSource('powerbi', source);
  const connection = source.serviceConnection.config;
  const parts = factoryParts(connection, options, deps);
  const api = new PowerbiApi(connection, { client: parts.client });
  return new DashboardSource(source, 'PowerBI', api, { ...options, concurrency: parts.concurrency });
}

export const createSource: SourceFactory = (source, options) => createPowerbiSource(source, options);
