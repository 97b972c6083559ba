import { wrongSource, type SourceConfig } from '../../config/schema.js';
import type { SourceContext, SourceFactory } from '../contract.js';
import { factoryParts, type DashboardFactoryDeps } from '../dashboard-common/factory.js';
import { DashboardSource } from '../dashboard-common/source.js';
import { SupersetApi } from './api.js';

/** The Superset connector (REST API): dashboards and their charts. */
export function createSupersetSource(
  source: SourceConfig,
  options: SourceContext,
  deps: DashboardFactoryDeps = {},
): DashboardSource {
  if (source.type !== 'superset') throw wrongSource('superset', source);
  const connection = source.serviceConnection.config;
  const parts = factoryParts(connection, options, deps);
  const api = new SupersetApi(connection, { client: parts.client, pageSize: deps.pageSize });
  return new DashboardSource(source, 'Superset', api, { ...options, concurrency: parts.concurrency });
}

export const createSource: SourceFactory = (source, options) => createSupersetSource(source, options);
