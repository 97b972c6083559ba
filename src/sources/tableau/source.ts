import { wrongSource, type IngestionConfig } from '../../config/schema.js';
import type { SourceOptions, SourceFactory } from '../contract.js';
import { factoryParts, type DashboardFactoryDeps } from '../dashboard-common/factory.js';
import { DashboardSource } from '../dashboard-common/source.js';
import { TableauApi } from './api.js';

/** The Tableau connector: workbooks as dashboards, their views as charts. */
export function createTableauSource(
  config: IngestionConfig,
  options: SourceOptions,
  deps: DashboardFactoryDeps = {},
): DashboardSource {
  const { source } = config;
  if (source.type !== 'tableau') throw wrongSource('tableau', source);
  const connection = source.serviceConnection.config;
  const parts = factoryParts(config, connection, options, deps);
  const api = new TableauApi(connection, { client: parts.client });
  return new DashboardSource(config, 'Tableau', api, { ...options, concurrency: parts.concurrency });
}

export const createSource: SourceFactory = (config, options) => createTableauSource(config, options);
