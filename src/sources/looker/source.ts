import { wrongSource, type SourceConfig } from '../../config/schema.js';
import type { SourceContext, SourceFactory } from '../contract.js';
import { factoryParts, type DashboardFactoryDeps } from '../dashboard-common/factory.js';
import { DashboardSource } from '../dashboard-common/source.js';
import { LookerApi } from './api.js';

/** The Looker connector (API 4.0): dashboards, and their tiles as charts. */
export function createLookerSource(
  source: SourceConfig,
  options: SourceContext,
  deps: DashboardFactoryDeps = {},
): DashboardSource {
  if (source.type !== 'looker') throw wrongSource('looker', source);
  const connection = source.serviceConnection.config;
  const parts = factoryParts(connection, options, deps);
  const api = new LookerApi(connection, { client: parts.client, pageSize: deps.pageSize });
  return new DashboardSource(source, 'Looker', api, { ...options, concurrency: parts.concurrency });
}

export const createSource: SourceFactory = (source, options) => createLookerSource(source, options);
