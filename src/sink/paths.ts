/** REST collections of the OpenMetadata API (under `<hostPort>/v1/`), by entity kind. */
import type { EntityKind } from '../model/entities.js';

export const COLLECTIONS: Readonly<Record<EntityKind, string>> = {
  databaseService: 'services/databaseServices',
  database: 'databases',
  databaseSchema: 'databaseSchemas',
  table: 'tables',
  dashboardService: 'services/dashboardServices',
  chart: 'charts',
  dashboard: 'dashboards',
};

/** `<hostPort>/v1` without a doubled slash; hostPort already ends in `/api`. */
export function apiBase(hostPort: string): string {
  return `${hostPort.replace(/\/+$/, '')}/v1`;
}

/** hostPort as messages may show it: `http://user:password@host/api` -> `http://host/api`. */
export function withoutUserinfo(hostPort: string): string {
  return hostPort.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, '$1');
}
