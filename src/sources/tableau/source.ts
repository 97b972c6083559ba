import { wrongSource, type SourceConfig } from '../../config/schema.js';
import type { SourceContext, SourceFactory } from '../contract.js';
import { factoryParts, type DashboardFactoryDeps } from '../dashboard-common/factory.js';
import { DashboardSource } from '../dashboard-common/source.js';
import { TableauApi } from './api.js';

/** The Tableau connector: workbooks as dashboards, their views as charts. */
export function createTableauSource(
  source: SourceConfig,
  options: SourceContext,
  deps: DashboardFactoryDeps = {},
): DashboardSource {
  if (source.type !== 'tableau') throw wrongSource('tableau', source);
  const connection = source.serviceConnection.config;
  const parts = factoryParts(connection, options, deps);
  const api = new TableauApi(connection, { client: parts.client });
  return new DashboardSource(source, 'Tableau', api, { ...options, concurrency: parts.concurrency });
}

export const createSource: SourceFactory = (source, options) => createTableauSource(source, options);
