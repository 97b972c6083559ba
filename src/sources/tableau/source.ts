import type { IngestionConfig } from '../../config/schema.js';
import type { SourceFactory } from '../catalog.js';
import type { SourceOptions } from '../contract.js';
import { factoryParts, type DashboardFactoryDeps } from '../dashboard-common/factory.js';
import { DashboardSource } from '../dashboard-common/source.js';
import { TableauApi } from './api.js';
import type { TableauConnection } from '../../config/connections/tableau.js';

/** The Tableau connector: workbooks as dashboards, their views as charts. */
export function createTableauSource(
  config: IngestionConfig,
  options: SourceOptions,
  deps: DashboardFactoryDeps = {},
): DashboardSource {
  const connection = config.source.serviceConnection.config as TableauConnection;
  const parts = factoryParts(config, connection, options, deps);
  const api = new TableauApi(connection, { client: parts.client });
  return new DashboardSource(config, 'Tableau', api, { ...options, concurrency: parts.concurrency });
}

export const createSource: SourceFactory = (config, options) => createTableauSource(config, options);
