import { wrongSource, type SourceConfig } from '../../config/schema.js';
import type { SourceContext, SourceFactory } from '../contract.js';
import { factoryParts, type DashboardFactoryDeps } from '../dashboard-common/factory.js';
import { DashboardSource } from '../dashboard-common/source.js';
import { MetabaseApi } from './api.js';

/** The Metabase connector: dashboards, and their cards (questions) as charts. */
export function createMetabaseSource(
  source: SourceConfig,
  options: SourceContext,
  deps: DashboardFactoryDeps = {},
): DashboardSource {
  if (source.type !== 'metabase') throw wrongSource('metabase', source);
  const connection = source.serviceConnection.config;
  const parts = factoryParts(connection, options, deps);
  const api = new MetabaseApi(connection, { client: parts.client });
  return new DashboardSource(source, 'Metabase', api, { ...options, concurrency: parts.concurrency });
}

export const createSource: SourceFactory = (source, options) => createMetabaseSource(source, options);
