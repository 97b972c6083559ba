/** Valid Create* bodies for every entity kind, shared by the sink tests. */
import type { UpsertRequest } from '../../src/sources/contract.js';
import {
  databaseRequest,
  databaseSchemaRequest,
  databaseServiceRequest,
  tableRequest,
} from '../../src/sources/common/requests.js';

export const SERVICE = 'pg_test';

export function databaseParents(service = SERVICE): UpsertRequest[] {
  return [
    databaseServiceRequest(service, 'Postgres', {
      type: 'Postgres',
      hostPort: 'localhost:5432',
      username: 'ingest',
      password: 'never-sent',
      database: 'shop',
    }),
    databaseRequest(service, 'shop'),
    databaseSchemaRequest(service, 'shop', 'public'),
  ];
}

export function table(name: string, service = SERVICE, extraColumn?: string): UpsertRequest {
  const columns = [
    { name: 'id', dataType: 'INT' as const, dataTypeDisplay: 'integer', nullable: false, ordinalPosition: 1 },
    ...(extraColumn
      ? [{ name: extraColumn, dataType: 'TEXT' as const, dataTypeDisplay: 'text', nullable: true, ordinalPosition: 2 }]
      : []),
  ];
  return tableRequest({
    service,
    database: 'shop',
    schema: 'public',
    name,
    tableType: 'Regular',
    columns,
    constraints: [{ constraintType: 'PRIMARY_KEY', columns: ['id'] }],
  });
}

export const DASHBOARD_SERVICE = 'bi_test';

export function dashboardRequests(service = DASHBOARD_SERVICE): UpsertRequest[] {
  return [
    {
      kind: 'dashboardService',
      fqn: service,
      body: {
        name: service,
        serviceType: 'Metabase',
        connection: { config: { type: 'Metabase', username: 'reader', hostPort: 'http://metabase:3000' } },
      },
    },
    { kind: 'chart', fqn: `${service}.c1`, body: { name: 'c1', service, chartType: 'Bar' } },
    {
      kind: 'dashboard',
      fqn: `${service}.d1`,
      body: { name: 'd1', service, displayName: 'Sales', charts: [`${service}.c1`] },
    },
  ];
}
